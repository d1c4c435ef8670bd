package org.diffusiontck.golden.model;

/**
 * How ONNX Runtime runs a network.
 *
 * @param provider CPU (default) or CUDA
 * @param device the GPU's index for CUDA (ignored on CPU)
 * @param threads ONNX Runtime's intra-op threads; 1 by default: the kit's networks are small and
 *     its batches a few images, where more threads mostly wait for each other
 * @param optimize whether ONNX Runtime may rewrite the graph (fusions, constant folding: its
 *     default); off, every node runs as exported
 */
public record RuntimeOptions(ExecutionProvider provider, int device, int threads, boolean optimize) {
  /** CPU, one thread, graph optimizations on. */
  public static final RuntimeOptions DEFAULT = new RuntimeOptions(ExecutionProvider.CPU, 0, 1, true);

  public RuntimeOptions {
    if (provider == null) {
      throw new IllegalArgumentException("provider must not be null");
    }
    if (device < 0) {
      throw new IllegalArgumentException("device must be at least 0, got " + device);
    }
    int cores = Runtime.getRuntime().availableProcessors();
    if (threads < 1 || threads > cores) {
      throw new IllegalArgumentException("threads must be in 1.." + cores
          + " (this machine's cores), got " + threads);
    }
  }
}
