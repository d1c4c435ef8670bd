package org.diffusiontck.checks.mutants;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.diffusiontck.checks.impl.Clipping;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.DdimEpsilon;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.FinalAlphaBar;
import org.diffusiontck.checks.impl.LinearEndpoints;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.Prediction;
import org.diffusiontck.checks.impl.PreviousTimestep;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.ScheduleTables;
import org.diffusiontck.checks.impl.Spacing;
import org.diffusiontck.checks.impl.StepPlan;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.impl.VarianceChoice;
import org.diffusiontck.checks.reference.Nd;
import org.diffusiontck.checks.reference.ReferenceImplementation;
import org.diffusiontck.checks.reference.ReferenceSchedules;
import org.diffusiontck.reference.sampling.DdimStep;
import org.diffusiontck.reference.sampling.X0Clipping;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Mutants of the DDPM and DDIM steps, DDIM inversion and timestep selection. */
final class SamplingMutants {
  private SamplingMutants() {}

  private static final Set<Operation> DDIM = Set.of(Operation.DDIM_STEP);
  private static final Set<Operation> STEPS =
      Set.of(Operation.DDPM_STEP, Operation.DDIM_STEP, Operation.DDIM_INVERT_STEP);

  static List<Mutant> all() {
    return List.of(
        new Mutant("S01", "DDIM eta dropped: sigma = 0 whatever eta (eta never reaches the step)",
            DDIM, new ReferenceImplementation() {
              @Override
              public Tensor ddimStep(Requests.DdimStep r) {
                return super.ddimStep(withEta(r, 0.0));
              }
            }),
        new Mutant("S02", "DDIM sigma missing the sqrt(1 - alphaBar_t/alphaBar_s) factor: "
            + "eta sqrt((1 - alphaBar_s)/(1 - alphaBar_t))", DDIM, new ReferenceImplementation() {
              @Override
              public Tensor ddimStep(Requests.DdimStep r) {
                return eq12(r, (ab, t, s, eta) -> {
                  double sigma = eta * Math.sqrt((1 - ab[s]) / (1 - ab[t]));
                  return new double[] {Math.sqrt(1 - ab[s] - sigma * sigma), sigma};
                });
              }
            }),
        new Mutant("S03", "last DDIM step lands on alphaBar_1 (set_alpha_to_one=False) while ONE "
            + "is declared", Set.of(Operation.DDIM_STEP, Operation.DDIM_INVERT_STEP),
            declaring(Conventions.defaults().withFinalAlphaBar(FinalAlphaBar.FIRST_SELECTED))),
        new Mutant("S04", "previous timestep t - T // N (diffusers DDIM's fixed stride) while "
            + "NEXT_SELECTED is declared", Set.of(Operation.TIMESTEPS),
            declaring(Conventions.defaults().withPreviousTimestep(PreviousTimestep.FIXED_STRIDE))),
        new Mutant("S05", "DDPM adds noise of variance beta_t on the step to t = 0 (the "
            + "nonzero_mask missing)", Set.of(Operation.DDPM_STEP), new ReferenceImplementation() {
              @Override
              public Tensor ddpmStep(Requests.DdpmStep r) {
                Tensor out = super.ddpmStep(r);
                if (r.s() != 0) {
                  return out;
                }
                double beta = schedule(new Requests.Schedule(r.schedule())).beta()[r.t()];
                return plus(out, Math.sqrt(beta), r.noise());
              }
            }),
        new Mutant("S06", "strided DDPM variance from the one-step beta_t (self.betas[t]) "
            + "instead of beta_{t|s}", Set.of(Operation.DDPM_STEP),
            new ReferenceImplementation() {
              @Override
              public Tensor ddpmStep(Requests.DdpmStep r) {
                boolean fixed = r.choice() == VarianceChoice.FIXED_SMALL
                    || r.choice() == VarianceChoice.FIXED_LARGE;
                if (r.s() == 0 || r.s() >= r.t() - 1 || !fixed) {
                  return super.ddpmStep(r);
                }
                ScheduleTables tab = schedule(new Requests.Schedule(r.schedule()));
                double beta = tab.beta()[r.t()];
                double variance = r.choice() == VarianceChoice.FIXED_LARGE ? beta
                    : (1 - tab.alphaBar()[r.s()]) / (1 - tab.alphaBar()[r.t()]) * beta;
                Tensor mean = super.ddpmStep(new Requests.DdpmStep(r.schedule(), r.prediction(),
                    r.choice(), r.clipping(), r.xt(), r.t(), r.s(), r.modelOutput(),
                    r.varianceOutput(), r.noise().withData(new double[r.noise().data().length])));
                return plus(mean, Math.sqrt(variance), r.noise());
              }
            }),
        new Mutant("S07", "x0-hat clipping requested but not applied (clip_sample ignored)",
            STEPS, new ReferenceImplementation() {
              @Override
              public Tensor ddpmStep(Requests.DdpmStep r) {
                return super.ddpmStep(new Requests.DdpmStep(r.schedule(), r.prediction(),
                    r.choice(), Clipping.NONE, r.xt(), r.t(), r.s(), r.modelOutput(),
                    r.varianceOutput(), r.noise()));
              }

              @Override
              public Tensor ddimStep(Requests.DdimStep r) {
                return super.ddimStep(new Requests.DdimStep(r.schedule(), r.prediction(),
                    r.eta(), Clipping.NONE, r.xt(), r.t(), r.s(), r.modelOutput(), r.noise()));
              }
            }),
        new Mutant("S08", "DDIM eps-hat recomputed from the clipped x0-hat "
            + "(use_clipped_model_output=True) while MODEL is declared", DDIM,
            declaring(Conventions.defaults()
                .withDdimEpsilon(DdimEpsilon.RECOMPUTED_FROM_CLIPPED_X0))),
        new Mutant("S09", "v-prediction read with the sign flipped in the steps "
            + "(v = sqrt(1 - alphaBar) x_0 - sqrt(alphaBar) eps)", STEPS,
            new ReferenceImplementation() {
              @Override
              public Tensor ddpmStep(Requests.DdpmStep r) {
                return super.ddpmStep(new Requests.DdpmStep(r.schedule(), r.prediction(),
                    r.choice(), r.clipping(), r.xt(), r.t(), r.s(),
                    flipV(r.prediction(), r.modelOutput()), r.varianceOutput(), r.noise()));
              }

              @Override
              public Tensor ddimStep(Requests.DdimStep r) {
                return super.ddimStep(new Requests.DdimStep(r.schedule(), r.prediction(),
                    r.eta(), r.clipping(), r.xt(), r.t(), r.s(),
                    flipV(r.prediction(), r.modelOutput()), r.noise()));
              }

              @Override
              public Tensor ddimInvertStep(Requests.DdimInvertStep r) {
                return super.ddimInvertStep(new Requests.DdimInvertStep(r.schedule(),
                    r.prediction(), r.clipping(), r.xs(), r.s(), r.t(),
                    flipV(r.prediction(), r.modelOutput())));
              }
            }),
        new Mutant("S10", "LEADING spacing without steps_offset (the offset ignored)",
            Set.of(Operation.TIMESTEPS), new ReferenceImplementation() {
              @Override
              public StepPlan timesteps(Requests.Timesteps r) {
                return super.timesteps(r.spacing() != Spacing.LEADING ? r
                    : new Requests.Timesteps(r.steps(), r.count(), r.spacing(), 0, r.sections()));
              }
            }),
        new Mutant("S11", "TRAILING keeps diffusers' index round(arange(T, 0, -T/N)) - 1 as the "
            + "paper's t (off by one)", Set.of(Operation.TIMESTEPS),
            new ReferenceImplementation() {
              @Override
              public StepPlan timesteps(Requests.Timesteps r) {
                StepPlan plan = super.timesteps(r);
                if (r.spacing() != Spacing.TRAILING) {
                  return plan;
                }
                return new StepPlan(Arrays.stream(plan.timesteps()).map(t -> t - 1).toArray(),
                    Arrays.stream(plan.previous()).map(t -> Math.max(t - 1, 0)).toArray());
              }
            }),
        new Mutant("S12", "DDIM direction term sqrt(1 - alphaBar_s) eps-hat, ignoring sigma^2",
            DDIM, new ReferenceImplementation() {
              @Override
              public Tensor ddimStep(Requests.DdimStep r) {
                return eq12(r, (ab, t, s, eta) -> new double[] {Math.sqrt(1 - ab[s]),
                    eta * Math.sqrt((1 - ab[s]) / (1 - ab[t]) * (1 - ab[t] / ab[s]))});
              }
            }),
        new Mutant("S13", "DDIM eta = 0 taken as unset and replaced by 1 (eta = eta or 1.0)",
            DDIM, new ReferenceImplementation() {
              @Override
              public Tensor ddimStep(Requests.DdimStep r) {
                return super.ddimStep(r.eta() == 0 ? withEta(r, 1.0) : r);
              }
            }),
        new Mutant("S14", "DDIM inversion lands on the source's alphaBar instead of the target's "
            + "(the stride's sign, diffusers #10695), so a step does not move",
            Set.of(Operation.DDIM_INVERT_STEP), new ReferenceImplementation() {
              @Override
              public Tensor ddimInvertStep(Requests.DdimInvertStep r) {
                return eq12(new Requests.DdimStep(r.schedule(), r.prediction(), 0.0,
                    r.clipping(), r.xs(), r.s(), r.s(), r.modelOutput(), r.xs()),
                    (ab, t, s, eta) -> new double[] {Math.sqrt(1 - ab[s]), 0});
              }
            }));
  }

