package org.diffusiontck.checks.mutants;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.InversionEnd;
import org.diffusiontck.checks.impl.InversionModelTime;
import org.diffusiontck.checks.impl.LoopRequests;
import org.diffusiontck.checks.impl.Model;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.Quantity;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.reference.ReferenceImplementation;
import org.diffusiontck.checks.rules.ModelCalls;

/**
 * Mutants of the loops around the steps: the reference's loops with the model called at the wrong
 * time, or the loop ending in the wrong place. Each is caught by a LOOP rule.
 */
final class LoopMutants {
  private LoopMutants() {}

  /** An inversion loop that ends one step past t_1, onto ᾱ = 0 (improved-diffusion's). */
  private static final Conventions PAST_T =
      Conventions.defaults().withInversionEnd(InversionEnd.ALPHA_BAR_ZERO);

  private static final Set<Operation> SAMPLING =
      Set.of(Operation.DDPM_SAMPLE, Operation.DDIM_SAMPLE);

  /** How a mutant bends the model a loop calls; fresh for each loop run. */
  @FunctionalInterface
  private interface Bend {
    Model around(Model model);
  }

  static List<Mutant> all() {
    return List.of(
        new Mutant("L01", "the model given the loop index i (0, 1, ...) instead of the timestep "
            + "t (for i, t in enumerate(timesteps): model(x, i))", SAMPLING,
            bending(model -> {
              int[] i = {0};
              return (x, t) -> model.output(x, i[0]++);
            })),
        new Mutant("L02", "the model asked at the previous step's t (the timestep list and the "
            + "state one step apart)", SAMPLING, bending(model -> {
              int[] previous = {-1};
              return (x, t) -> {
                int asked = previous[0] < 0 ? t : previous[0];
                previous[0] = t;
                return model.output(x, asked);
              };
            })),
        new Mutant("L03", "inversion evaluates the model at the source timestep while TARGET is "
            + "declared", Set.of(Operation.DDIM_INVERT), new ReferenceImplementation() {
              @Override
              public Declaration declaration() {
                return super.declaration().withConventions(
                    Conventions.defaults().withInversionModelTime(InversionModelTime.TARGET));
              }
            }),
        new Mutant("L04", "inversion's last step past t_1 onto alphaBar = 0 (declared) moves to "
            + "alphaBar_T instead: sqrt(alphaBar_T) x0-hat + sqrt(1 - alphaBar_T) eps-hat",
            Set.of(Operation.DDIM_INVERT), new ReferenceImplementation(PAST_T) {
              @Override
              public Tensor ddimInvert(LoopRequests.DdimInvert r, Model model) {
                ModelCalls.Call[] last = {null};
                Tensor eps = super.ddimInvert(r, (x, t) -> {
                  Tensor out = model.output(x, t);
                  last[0] = new ModelCalls.Call(x, t, out);
                  return out;
                });
                int[] t1 = new int[eps.batch()];
                Arrays.fill(t1, last[0].t());
                Tensor x0 = convert(new Requests.Convert(r.schedule(),
                    Quantity.valueOf(r.prediction().name()), Quantity.X0, last[0].xt(), t1,
                    last[0].output()));
                double[] alphaBar = schedule(new Requests.Schedule(r.schedule())).alphaBar();
                double abT = alphaBar[alphaBar.length - 1];
                double[] x = new double[eps.data().length];
                for (int i = 0; i < x.length; i++) {
                  x[i] = Math.sqrt(abT) * x0.data()[i] + Math.sqrt(1 - abT) * eps.data()[i];
                }
                return eps.withData(x);
              }
            }),
        new Mutant("L05", "DDIM's trajectory skips the final step: the loop returns x as it "
            + "was at the last model call", Set.of(Operation.DDIM_SAMPLE),
            new ReferenceImplementation() {
              @Override
              public Tensor ddimSample(LoopRequests.DdimSample r, Model model) {
                Tensor[] last = {null};
                super.ddimSample(r, (x, t) -> {
                  last[0] = x;
                  return model.output(x, t);
                });
                return last[0];
              }
            }),
        new Mutant("L06", "the loop stops one step early (range(N - 1)): no model call at t_N, "
            + "x at t_N returned", SAMPLING, new ReferenceImplementation() {
              @Override
              public Tensor ddimSample(LoopRequests.DdimSample r, Model model) {
                return early(r.count(), model, m -> super.ddimSample(r, m));
              }

              @Override
              public Tensor ddpmSample(LoopRequests.DdpmSample r, Model model) {
                return early(r.count(), model, m -> super.ddpmSample(r, m));
              }
            }));
  }

  /** The reference whose sampling loops call {@code bend}'s model instead of the kit's. */
  private static ReferenceImplementation bending(Bend bend) {
    return new ReferenceImplementation() {
      @Override
      public Tensor ddimSample(LoopRequests.DdimSample r, Model model) {
        return super.ddimSample(r, bend.around(model));
      }

      @Override
      public Tensor ddpmSample(LoopRequests.DdpmSample r, Model model) {
        return super.ddpmSample(r, bend.around(model));
      }
    };
  }

  /** The loop cut off before its N-th model call, answering x as it was then. */
  private static Tensor early(int count, Model model,
      java.util.function.Function<Model, Tensor> loop) {
    final class Stop extends RuntimeException {
      final transient Tensor x;

      Stop(Tensor x) {
        super(null, null, false, false);
        this.x = x;
      }
    }
    int[] calls = {0};
    try {
      return loop.apply((x, t) -> {
        if (++calls[0] == count) {
          throw new Stop(x);
        }
        return model.output(x, t);
      });
    } catch (Stop s) {
      return s.x;
    }
  }
}
