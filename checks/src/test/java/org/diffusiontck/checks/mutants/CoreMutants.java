package org.diffusiontck.checks.mutants;

import java.util.List;
import java.util.Set;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.LinearEndpoints;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.PosteriorResult;
import org.diffusiontck.checks.impl.Quantity;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.ScheduleKind;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.ScheduleTables;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.reference.ReferenceImplementation;

/** Mutants of the schedule, forward process, posterior, conversions and noise. */
final class CoreMutants {
  private CoreMutants() {}

  static List<Mutant> all() {
    return List.of(
        new Mutant("M01", "q(x_t | x_s) indexes alphaBar one step late (alphas_cumprod[t] with the "
            + "paper's t)", Set.of(Operation.FORWARD_SAMPLE), new ReferenceImplementation() {
              @Override
              public Tensor forwardSample(Requests.ForwardSample r) {
                int T = r.schedule().steps();
                int[] t = r.t().clone();
                int[] s = r.s().clone();
                for (int b = 0; b < t.length; b++) {
                  t[b] = Math.min(t[b] + 1, T);
                  s[b] = Math.min(s[b] + (s[b] > 0 ? 1 : 0), t[b] - 1);
                }
                return super.forwardSample(
                    new Requests.ForwardSample(r.schedule(), r.xs(), s, t, r.eps()));
              }
            }),
        new Mutant("M02", "q(x_t | x_s) uses alphaBar_t/alphaBar_s and 1 - alphaBar_t/alphaBar_s "
            + "without square roots", Set.of(Operation.FORWARD_SAMPLE),
            new ReferenceImplementation() {
              @Override
              public Tensor forwardSample(Requests.ForwardSample r) {
                double[] ab = schedule(new Requests.Schedule(r.schedule())).alphaBar();
                double[] out = new double[r.xs().data().length];
                int per = r.xs().perSample();
                for (int i = 0; i < out.length; i++) {
                  int b = i / per;
                  double ratio = ab[r.t()[b]] / ab[r.s()[b]];
                  out[i] = ratio * r.xs().data()[i] + (1 - ratio) * r.eps().data()[i];
                }
                return r.xs().withData(out);
              }
            }),
        new Mutant("M03", "posterior variance beta_{t|s} where betaTilde belongs",
            Set.of(Operation.POSTERIOR), new ReferenceImplementation() {
              @Override
              public PosteriorResult posterior(Requests.Posterior r) {
                PosteriorResult p = super.posterior(r);
                double[] ab = schedule(new Requests.Schedule(r.schedule())).alphaBar();
                double[] v = new double[r.t().length];
                for (int b = 0; b < v.length; b++) {
                  v[b] = 1 - ab[r.t()[b]] / ab[r.s()[b]];
                }
                return new PosteriorResult(p.mean(), v);
              }
            }),
        new Mutant("M04", "posterior mean with the coefficients of x_0 and x_t swapped",
            Set.of(Operation.POSTERIOR), new ReferenceImplementation() {
              @Override
              public PosteriorResult posterior(Requests.Posterior r) {
                return super.posterior(
                    new Requests.Posterior(r.schedule(), r.xt(), r.x0(), r.t(), r.s()));
              }
            }),
        new Mutant("M05", "strided posterior (s < t - 1) computed as the one-step posterior at t",
            Set.of(Operation.POSTERIOR), new ReferenceImplementation() {
              @Override
              public PosteriorResult posterior(Requests.Posterior r) {
                int[] s = r.t().clone();
                for (int b = 0; b < s.length; b++) {
                  s[b] = r.t()[b] - 1;
                }
                return super.posterior(
                    new Requests.Posterior(r.schedule(), r.x0(), r.xt(), r.t(), s));
              }
            }),
        new Mutant("M06", "v with the sign flipped (sqrt(1 - alphaBar) x_0 - sqrt(alphaBar) eps)",
            Set.of(Operation.CONVERT), new ReferenceImplementation() {
              @Override
              public Tensor convert(Requests.Convert r) {
                Tensor in = r.from() == Quantity.V ? negate(r.value()) : r.value();
                Tensor out = super.convert(
                    new Requests.Convert(r.schedule(), r.from(), r.to(), r.xt(), r.t(), in));
                return r.to() == Quantity.V ? negate(out) : out;
              }
            }),
        new Mutant("M07", "score = -eps, missing the 1/sqrt(1 - alphaBar_t) factor",
            Set.of(Operation.CONVERT), new ReferenceImplementation() {
              @Override
              public Tensor convert(Requests.Convert r) {
                Quantity from = r.from() == Quantity.SCORE ? Quantity.EPSILON : r.from();
                Tensor in = r.from() == Quantity.SCORE ? negate(r.value()) : r.value();
                Quantity to = r.to() == Quantity.SCORE ? Quantity.EPSILON : r.to();
                Tensor out = super.convert(
                    new Requests.Convert(r.schedule(), from, to, r.xt(), r.t(), in));
                return r.to() == Quantity.SCORE ? negate(out) : out;
              }
            }),
        new Mutant("M08", "linear endpoints rescaled by 1000/T while FIXED is declared",
            Set.of(Operation.SCHEDULE, Operation.FORWARD_SAMPLE, Operation.POSTERIOR,
                Operation.CONVERT),
            new ReferenceImplementation(
                Conventions.defaults().withLinearEndpoints(LinearEndpoints.SCALED_BY_1000_OVER_T)) {
              @Override
              public Declaration declaration() {
                return super.declaration().withConventions(Conventions.defaults());
              }
            }),
        new Mutant("M09", "cosine schedule without the 0.999 cap on beta",
            Set.of(Operation.SCHEDULE), new ReferenceImplementation() {
              @Override
              public ScheduleTables schedule(Requests.Schedule r) {
                ScheduleSpec s = r.schedule();
                if (s.kind() != ScheduleKind.COSINE) {
                  return super.schedule(r);
                }
                return super.schedule(new Requests.Schedule(new ScheduleSpec(s.kind(), s.steps(),
                    null, null, s.cosineOffset(), 1.0, null, s.zeroTerminalSnr())));
              }
            }),
        new Mutant("M10", "alphaBar accumulated in float32 (a float32 tensor default) while "
            + "float64 is declared", Set.of(Operation.SCHEDULE), new ReferenceImplementation() {
              @Override
              public ScheduleTables schedule(Requests.Schedule r) {
                ScheduleTables tab = super.schedule(r);
                double[] ab = tab.alphaBar().clone();
                float acc = 1f;
                for (int t = 1; t < ab.length; t++) {
                  acc *= (float) (1 - tab.beta()[t]);
                  ab[t] = acc;
                }
                return new ScheduleTables(tab.beta(), ab, tab.snr());
              }
            }),
        new Mutant("M11", "zero terminal SNR followed by the usual clip of beta at 0.999, so "
            + "alphaBar_T is not 0", Set.of(Operation.SCHEDULE), new ReferenceImplementation() {
              @Override
              public ScheduleTables schedule(Requests.Schedule r) {
                ScheduleTables tab = super.schedule(r);
                if (!r.schedule().zeroTerminalSnr()) {
                  return tab;
                }
                double[] betas = new double[tab.T()];
                for (int t = 1; t <= tab.T(); t++) {
                  betas[t - 1] = Math.min(tab.beta()[t], 0.999);
                }
                return super.schedule(new Requests.Schedule(ScheduleSpec.betas(betas)));
              }
            }),
        new Mutant("M12", "eps -> x_0 at alphaBar_t = 0 divides by zero instead of refusing",
            Set.of(Operation.CONVERT), new ReferenceImplementation() {
              @Override
              public Tensor convert(Requests.Convert r) {
                try {
                  return super.convert(r);
                } catch (IllegalArgumentException e) {
                  double[] inf = new double[r.value().data().length];
                  java.util.Arrays.fill(inf, Double.POSITIVE_INFINITY);
                  return r.value().withData(inf);
                }
              }
            }),
        new Mutant("M13", "Box-Muller pair written sine first", Set.of(Operation.NOISE),
            new ReferenceImplementation() {
              @Override
              public Tensor noise(Requests.Noise r) {
                Tensor z = super.noise(r);
                double[] d = z.data().clone();
                for (int i = 0; i + 1 < d.length; i += 2) {
                  double tmp = d[i];
                  d[i] = d[i + 1];
                  d[i + 1] = tmp;
                }
                return z.withData(d);
              }
            }),
        new Mutant("M14", "SNR table shifted by one timestep", Set.of(Operation.SCHEDULE),
            new ReferenceImplementation() {
              @Override
              public ScheduleTables schedule(Requests.Schedule r) {
                ScheduleTables tab = super.schedule(r);
                double[] snr = tab.snr().clone();
                for (int t = 1; t < snr.length - 1; t++) {
                  snr[t] = tab.snr()[t + 1];
                }
                return new ScheduleTables(tab.beta(), tab.alphaBar(), snr);
              }
            }),
        new Mutant("M15", "a 0-based alphas_cumprod array handed over as the paper's table "
            + "(index t holds alphaBar_{t+1})", Set.of(Operation.SCHEDULE),
            new ReferenceImplementation() {
              @Override
              public ScheduleTables schedule(Requests.Schedule r) {
                ScheduleTables tab = super.schedule(r);
                double[] ab = tab.alphaBar().clone();
                for (int t = 0; t < ab.length - 1; t++) {
                  ab[t] = tab.alphaBar()[t + 1];
                }
                return new ScheduleTables(tab.beta(), ab, tab.snr());
              }
            }));
  }

  static Tensor negate(Tensor x) {
    double[] d = x.data().clone();
    for (int i = 0; i < d.length; i++) {
      d[i] = -d[i];
    }
    return x.withData(d);
  }
}
