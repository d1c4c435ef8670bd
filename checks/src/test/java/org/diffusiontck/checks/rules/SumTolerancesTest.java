package org.diffusiontck.checks.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.Dtype;
import org.diffusiontck.checks.impl.PosteriorResult;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.junit.DiffusionTck;
import org.diffusiontck.checks.reference.ReferenceImplementation;
import org.diffusiontck.checks.rules.catalogue.Catalogue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tolerances of sums scale with the terms that are rounded: an honest float32 implementation
 * (ᾱ a float32 product of float32 factors, 1 − ᾱ formed naively, every operation in float32, as
 * PyTorch's default dtype does it) passes the rules whose expected value is a sum of two terms
 * that may cancel, also at ten times the cases, where x_t or the posterior mean comes out far
 * smaller than its terms.
 */
class SumTolerancesTest {
  /** Forward samples and posteriors computed in float32 from the reference's betas. */
  static final class Float32 extends ReferenceImplementation {
    @Override
    public Declaration declaration() {
      Declaration d = super.declaration();
      return new Declaration("float32 forward process", Dtype.FLOAT32, d.operations(),
          d.schedules(), d.zeroTerminalSnr(), d.predictions(), d.varianceChoices(), d.spacings(),
          d.clippings(), d.conventions());
    }

    private float[] alphaBar(Requests.Schedule r) {
      double[] beta = schedule(r).beta();
      float[] ab = new float[beta.length];
      ab[0] = 1f;
      for (int t = 1; t < beta.length; t++) {
        ab[t] = ab[t - 1] * (1f - (float) beta[t]);
      }
      return ab;
    }

    @Override
    public Tensor forwardSample(Requests.ForwardSample r) {
      float[] ab = alphaBar(new Requests.Schedule(r.schedule()));
      int per = r.xs().perSample();
      double[] out = new double[r.xs().data().length];
      for (int i = 0; i < out.length; i++) {
        float ratio = ab[r.t()[i / per]] / ab[r.s()[i / per]];
        float a = (float) Math.sqrt(ratio);
        float b = (float) Math.sqrt(1f - ratio);
        out[i] = a * (float) r.xs().data()[i] + b * (float) r.eps().data()[i];
      }
      return r.xs().withData(out);
    }

    @Override
    public PosteriorResult posterior(Requests.Posterior r) {
      float[] ab = alphaBar(new Requests.Schedule(r.schedule()));
      int per = r.x0().perSample();
      double[] mean = new double[r.x0().data().length];
      double[] variance = new double[r.t().length];
      for (int b = 0; b < r.t().length; b++) {
        float at = ab[r.t()[b]];
        float as = ab[r.s()[b]];
        float betaTs = 1f - at / as;
        float c0 = (float) Math.sqrt(as) * betaTs / (1f - at);
        float ct = (float) Math.sqrt(at / as) * (1f - as) / (1f - at);
        variance[b] = (1f - as) / (1f - at) * betaTs;
        for (int i = b * per; i < (b + 1) * per; i++) {
          mean[i] = c0 * (float) r.x0().data()[i] + ct * (float) r.xt().data()[i];
        }
      }
      return new PosteriorResult(r.x0().withData(mean), variance);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"FWD-1", "FWD-3", "POST-1"})
  void anHonestFloat32SumPasses(String id) {
    Rule rule = Catalogue.all().stream().filter(r -> r.info().id().equals(id)).findFirst()
        .orElseThrow();
    RuleResult r = new RuleRunner(new RunSettings(RunSettings.DEFAULT_SEED, 10, Map.of()))
        .runOne(new Float32(), rule);
    assertThat(r.status()).as(DiffusionTck.describe(r)).isEqualTo(Status.PASS);
  }
}
