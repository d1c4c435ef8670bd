package org.diffusiontck.checks.mutants;

import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.NormalCdf;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.impl.VarianceChoice;
import org.diffusiontck.checks.reference.Nd;
import org.diffusiontck.checks.reference.ReferenceImplementation;
import org.diffusiontck.reference.PerSample;
import org.diffusiontck.reference.elbo.GaussianKl;
import org.diffusiontck.reference.param.Parameterization;
import org.diffusiontck.reference.posterior.Posterior;
import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.reverse.ReverseVariance;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Mutants of the reverse variance, the Gaussian KL and the terms of the bound. */
final class ElboMutants {
  private ElboMutants() {}

  static List<Mutant> all() {
    return List.of(
        new Mutant("E01", "KL with variances where log-variances belong (exp(lv2) - exp(lv1) in "
            + "place of lv2 - lv1)", Set.of(Operation.KL), new ReferenceImplementation() {
              @Override
              public double[] kl(Requests.Kl r) {
                return wrongKl(r, true, 0.5);
              }
            }),
        new Mutant("E02", "KL without the factor 1/2", Set.of(Operation.KL),
            new ReferenceImplementation() {
              @Override
              public double[] kl(Requests.Kl r) {
                return wrongKl(r, false, 1.0);
              }
            }),
        new Mutant("E03", "prior term L_T with the wrong sign of log(1 - alphaBar_T)",
            Set.of(Operation.PRIOR_TERM), new ReferenceImplementation() {
              @Override
              public double[] priorTerm(Requests.PriorTerm r) {
                double[] prior = super.priorTerm(r);
                NoiseSchedule s = schedule(r.schedule());
                double logVariance = Math.log(s.oneMinusAlphaBar(s.T()));
                for (int b = 0; b < prior.length; b++) {
                  prior[b] += logVariance * r.x0().perSample();
                }
                return prior;
              }
            }),
        new Mutant("E04", "decoder bins of width 1/255 instead of 2/255",
            Set.of(Operation.DECODER_NLL), new ReferenceImplementation() {
              @Override
              public double[] decoderNll(Requests.DecoderNll r) {
                return wrongDecoder(r, 0.5 / 255, true);
              }
            }),
        new Mutant("E05", "decoder edge bins (x_0 = -1 and 1) not open-ended",
            Set.of(Operation.DECODER_NLL), new ReferenceImplementation() {
              @Override
              public double[] decoderNll(Requests.DecoderNll r) {
                return wrongDecoder(r, 1.0 / 255, false);
              }
            }),
        new Mutant("E06", "decoder with the tanh approximation of the normal CDF while EXACT is "
            + "declared", Set.of(Operation.DECODER_NLL),
            new ReferenceImplementation(
                Conventions.defaults().withDecoderCdf(NormalCdf.TANH_APPROXIMATION)) {
              @Override
              public Declaration declaration() {
                return super.declaration().withConventions(Conventions.defaults());
              }
            }),
        new Mutant("E07", "L_{t-1} with the posterior variance beta_t where betaTilde_t belongs",
            Set.of(Operation.STEP_TERM), new ReferenceImplementation() {
              @Override
              public double[] stepTerm(Requests.StepTerm r) {
                NoiseSchedule s = schedule(r.schedule());
                return wrongStepTerm(s, r,
                    PerSample.fill(PerSample.coefficient(r.t(), t -> Math.log(s.beta(t))),
                        Nd.of(r.xt())), UnaryOperator.identity());
              }
            }),
        new Mutant("E08", "FIXED_LARGE at t = 1 takes log beta_1, ignoring the declared "
            + "CLIP_TO_BETA_TILDE_2", Set.of(Operation.REVERSE_LOG_VARIANCE),
            new ReferenceImplementation() {
              @Override
              public Tensor reverseLogVariance(Requests.ReverseLogVariance r) {
                if (r.choice() != VarianceChoice.FIXED_LARGE) {
                  return super.reverseLogVariance(r);
                }
                return Nd.of(new ReverseVariance(schedule(r.schedule()),
                    ReferenceImplementation.choice(r.choice()), T1LogVariance.BETA_1).logVariance(Nd.of(r.xt()), r.t(), null));
              }
            }),
        new Mutant("E09", "LEARNED_RANGE interpolates with v = u instead of (u + 1)/2",
            Set.of(Operation.REVERSE_LOG_VARIANCE), new ReferenceImplementation() {
              @Override
              public Tensor reverseLogVariance(Requests.ReverseLogVariance r) {
                if (r.choice() != VarianceChoice.LEARNED_RANGE) {
                  return super.reverseLogVariance(r);
                }
                double[] u = r.varianceOutput().data().clone();
                for (int i = 0; i < u.length; i++) {
                  u[i] = 2 * u[i] - 1; // the reference's (u' + 1)/2 is then u
                }
                return super.reverseLogVariance(new Requests.ReverseLogVariance(r.schedule(),
                    r.choice(), r.xt(), r.t(), r.varianceOutput().withData(u)));
              }
            }),
        new Mutant("E10", "LEARNED_VARIANCE output read as a log-variance",
            Set.of(Operation.REVERSE_LOG_VARIANCE), new ReferenceImplementation() {
              @Override
              public Tensor reverseLogVariance(Requests.ReverseLogVariance r) {
                VarianceChoice c = r.choice() == VarianceChoice.LEARNED_VARIANCE
                    ? VarianceChoice.LEARNED_LOG_VARIANCE : r.choice();
                return super.reverseLogVariance(new Requests.ReverseLogVariance(r.schedule(), c,
                    r.xt(), r.t(), r.varianceOutput()));
              }
            }),
        new Mutant("E11", "L_{t-1} computed with p_theta's variance passed where its "
            + "log-variance belongs (normal_kl called with a variance)",
            Set.of(Operation.STEP_TERM), new ReferenceImplementation() {
              @Override
              public double[] stepTerm(Requests.StepTerm r) {
                NoiseSchedule s = schedule(r.schedule());
                Posterior posterior = new Posterior(s);
                return wrongStepTerm(s, r, PerSample.fill(PerSample.coefficient(r.t(),
                        t -> Math.log(posterior.variance(t))), Nd.of(r.xt())),
                    lv -> Transforms.exp(lv, true));
              }
            }));
  }

