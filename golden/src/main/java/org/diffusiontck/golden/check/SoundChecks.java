package org.diffusiontck.golden.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.diffusiontck.golden.record.Manifest;
import org.diffusiontck.golden.record.Pixels;
import org.diffusiontck.golden.record.SoundBounds;
import org.diffusiontck.golden.record.Tolerance;
import org.diffusiontck.golden.run.Outcome;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What any sound model satisfies, whatever its record (golden/README.md): DDIM at σ = 0 is
 * deterministic; different seeds give different samples; DDIM inversion then regeneration returns
 * the sample; at every t the denoising loss beats predicting zero; at t = T the predicted ε̂ is near
 * x_T; samples stay within the data's range.
 */
public final class SoundChecks {
  private SoundChecks() {}

  /** Every sound-model check on a golden run. */
  public static List<Check> of(Manifest manifest, Outcome run, String key, Tolerance tol) {
    SoundBounds b = manifest.sound();
    Outcome.Probes p = run.probes();
    List<Check> checks = new ArrayList<>();

    Worst det = worst(manifest, run.samples().get(p.ddim()), p.repeat(), false);
    checks.add(new Check(Check.SOUND + "-DETERMINISTIC",
        "DDIM at σ = 0 (" + p.ddim() + ") gives the same samples when run again on the same noise",
        det.value <= tol.determinismMaxAbs(), "max |Δ| " + Comparison.num(det.value),
        "max |Δ| ≤ " + Comparison.num(tol.determinismMaxAbs()) + " (" + key + ")", det.where));

    Worst inv = worst(manifest, run.samples().get(p.ddim()), p.regenerated(), true);
    int steps = manifest.sampler(p.ddim()).timesteps().length;
    double inversionAllowed = b.inversionRms() * SoundBounds.INVERSION_STEPS / steps;
    checks.add(new Check(Check.SOUND + "-INVERSION",
        "DDIM inversion of the " + p.ddim() + " samples, then " + p.ddim()
            + " again, returns them",
        inv.value <= inversionAllowed, "worst RMS " + Comparison.num(inv.value),
        "RMS ≤ " + Comparison.num(inversionAllowed) + " (" + Comparison.num(b.inversionRms())
            + " at " + SoundBounds.INVERSION_STEPS + " steps, times " + SoundBounds.INVERSION_STEPS
            + "/" + steps + ")", inv.where));

    int worstT = 1;
    double worstRatio = -1;
    for (int i = 0; i < run.loss().length; i++) {
      double ratio = run.loss()[i] / run.zeroLoss()[i];
      if (!(ratio <= worstRatio)) {
        worstRatio = Double.isNaN(ratio) ? Double.POSITIVE_INFINITY : ratio;
        worstT = i + 1;
      }
    }
    checks.add(new Check(Check.SOUND + "-BEATS-ZERO",
        "at every t the denoising loss is below the loss of predicting zero", worstRatio < 1,
        "worst loss / zero-prediction loss " + Comparison.num(worstRatio) + " at t = " + worstT,
        "< 1", "t = " + worstT));

    Worst prior = worst(manifest, p.xT(), p.epsAtT(), true);
    checks.add(new Check(Check.SOUND + "-PRIOR",
        "at t = T the predicted ε̂(x_T, T) is near x_T", prior.value <= b.priorRms(),
        "worst RMS(ε̂ − x_T) " + Comparison.num(prior.value),
        "RMS ≤ " + Comparison.num(b.priorRms()), prior.where));

    checks.addAll(ofSamples(manifest, run.samples()));
    return checks;
  }

  /**
   * The checks that need only samples: seeds differ (a model that ignores its noise gives one
   * sample for all: the mean, not the smallest, pairwise difference is held to the bound, as a
   * sound model of a finite data set gives equal samples for some pairs), and samples stay in
   * the data's range.
   */
  public static List<Check> ofSamples(Manifest manifest, Map<String, INDArray> samples) {
    SoundBounds b = manifest.sound();
    long[] seeds = manifest.seeds();
    double spread = Double.POSITIVE_INFINITY;
    String sampler = "";
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    String minWhere = "";
    String maxWhere = "";
    for (Map.Entry<String, INDArray> e : samples.entrySet()) {
      double[][] rows = Pixels.rows(e.getValue(), seeds.length);
      double sum = 0;
      for (int i = 0; i < rows.length; i++) {
        for (int j = i + 1; j < rows.length; j++) {
          sum += Pixels.rms(rows[i], rows[j]);
        }
        for (int k = 0; k < rows[i].length; k++) {
          String at = e.getKey() + ", seed " + seeds[i] + ", pixel "
              + Pixels.index(k, manifest.sampleShape());
          if (!(rows[i][k] >= min)) {
            min = rows[i][k];
            minWhere = at;
          }
          if (!(rows[i][k] <= max)) {
            max = rows[i][k];
            maxWhere = at;
          }
        }
      }
      double mean = sum / (rows.length * (rows.length - 1) / 2.0);
      if (!(mean >= spread)) {
        spread = mean;
        sampler = e.getKey();
      }
    }
    double lo = manifest.dataRange()[0] - b.rangeMargin();
    double hi = manifest.dataRange()[1] + b.rangeMargin();
    List<Check> checks = new ArrayList<>();
    checks.add(new Check(Check.SOUND + "-SEEDS-DIFFER",
        "different seeds give different samples: the mean RMS difference over pairs of seeds",
        spread >= b.seedsMinRms(), "smallest mean over the samplers " + Comparison.num(spread),
        "mean RMS ≥ " + Comparison.num(b.seedsMinRms()), sampler));
    checks.add(new Check(Check.SOUND + "-RANGE",
        "samples stay within the data's range [" + manifest.dataRange()[0] + ", "
            + manifest.dataRange()[1] + "]",
        min >= lo && max <= hi,
        "min " + Comparison.num(min) + ", max " + Comparison.num(max),
        "within [" + Comparison.num(lo) + ", " + Comparison.num(hi) + "] (margin "
            + Comparison.num(b.rangeMargin()) + ")",
        min - lo < hi - max ? minWhere : maxWhere));
    return checks;
  }

  /** The worst per-seed difference of two batches: max |Δ| or, with {@code rms}, the RMS. */
  private static Worst worst(Manifest manifest, INDArray a, INDArray b, boolean rms) {
    long[] seeds = manifest.seeds();
    double[][] ra = Pixels.rows(a, seeds.length);
    double[][] rb = Pixels.rows(b, seeds.length);
    Worst w = new Worst(-1, "");
    for (int i = 0; i < ra.length; i++) {
      if (rms) {
        double v = Pixels.rms(ra[i], rb[i]);
        if (!(v <= w.value)) {
          w = new Worst(Double.isNaN(v) ? Double.POSITIVE_INFINITY : v, "seed " + seeds[i]);
        }
        continue;
      }
      for (int k = 0; k < ra[i].length; k++) {
        double v = Math.abs(ra[i][k] - rb[i][k]);
        if (!(v <= w.value)) {
          w = new Worst(Double.isNaN(v) ? Double.POSITIVE_INFINITY : v,
              "seed " + seeds[i] + ", pixel " + Pixels.index(k, manifest.sampleShape()));
        }
      }
    }
    return w;
  }

  private record Worst(double value, String where) {}
}
