package org.diffusiontck.golden.record;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tolerances and sound-model bounds a new record gets; golden/README.md ("Tolerances") argues
 * each number and says how it was estimated. In short, for the shipped checkpoint (ε-prediction,
 * T = 1000, samples in [−1, 1]): float32 inference in another configuration (ONNX Runtime's graph
 * optimizations off: other kernels, other rounding) moved the samples by at most 7.4e-6 and the
 * loss by 9e-6 relative; outputs perturbed by 2^−20 relative (8 float32 ulps, more than the
 * rounding of the network's longest dot product, 288 terms) by at most 1.5e-5; float16 input and
 * output by at most 3.0e-3 (PSNR ≥ 67.7 dB); outputs perturbed by 2^−10 (2 float16 ulps) by at
 * most 1.5e-2 (PSNR ≥ 54.3 dB).
 */
public final class Defaults {
  private Defaults() {}

  /** The tolerances by environment key. */
  public static Map<String, Tolerance> tolerances() {
    Map<String, Tolerance> t = new LinkedHashMap<>();
    t.put("cpu-float32", new Tolerance(1e-3, 80, 1e-3, 1e-6, 1e-4, 0,
        "cpu-float32: another CPU's float32 kernels round differently; measured: graph"
            + " optimizations off moved samples by <= 7.4e-6, outputs jittered by 2^-20 by <="
            + " 1.5e-5 (PSNR >= 115 dB), the loss by <= 1.5e-5 relative, the bound by <= 7e-8"
            + " bits; allowed: about 60x that (1e-3, 1/8 of an 8-bit level; PSNR 80 dB), loss"
            + " 1e-3 relative + 1e-6, bound 1e-4 bits; one process is bit-for-bit"
            + " deterministic"));
    Tolerance half = new Tolerance(0.08, 40, 0.05, 2e-3, 5e-3, 0,
        "float16 or TF32 (10-bit mantissa): measured: float16 input and output moved samples by"
            + " <= 3.0e-3 (PSNR >= 67.7 dB), outputs jittered by 2^-10 by <= 1.5e-2 (PSNR >="
            + " 54.3 dB), the loss by <= 2.8e-2 relative (<= 7e-5 absolute), the bound by <= 3e-4"
            + " bits; allowed: 0.08 (10 8-bit levels), PSNR 40 dB, loss 0.05 relative + 2e-3,"
            + " bound 5e-3 bits, for rounding inside the network as well as at its ends");
    t.put("cpu-float16", half);
    t.put("gpu-float32", new Tolerance(half.sampleMaxAbs(), half.samplePsnrDb(), half.lossRel(),
        half.lossAbs(), half.boundBits(), half.sampleMaxAbs(), "gpu-float32: convolutions in"
            + " TF32 by default (CUDA provider's use_tf32), so as float16; cuDNN may choose"
            + " non-deterministic algorithms, so a rerun may differ as another machine may. "
            + half.why()));
    t.put("gpu-float16", new Tolerance(half.sampleMaxAbs(), half.samplePsnrDb(), half.lossRel(),
        half.lossAbs(), half.boundBits(), half.sampleMaxAbs(), "gpu-float16: float16"
            + " activations; a rerun may differ as another machine may. " + half.why()));
    t.put("jvm-float64", new Tolerance(1e-9, 180, 1e-9, 1e-12, 1e-9, 0,
        "jvm-float64: the exact oracles in double precision; Math.exp and log and ND4J's"
            + " kernels may differ in the last bit between CPUs, about 1e-16, which the samplers"
            + " amplify about 40-fold (measured with float32 jitter): 1e-9 leaves 10^5 to"
            + " spare and is still 10^7 below an 8-bit level"));
    return t;
  }

  /** The bounds of the sound-model checks. */
  public static SoundBounds sound() {
    return new SoundBounds(0.1, 0.1, 0.1, 0.1,
        "for data in [-1, 1] (golden/README.md): seeds differ by a mean RMS >= 0.1 (a model"
            + " that ignores its noise: 0; the shipped checkpoint: 0.64); DDIM inversion then"
            + " regeneration within RMS 0.1 at N = 50 steps, times 50/N (twice DDIM's O(1/N)"
            + " discretization error: 0.055 for the shipped checkpoint at N = 50, 0.030 for the"
            + " Gaussian oracle; a sample not regenerated is 0.64 away); eps-hat(x_T, T) within RMS 0.1 of x_T (the optimum is within"
            + " sqrt(alphaBar_T) max|x_0| / sqrt(1 - alphaBar_T) = 0.0064 for the linear schedule,"
            + " a model predicting zero is 1 away); samples within 0.1 of the data's range");
  }
}