  /**
   * scale · (−1 + Δ + e^{lv₁ − lv₂} + (μ₁ − μ₂)² e^{−lv₂}) summed per batch element, with Δ =
   * lv₂ − lv₁, or e^{lv₂} − e^{lv₁} when {@code variances} (the variance in place of its log).
   */
  private static double[] wrongKl(Requests.Kl r, boolean variances, double scale) {
    double[] m1 = r.mean1().data();
    double[] lv1 = r.logVariance1().data();
    double[] m2 = r.mean2().data();
    double[] lv2 = r.logVariance2().data();
    int per = r.mean1().perSample();
    double[] out = new double[r.mean1().batch()];
    for (int i = 0; i < m1.length; i++) {
      double delta = variances ? Math.exp(lv2[i]) - Math.exp(lv1[i]) : lv2[i] - lv1[i];
      double d = m1[i] - m2[i];
      out[i / per] += scale * (-1 + delta + Math.exp(lv1[i] - lv2[i]) + d * d * Math.exp(-lv2[i]));
    }
    return out;
  }

  /**
   * −log of the mass of N(μ, e^{lv}) on [x − h, x + h], floored at 1e-12, summed per batch
   * element; the edge bins open-ended only when {@code openEdges}.
   */
  private static double[] wrongDecoder(Requests.DecoderNll r, double h, boolean openEdges) {
    double[] x = r.x0().data();
    double[] mu = r.mean().data();
    double[] lv = r.logVariance().data();
    int per = r.x0().perSample();
    double[] out = new double[r.x0().batch()];
    for (int i = 0; i < x.length; i++) {
      double lower = openEdges && x[i] < -1 + 1e-6 ? Double.NEGATIVE_INFINITY : x[i] - h;
      double upper = openEdges && x[i] > 1 - 1e-6 ? Double.POSITIVE_INFINITY : x[i] + h;
      double invSigma = Math.exp(-0.5 * lv[i]);
      double p = org.diffusiontck.reference.elbo.NormalCdf.EXACT.mass(
          (lower - mu[i]) * invSigma, (upper - mu[i]) * invSigma);
      out[i / per] -= Math.log(Math.max(p, 1e-12));
    }
    return out;
  }

  /**
   * KL(N(μ̃(x_t, x_0), e^{qLogVariance}) ‖ N(μ̃(x_t, x̂_0), e^{p(log σ_t²)})): the step term with a
   * wrong q log-variance or a wrong transform of p_θ's log-variance.
   */
  private static double[] wrongStepTerm(NoiseSchedule s, Requests.StepTerm r,
      INDArray qLogVariance, UnaryOperator<INDArray> p) {
    INDArray xt = Nd.of(r.xt());
    INDArray x0Hat = ReferenceImplementation.prediction(r.prediction()).toX0(
        new Parameterization(s), xt, r.t(),
        Nd.of(r.modelOutput()));
    int[] prev = r.t().clone();
    for (int b = 0; b < prev.length; b++) {
      prev[b] -= 1;
    }
    Posterior posterior = new Posterior(s);
    INDArray logVariance = new ReverseVariance(s, ReferenceImplementation.choice(r.choice()),
        T1LogVariance.CLIP_TO_BETA_TILDE_2)
        .logVariance(xt, r.t(), r.varianceOutput() == null ? null : Nd.of(r.varianceOutput()));
    return GaussianKl.perSample(posterior.mean(xt, Nd.of(r.x0()), r.t(), prev), qLogVariance,
        posterior.mean(xt, x0Hat, r.t(), prev), p.apply(logVariance));
  }
}
