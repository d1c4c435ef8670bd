package org.diffusiontck.golden.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.diffusiontck.golden.record.Manifest;
import org.diffusiontck.golden.record.Metrics;
import org.diffusiontck.golden.record.SamplerSpec;
import org.diffusiontck.golden.record.Tolerance;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Golden numbers against recomputed or candidate ones, under the tolerance of one environment:
 * per sample the worst absolute error and the PSNR, the loss at every t, and the bound.
 */
public final class Comparison {
  private Comparison() {}

  /** The checks and the per-sample differences. */
  public record Result(List<Check> checks, List<SampleDiff> diffs) {}

  /**
   * Compares; the candidate's loss and metrics may be null (a candidate folder without them), in
   * which case those checks are left out.
   *
   * @throws IllegalArgumentException if a candidate's samples do not have the golden shape
   */
  public static Result compare(Manifest manifest, Map<String, INDArray> golden,
      double[] goldenLoss, Metrics goldenMetrics, Map<String, INDArray> candidate,
      double[] candidateLoss, Metrics candidateMetrics, String key, Tolerance tol) {
    List<Check> checks = new ArrayList<>();
    List<SampleDiff> diffs = new ArrayList<>();
    double range = manifest.dataRange()[1] - manifest.dataRange()[0];
    for (SamplerSpec spec : manifest.samplers()) {
      INDArray g = golden.get(spec.name());
      INDArray c = candidate.get(spec.name());
      if (c == null || !Arrays.equals(g.shape(), c.shape())) {
        throw new IllegalArgumentException("candidate " + spec.file() + " must have the golden"
            + " shape " + Arrays.toString(g.shape()) + ", got "
            + (c == null ? "no file" : Arrays.toString(c.shape())));
      }
      double[] gv = g.dup('c').data().asDouble();
      double[] cv = c.dup('c').data().asDouble();
      int d = gv.length / manifest.seeds().length;
      for (int i = 0; i < manifest.seeds().length; i++) {
        long seed = manifest.seeds()[i];
        SampleDiff diff = SampleDiff.of(spec.name(), seed, manifest.sampleShape(),
            Arrays.copyOfRange(gv, i * d, (i + 1) * d), Arrays.copyOfRange(cv, i * d, (i + 1) * d),
            range, tol.sampleMaxAbs(), tol.samplePsnrDb());
        diffs.add(diff);
        checks.add(new Check(Check.GOLDEN + "-SAMPLE/" + spec.name() + "/seed-" + seed,
            "the " + spec.name() + " sample of seed " + seed + " matches the record",
            diff.passed(),
            "max |Δ| " + num(diff.maxAbs()) + ", PSNR " + db(diff.psnr()),
            "max |Δ| ≤ " + num(tol.sampleMaxAbs()) + ", PSNR ≥ " + db(tol.samplePsnrDb()) + " ("
                + key + ")",
            "pixel " + diff.worstPixelText()));
      }
    }
    if (candidateLoss != null) {
      checks.add(loss(goldenLoss, candidateLoss, key, tol));
    }
    if (candidateMetrics != null) {
      double delta = Math.abs(candidateMetrics.boundBitsPerDim() - goldenMetrics.boundBitsPerDim());
      checks.add(new Check(Check.GOLDEN + "-BOUND",
          "the bound on the evaluation batch matches the record",
          delta <= tol.boundBits(),
          num(candidateMetrics.boundBitsPerDim()) + " bits/dim, recorded "
              + num(goldenMetrics.boundBitsPerDim()) + " (|Δ| " + num(delta) + ")",
          "|Δ| ≤ " + num(tol.boundBits()) + " bits/dim (" + key + ")", ""));
    }
    return new Result(checks, diffs);
  }

  private static Check loss(double[] golden, double[] candidate, String key, Tolerance tol) {
    if (candidate.length != golden.length) {
      throw new IllegalArgumentException("candidate loss must hold one value per timestep ("
          + golden.length + "), got " + candidate.length);
    }
    double worstRatio = -1;
    int worstT = 1;
    int failures = 0;
    for (int i = 0; i < golden.length; i++) {
      double allowed = tol.lossAbs() + tol.lossRel() * Math.abs(golden[i]);
      double ratio = Math.abs(candidate[i] - golden[i]) / allowed;
      if (!tol.lossWithin(golden[i], candidate[i])) {
        failures++;
      }
      if (!(ratio <= worstRatio)) {
        worstRatio = Double.isNaN(ratio) ? Double.POSITIVE_INFINITY : ratio;
        worstT = i + 1;
      }
    }
    return new Check(Check.GOLDEN + "-LOSS",
        "the denoising loss at every t matches the record", failures == 0,
        "worst at t = " + worstT + ": " + num(candidate[worstT - 1]) + ", recorded "
            + num(golden[worstT - 1]) + " (" + num(worstRatio) + " of the allowance); " + failures
            + " of " + golden.length + " timesteps outside",
        "|Δ| ≤ " + num(tol.lossAbs()) + " + " + num(tol.lossRel()) + " · loss (" + key + ")",
        "t = " + worstT);
  }

  /** A number with 3 significant digits. */
  public static String num(double v) {
    return v == 0 ? "0" : String.format(Locale.ROOT, "%.3g", v);
  }

  /** A PSNR in dB, "∞ dB" for identical samples. */
  public static String db(double v) {
    return v == Double.POSITIVE_INFINITY ? "∞ dB" : String.format(Locale.ROOT, "%.1f dB", v);
  }
}
