package org.diffusiontck.checks.cli;

import org.diffusiontck.reference.oracle.GaussianData;
import org.diffusiontck.reference.oracle.IndependentGaussian;
import org.diffusiontck.reference.oracle.SamplerLaw;
import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.reverse.VarianceChoice;
import org.diffusiontck.reference.sampling.DdimEpsilon;
import org.diffusiontck.reference.sampling.DdimSampler;
import org.diffusiontck.reference.sampling.DdimStep;
import org.diffusiontck.reference.sampling.DdpmSampler;
import org.diffusiontck.reference.sampling.DdpmStep;
import org.diffusiontck.reference.sampling.FinalAlphaBar;
import org.diffusiontck.reference.sampling.PreviousTimestep;
import org.diffusiontck.reference.sampling.Sampler;
import org.diffusiontck.reference.sampling.Timesteps;
import org.diffusiontck.reference.sampling.X0Clipping;
import org.diffusiontck.reference.schedule.NoiseSchedule;

/**
 * A sampler of the studies ({@code tck study}): DDIM at η (landing on ᾱ_0 = 1, stepping to the
 * next selected timestep), or strided DDPM with a fixed variance (improved-diffusion's respacing,
 * log β̃_2 at t = 1); never clipping.
 *
 * @param label as written on the command line
 * @param eta η for DDIM, NaN for DDPM
 * @param variance the fixed variance for DDPM, null for DDIM
 */
public record StudySampler(String label, double eta, VarianceChoice variance) {
  /** "ddim:η" (η in [0, 1]) or "ddpm:small" / "ddpm:large". */
  public static StudySampler parse(String text) {
    String[] parts = text.trim().split(":", -1);
    if (parts.length == 2 && parts[0].equals("ddim")) {
      double eta;
      try {
        eta = Double.parseDouble(parts[1]);
      } catch (NumberFormatException e) {
        eta = Double.NaN;
      }
      if (!(eta >= 0 && eta <= 1)) {
        throw new IllegalArgumentException(
            "--samplers: η of ddim:η must be a number in [0, 1], got '" + text + "'");
      }
      return new StudySampler(text.trim(), eta, null);
    }
    if (parts.length == 2 && parts[0].equals("ddpm")
        && (parts[1].equals("small") || parts[1].equals("large"))) {
      return new StudySampler(text.trim(), Double.NaN, parts[1].equals("small")
          ? VarianceChoice.FIXED_SMALL : VarianceChoice.FIXED_LARGE);
    }
    throw new IllegalArgumentException("--samplers: expected ddim:η, ddpm:small or ddpm:large,"
        + " got '" + text + "'");
  }

  public boolean ddim() {
    return variance == null;
  }

  /** The exact law of this sampler's output over {@code timesteps}. */
  public IndependentGaussian law(GaussianData data, Timesteps timesteps) {
    NoiseSchedule schedule = data.schedule();
    if (ddim()) {
      return SamplerLaw.ddim(data, ddimStep(schedule), timesteps,
          PreviousTimestep.NEXT_SELECTED);
    }
    return SamplerLaw.ddpm(data, ddpmStep(schedule, timesteps));
  }

  /** The reference sampler itself, over {@code timesteps}: for sampling a model. */
  public Sampler sampler(NoiseSchedule schedule, Timesteps timesteps) {
    return ddim()
        ? new DdimSampler(ddimStep(schedule), timesteps, PreviousTimestep.NEXT_SELECTED)
        : new DdpmSampler(ddpmStep(schedule, timesteps));
  }

  /** DDIM at η, landing on ᾱ_0 = 1, no clipping, the model's ε. */
  private DdimStep ddimStep(NoiseSchedule schedule) {
    return new DdimStep(schedule, eta, DdimEpsilon.MODEL, FinalAlphaBar.ONE, X0Clipping.NONE);
  }

  /** Strided DDPM with the fixed variance, no clipping, log β̃_2 at t = 1. */
  private DdpmStep ddpmStep(NoiseSchedule schedule, Timesteps timesteps) {
    return new DdpmStep(schedule, timesteps, variance, T1LogVariance.CLIP_TO_BETA_TILDE_2,
        X0Clipping.NONE);
  }
}
