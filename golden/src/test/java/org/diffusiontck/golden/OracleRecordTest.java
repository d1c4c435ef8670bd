package org.diffusiontck.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.diffusiontck.checks.impl.LinearEndpoints;
import org.diffusiontck.checks.reference.ReferenceSchedules;
import org.diffusiontck.golden.check.Check;
import org.diffusiontck.golden.model.RuntimeOptions;
import org.diffusiontck.golden.record.GoldenRecord;
import org.diffusiontck.golden.record.Manifest;
import org.diffusiontck.golden.record.Pixels;
import org.diffusiontck.golden.record.SamplerSpec;
import org.diffusiontck.golden.report.Verdict;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.oracle.TinyImage;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed records of the exact oracles have a known right answer, and verify reproduces
 * them.
 */
class OracleRecordTest {
  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  /**
   * On finite data every sampler ends on a data point: the last step (t = 1 → 0) returns x̂_0 =
   * E[x_0 | x_1], and at ᾱ_1 the posterior over the five images is one-hot to the last bit (their
   * squared distances, at least 8, against 2(1 − ᾱ_1) ≈ 5e-4). The conversions ε ↔ x_0 on the
   * way round off a few ulps of |x| ≤ 1: 1e-12 allows that many times over.
   */
  @Test
  void tinyImageSamplesAreTinyImages() throws Exception {
    GoldenRecord r = GoldenRecord.open(Repo.TINY_IMAGES);
    double[][] images = Pixels.rows(TinyImage.dataSet(), TinyImage.values().length);
    for (SamplerSpec s : r.manifest().samplers()) {
      double[][] samples = Pixels.rows(r.samples(s), r.manifest().seeds().length);
      for (int i = 0; i < samples.length; i++) {
        double nearest = Double.POSITIVE_INFINITY;
        for (double[] image : images) {
          nearest = Math.min(nearest, maxAbs(samples[i], image));
        }
        assertThat(nearest).as(s.name() + " seed " + i).isLessThan(1e-12);
      }
    }
  }

  /**
   * Gaussian data N(μ, s²), per pixel: with u = x − √ᾱ μ, the oracle's ε* = √(1 − ᾱ_t) u_t / V_t
   * and x̂_0 = μ + √ᾱ_t s² u_t / V_t (V = ᾱ s² + 1 − ᾱ), so a DDIM step t → s (eq. 12, σ = 0)
   * multiplies u by f(t, s) = (√(ᾱ_s ᾱ_t) s² + √((1 − ᾱ_s)(1 − ᾱ_t))) / V_t, and the sample is
   * x_0 = μ + u_T Π f. The exact probability-flow map gives x_0 = μ + u_T √(V_0 / V_T) instead;
   * by Cauchy–Schwarz f ≤ √(V_s / V_t), so DDIM falls short, less so with more steps.
   * Tolerance: 50 factors of a few roundings each, about 1e-14 relative on |x| ≤ 2; 1e-12.
   */
  @Test
  void gaussianDdimSamplesAreTheClosedFormAndApproachTheFlowMap() throws Exception {
    GoldenRecord r = GoldenRecord.open(Repo.GAUSSIAN);
    Manifest m = r.manifest();
    NoiseSchedule schedule = ReferenceSchedules.of(m.schedule().spec(), LinearEndpoints.FIXED);
    double[] mu = TinyImage.CROSS.image().mul(0.5).dup('c').data().asDouble();
    double sd = 0.25;
    double previousError = Double.POSITIVE_INFINITY;
    for (SamplerSpec spec : m.samplers()) {
      if (!spec.kind().equals(SamplerSpec.DDIM)) {
        continue;
      }
      double[][] samples = Pixels.rows(r.samples(spec), m.seeds().length);
      double worstFlowError = 0;
      for (int i = 0; i < m.seeds().length; i++) {
        double[] xT = new PortableNoise(m.seeds()[i], 0).normals(mu.length);
        for (int k = 0; k < mu.length; k++) {
          double product = 1;
          int[] ts = spec.timesteps();
          for (int j = 0; j < ts.length; j++) {
            double at = schedule.alphaBar(ts[j]);
            double as = j + 1 < ts.length ? schedule.alphaBar(ts[j + 1]) : 1.0;
            product *= (Math.sqrt(as * at) * sd * sd + Math.sqrt((1 - as) * (1 - at)))
                / (at * sd * sd + 1 - at);
          }
          double aT = schedule.alphaBar(schedule.T());
          double uT = xT[k] - Math.sqrt(aT) * mu[k];
          double ddim = mu[k] + uT * product;
          double flow = mu[k] + uT * Math.sqrt(sd * sd / (aT * sd * sd + 1 - aT));
          assertThat(samples[i][k]).as(spec.name() + " seed " + i + " pixel " + k)
              .isCloseTo(ddim, org.assertj.core.data.Offset.offset(1e-12));
          worstFlowError = Math.max(worstFlowError, Math.abs(samples[i][k] - flow));
        }
      }
      assertThat(worstFlowError).as(spec.name()).isLessThan(previousError);
      previousError = worstFlowError;
    }
  }

  /** Recomputing the tiny-images record on this machine passes under jvm-float64. */
  @Test
  void verifyReproducesTheTinyImageRecord(@TempDir Path reports) throws Exception {
    Verdict v = Golden.verify(Repo.TINY_IMAGES, null, UnaryOperator.identity(),
        RuntimeOptions.DEFAULT, null, reports, false);
    assertThat(v.environment().key()).isEqualTo("jvm-float64");
    assertThat(v.checks()).allMatch(Check::passed);
    assertThat(v.checks()).hasSize(3 * 8 + 2 + 6);
  }

  private static double maxAbs(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