  /** The reference following {@code c} while declaring the defaults. */
  private static ReferenceImplementation declaring(Conventions c) {
    return new ReferenceImplementation(c) {
      @Override
      public Declaration declaration() {
        return super.declaration().withConventions(Conventions.defaults());
      }
    };
  }

  private static Requests.DdimStep withEta(Requests.DdimStep r, double eta) {
    return new Requests.DdimStep(r.schedule(), r.prediction(), eta, r.clipping(), r.xt(), r.t(),
        r.s(), r.modelOutput(), r.noise());
  }

  /** x + c z. */
  private static Tensor plus(Tensor x, double c, Tensor z) {
    double[] out = x.data().clone();
    for (int i = 0; i < out.length; i++) {
      out[i] += c * z.data()[i];
    }
    return x.withData(out);
  }

  private static Tensor flipV(Prediction p, Tensor output) {
    return p == Prediction.V ? CoreMutants.negate(output) : output;
  }

  /** (direction coefficient, σ) of a mutated eq. 12 from ᾱ (t = 0..T) and the step. */
  @FunctionalInterface
  private interface Coefficients {
    double[] of(double[] alphaBar, int t, int s, double eta);
  }

  /**
   * √ᾱ_s x̂_0 + d ε̂ + σ z on the reference's own x̂_0 and ε̂ (default conventions, s landing on
   * itself), with (d, σ) from {@code f}.
   */
  private static Tensor eq12(Requests.DdimStep r, Coefficients f) {
    NoiseSchedule schedule = ReferenceSchedules.of(r.schedule(), LinearEndpoints.FIXED);
    DdimStep ref = new DdimStep(schedule, 0.0,
        org.diffusiontck.reference.sampling.DdimEpsilon.MODEL,
        org.diffusiontck.reference.sampling.FinalAlphaBar.ONE,
        ReferenceImplementation.clipping(r.clipping()));
    INDArray xt = Nd.of(r.xt());
    int[] t = new int[r.xt().batch()];
    Arrays.fill(t, r.t());
    INDArray output = Nd.of(r.modelOutput());
    org.diffusiontck.reference.param.Prediction prediction =
        ReferenceImplementation.prediction(r.prediction());
    INDArray x0 = ref.predictedX0(prediction, xt, t, output);
    double[] eps = Nd.of(ref.predictedEps(prediction, xt, t, output, x0)).data();
    double[] x0Data = Nd.of(x0).data();
    double[] c = f.of(schedule.alphaBars(), r.t(), r.s(), r.eta());
    double sqrtAlphaBar = Math.sqrt(schedule.alphaBar(r.s()));
    double[] out = new double[eps.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = sqrtAlphaBar * x0Data[i] + c[0] * eps[i] + c[1] * r.noise().data()[i];
    }
    return r.xt().withData(out);
  }

}
