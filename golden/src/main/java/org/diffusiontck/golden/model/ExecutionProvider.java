package org.diffusiontck.golden.model;

/**
 * Where ONNX Runtime runs the network. CPU is built into the {@code onnxruntime} artifact the kit
 * depends on. CUDA needs the GPU build: put {@code com.microsoft.onnxruntime:onnxruntime_gpu} (same
 * version, 1.28.0) on the classpath instead of {@code onnxruntime}, with a CUDA and cuDNN that
 * build supports, and pass {@code --provider cuda [--device N]} (golden/README.md).
 */
public enum ExecutionProvider {
  /** ONNX Runtime's CPU execution provider (MLAS kernels). Default. */
  CPU,
  /** ONNX Runtime's CUDA execution provider on GPU {@code device}. */
  CUDA;

  /** The device label of an {@link Environment}: "cpu" or "gpu". */
  public String device() {
    return this == CPU ? "cpu" : "gpu";
  }
}
