package org.diffusiontck.checks.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.apache.commons.math3.special.Erf;
import org.diffusiontck.checks.conform.Conformance;
import org.diffusiontck.checks.conform.KitPaths;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.NormalCdf;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.junit.DiffusionTck;
import org.diffusiontck.checks.reference.ReferenceImplementation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ELBO-1 and its recorded vectors allow the same rounding: a decoder written as Ho et al.'s
 * {@code discretized_gaussian_log_likelihood} (cdf_plus − cdf_min taken literally, so two CDF
 * values near 1 cancel in the far tail; the mass floored at 1e-12) passes both, with the tanh
 * approximation and with the exact Φ = erfc(−z/√2)/2.
 */
class DecoderTailTest {
  /** Ho et al.'s decoder, literally, under the declared CDF. */
  static final class Literal extends ReferenceImplementation {
    private final NormalCdf cdf;

    Literal(NormalCdf cdf) {
      super(Conventions.defaults().withDecoderCdf(cdf));
      this.cdf = cdf;
    }

    private double phi(double z) {
      return cdf == NormalCdf.EXACT ? 0.5 * Erf.erfc(-z / Math.sqrt(2))
          : 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
    }

    @Override
    public double[] decoderNll(Requests.DecoderNll r) {
      int per = r.x0().perSample();
      double[] nll = new double[r.x0().data().length / per];
      for (int i = 0; i < r.x0().data().length; i++) {
        double x = r.x0().data()[i];
        double centered = x - r.mean().data()[i];
        double invStdv = Math.exp(-0.5 * r.logVariance().data()[i]);
        double cdfPlus = phi(invStdv * (centered + 1 / 255.0));
        double cdfMin = phi(invStdv * (centered - 1 / 255.0));
        double logProb = x < -0.999 ? Math.log(Math.max(cdfPlus, 1e-12))
            : x > 0.999 ? Math.log(Math.max(1 - cdfMin, 1e-12))
            : Math.log(Math.max(cdfPlus - cdfMin, 1e-12));
        nll[i / per] -= logProb;
      }
      return nll;
    }
  }

  @ParameterizedTest
  @EnumSource(NormalCdf.class)
  void theRuleAndItsVectorsPassALiteralDecoder(NormalCdf cdf) throws IOException {
    List<Rule> rules = Conformance.catalogueWithVectors(KitPaths.vectors()).stream()
        .filter(r -> r.info().id().startsWith("ELBO-1")).toList();
    assertThat(rules).extracting(r -> r.info().id()).containsExactly("ELBO-1", "ELBO-1/vectors");
    RuleRunner runner = new RuleRunner(RunSettings.defaults());
    for (Rule rule : rules) {
      RuleResult r = runner.runOne(new Literal(cdf), rule);
      assertThat(r.status()).as(DiffusionTck.describe(r)).isEqualTo(Status.PASS);
    }
  }
}
