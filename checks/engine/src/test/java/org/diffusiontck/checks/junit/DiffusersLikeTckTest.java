package org.diffusiontck.checks.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.diffusiontck.checks.conform.Conformance;
import org.diffusiontck.checks.conform.KitPaths;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.InversionModelTime;
import org.diffusiontck.checks.impl.PreviousTimestep;
import org.diffusiontck.checks.impl.T1LogVariance;
import org.diffusiontck.checks.rules.Rule;

/**
 * The JVM path, as an implementer uses it: a class implementing {@link DiffusionImplementation}
 * ({@link PlainJavaDiffusion}, plain double arithmetic from the papers) and a test extending {@link
 * DiffusionTck}, here also replaying the vectors, with only the engine on the classpath (no ND4J,
 * no reference). The implementation declares diffusers' conventions where they differ from the
 * kit's defaults (log 1e-20 at t = 1, a fixed DDIM stride, inversion evaluated at the target time),
 * so every rule and vector must pass under the conventions it declares — and none may be skipped.
 */
class DiffusersLikeTckTest extends DiffusionTck {
  /** diffusers' choices (spec/CONVENTIONS.md, summary table). */
  static final Conventions DIFFUSERS = new Conventions(
      Conventions.defaults().linearEndpoints(), T1LogVariance.CLAMP_1E_20,
      Conventions.defaults().ddimEpsilon(), Conventions.defaults().finalAlphaBar(),
      PreviousTimestep.FIXED_STRIDE, InversionModelTime.TARGET,
      Conventions.defaults().decoderCdf());

  @Override
  protected DiffusionImplementation implementation() {
    return new PlainJavaDiffusion(DIFFUSERS);
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
