package org.diffusiontck.checks.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.diffusiontck.checks.impl.Prediction;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.VarianceChoice;
import org.diffusiontck.checks.junit.DiffusionTck;
import org.diffusiontck.checks.reference.ReferenceImplementation;
import org.diffusiontck.checks.rules.catalogue.Catalogue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * KL-4's and ELBO-4's tolerances follow the schedule actually used: a step term whose coefficients
 * are formed as diffusers forms them (ᾱ a running product, β_{t|t−1} = 1 − ᾱ_t/ᾱ_{t−1}, then
 * β̃_t, the posterior mean's coefficients and x̂_0 from those), right to the last bits a double
 * holds, passes both, also on ELBO-4's log-SNR-linear schedule whose β_2 = 1.9e-6 makes
 * β_{t|t−1} carry 6e-11 relative.
 */
class StepTermToleranceTest {
  /** L_{t−1} for ε-prediction with a fixed variance, from diffusers-style coefficients. */
  static final class DiffusersCoefficients extends ReferenceImplementation {
    @Override
    public double[] stepTerm(Requests.StepTerm r) {
      boolean fixed = r.choice() == VarianceChoice.FIXED_SMALL
          || r.choice() == VarianceChoice.FIXED_LARGE;
      if (r.prediction() != Prediction.EPSILON || !fixed) {
        return super.stepTerm(r);
      }
      double[] beta = schedule(new Requests.Schedule(r.schedule())).beta();
      double[] alphasCumprod = new double[beta.length];
      alphasCumprod[0] = 1;
      for (int t = 1; t < beta.length; t++) {
        alphasCumprod[t] = alphasCumprod[t - 1] * (1 - beta[t]);
      }
      int per = r.x0().perSample();
      double[] out = new double[r.t().length];
      for (int b = 0; b < out.length; b++) {
        int t = r.t()[b];
        double alphaProdT = alphasCumprod[t];
        double alphaProdPrev = alphasCumprod[t - 1];
        double currentAlpha = alphaProdT / alphaProdPrev;
        double currentBeta = 1 - currentAlpha;
        double betaTilde = (1 - alphaProdPrev) / (1 - alphaProdT) * currentBeta;
        double c0 = Math.sqrt(alphaProdPrev) * currentBeta / (1 - alphaProdT);
        double ct = Math.sqrt(currentAlpha) * (1 - alphaProdPrev) / (1 - alphaProdT);
        double sigma2 = r.choice() == VarianceChoice.FIXED_SMALL ? betaTilde : currentBeta;
        double ratio = betaTilde / sigma2;
        double sum = 0;
        for (int i = b * per; i < (b + 1) * per; i++) {
          double xt = r.xt().data()[i];
          double x0Hat = (xt - Math.sqrt(1 - alphaProdT) * r.modelOutput().data()[i])
              / Math.sqrt(alphaProdT);
          double meanQ = c0 * r.x0().data()[i] + ct * xt;
          double meanP = c0 * x0Hat + ct * xt;
          double d = meanQ - meanP;
          sum += 0.5 * (ratio - 1 - Math.log(ratio) + d * d / sigma2);
        }
        out[b] = sum;
      }
      return out;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"KL-4", "ELBO-4"})
  void coefficientsAsDiffusersFormsThemPass(String id) {
    Rule rule = Catalogue.all().stream().filter(r -> r.info().id().equals(id)).findFirst()
        .orElseThrow();
    RuleResult r = new RuleRunner(RunSettings.defaults()).runOne(new DiffusersCoefficients(), rule);
    assertThat(r.status()).as(DiffusionTck.describe(r)).isEqualTo(Status.PASS);
  }
}
