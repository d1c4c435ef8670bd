package org.diffusiontck.checks.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import org.diffusiontck.checks.conform.Conformance;
import org.diffusiontck.checks.conform.KitPaths;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.InversionModelTime;
import org.diffusiontck.checks.impl.PreviousTimestep;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.Spacing;
import org.diffusiontck.checks.impl.T1LogVariance;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.rules.Rule;

/**
 * The JVM path, as an implementer uses it: a class implementing {@link DiffusionImplementation}
 * ({@link PlainJavaDiffusion}, plain double arithmetic from the papers) and a test extending {@link
 * DiffusionTck}, here also replaying the vectors, with only the engine on the classpath (no ND4J,
 * no reference). The implementation declares diffusers' conventions where they differ from the
 * kit's defaults (log 1e-20 at t = 1, a fixed DDIM stride, inversion evaluated at the target time),
 * so every rule and vector must pass under the conventions it declares — and none may be skipped.
 * Like diffusers' {@code DDIMScheduler.step} and {@code DDIMInverseScheduler.step}, which only
 * know t − ⌊T/N⌋, it refuses every DDIM pair (t, s) that no N gives, so a rule asking one fails;
 * it selects timesteps by diffusers' default spacing, "leading", on which the stride is exact.
 */
class DiffusersLikeTckTest extends DiffusionTck {
  /** diffusers' choices (spec/CONVENTIONS.md, summary table). */
  static final Conventions DIFFUSERS = new Conventions(
      Conventions.defaults().linearEndpoints(), T1LogVariance.CLAMP_1E_20,
      Conventions.defaults().ddimEpsilon(), Conventions.defaults().finalAlphaBar(),
      PreviousTimestep.FIXED_STRIDE, InversionModelTime.TARGET,
      Conventions.defaults().decoderCdf());

  /** The plain-Java implementation declaring diffusers' conventions, stepping as its DDIM does. */
  static final class DiffusersLike extends PlainJavaDiffusion {
    DiffusersLike() {
      super(DIFFUSERS);
    }

    @Override
    public Declaration declaration() {
      Declaration d = super.declaration();
      return new Declaration("diffusers-like (JVM)", d.dtype(), d.operations(), d.schedules(),
          d.zeroTerminalSnr(), d.predictions(), d.varianceChoices(), Set.of(Spacing.LEADING),
          d.clippings(), d.conventions());
    }

    @Override
    public Tensor ddimStep(Requests.DdimStep r) {
      return super.ddimStep(strided(r, r.schedule().steps(), r.t(), r.s()));
    }

    @Override
    public Tensor ddimInvertStep(Requests.DdimInvertStep r) {
      return super.ddimInvertStep(strided(r, r.schedule().steps(), r.t(), r.s()));
    }

    /** The request, if some N in 1..T steps from t to s (s = t − T // N, or s = 0); else refused. */
    private static <R> R strided(R request, int T, int t, int s) {
      for (int N = 1; N <= T; N++) {
        if (s == Math.max(t - T / N, 0)) {
          return request;
        }
      }
      throw new IllegalArgumentException("no number of inference steps N gives the step " + t
          + " -> " + s + " (t - " + T + " // N) at T = " + T);
    }
  }

  @Override
  protected DiffusionImplementation implementation() {
    return new DiffusersLike();
  }

  /** The catalogue with each rule's recorded cases after it. */
  @Override
  protected List<Rule> rules() {
    try {
      return Conformance.catalogueWithVectors(KitPaths.vectors());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
