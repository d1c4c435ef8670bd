package org.diffusiontck.golden.model;

import java.util.Locale;

/**
 * Where a model ran, as far as its numbers depend on it: the device and the floating-point type of
 * the network's input and output. The key, e.g. {@code cpu-float32} or {@code gpu-float16}, selects
 * the tolerances of a golden record.
 *
 * @param device "cpu", "gpu", or "jvm" for a model computed in Java (the exact oracles)
 * @param dtype "float16", "float32" or "float64": the network's sample input type
 * @param runtime what computed the model, e.g. "ONNX Runtime 1.28.0"
 * @param provider the execution provider, e.g. "CPUExecutionProvider"
 */
public record Environment(String device, String dtype, String runtime, String provider) {
  /** The tolerance key, {@code device-dtype}. */
  public String key() {
    return key(device, dtype);
  }

  /** The tolerance key of a device and a dtype. */
  public static String key(String device, String dtype) {
    return (device + "-" + dtype).toLowerCase(Locale.ROOT);
  }
}
