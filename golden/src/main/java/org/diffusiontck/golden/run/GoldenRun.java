package org.diffusiontck.golden.run;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.diffusiontck.golden.model.TimedModel;
import org.diffusiontck.golden.record.Metrics;
import org.diffusiontck.golden.record.SamplerSpec;
import org.diffusiontck.reference.elbo.BoundTerms;
import org.diffusiontck.reference.elbo.NormalCdf;
import org.diffusiontck.reference.elbo.VariationalBound;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.param.Parameterization;
import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.reverse.VarianceChoice;
import org.diffusiontck.reference.sampling.DdimEpsilon;
import org.diffusiontck.reference.sampling.DdimSampler;
import org.diffusiontck.reference.sampling.DdimStep;
import org.diffusiontck.reference.sampling.DdpmSampler;
import org.diffusiontck.reference.sampling.DdpmStep;
import org.diffusiontck.reference.sampling.FinalAlphaBar;
import org.diffusiontck.reference.sampling.InversionModelTime;
import org.diffusiontck.reference.sampling.PreviousTimestep;
import org.diffusiontck.reference.sampling.Sampler;
import org.diffusiontck.reference.sampling.StepListener;
import org.diffusiontck.reference.sampling.Timesteps;
import org.diffusiontck.reference.sampling.X0Clipping;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A golden run: the reference samplers on a model from the seeds' portable noise, the denoising
 * loss and the variational bound on the evaluation batch, and the extra runs of the sound-model
 * checks. The samplers use the reference's default conventions ({@link #CONVENTIONS}).
 */
public final class GoldenRun {
  /** The conventions of the samplers and the bound, as a manifest states them. */
  public static final String CONVENTIONS =
      "DDIM (Song et al. 2021, eq. 12): DdimEpsilon.MODEL, FinalAlphaBar.ONE,"
          + " PreviousTimestep.NEXT_SELECTED, X0Clipping.NONE; DDPM (Ho et al. 2020, Algorithm 2):"
          + " VarianceChoice.FIXED_SMALL, X0Clipping.NONE, no noise on the last step; DDIM"
          + " inversion: InversionModelTime.TARGET; bound (Ho et al. 2020, eq. 5):"
          + " VarianceChoice.FIXED_SMALL, T1LogVariance.CLIP_TO_BETA_TILDE_2, NormalCdf.EXACT";

  private GoldenRun() {}

  /** Runs everything {@code settings} asks for on {@code model}. */
  public static Outcome run(Settings settings, TimedModel model) {
    long started = System.nanoTime();
    long modelNanos = model.nanos();
    long modelCalls = model.calls();
    NoiseSchedule schedule = settings.schedule();
    INDArray xT = SeedNoise.start(settings.seeds(), settings.sampleShape());
    Map<String, INDArray> samples = new LinkedHashMap<>();
    for (SamplerSpec spec : settings.samplers()) {
      samples.put(spec.name(), sampler(spec, schedule).sample(model, xT,
          SeedNoise.steps(settings.seeds())));
    }
    SamplerSpec ddim = settings.samplers().stream()
        .filter(s -> s.kind().equals(SamplerSpec.DDIM) && s.eta() == 0)
        .max(Comparator.comparingInt(s -> s.timesteps().length)).orElseThrow();
    DdimSampler deterministic = (DdimSampler) sampler(ddim, schedule);
    INDArray repeat = deterministic.sample(model, xT, SeedNoise.steps(settings.seeds()));
    INDArray latent = deterministic.invert(model, samples.get(ddim.name()),
        InversionModelTime.TARGET, false, StepListener.NONE).sample();
    INDArray regenerated =
        deterministic.sample(model, latent, SeedNoise.steps(settings.seeds()));
    int[] atT = new int[settings.seeds().length];
    java.util.Arrays.fill(atT, schedule.T());
    INDArray epsAtT = model.prediction().toEps(new Parameterization(schedule), xT, atT,
        model.predict(xT, atT));

    INDArray x0 = settings.evaluationBatch();
    INDArray[] eps = new INDArray[schedule.T()];
    for (int t = 1; t <= schedule.T(); t++) {
      eps[t - 1] = new PortableNoise(settings.evaluationSeed(), t).normal(x0.shape());
    }
    LossProbe probe = new LossProbe(model, schedule, x0, eps);
    BoundTerms terms = new VariationalBound(schedule, VarianceChoice.FIXED_SMALL,
        T1LogVariance.CLIP_TO_BETA_TILDE_2, NormalCdf.EXACT).terms(x0, probe, eps);
    double[] bits = terms.bitsPerDimension();
    double[] loss = probe.loss();
    Metrics metrics = new Metrics(mean(bits), bits, mean(loss));
    return new Outcome(samples, loss, probe.zeroLoss(), metrics,
        new Outcome.Probes(ddim.name(), repeat, regenerated, xT, epsAtT),
        (System.nanoTime() - started) / 1_000_000, (model.nanos() - modelNanos) / 1_000_000,
        model.calls() - modelCalls);
  }

  /** The reference sampler a spec names, with the default conventions. */
  static Sampler sampler(SamplerSpec spec, NoiseSchedule schedule) {
    Timesteps timesteps = Timesteps.of(schedule.T(), spec.timesteps());
    if (spec.kind().equals(SamplerSpec.DDPM)) {
      return new DdpmSampler(new DdpmStep(schedule, timesteps, VarianceChoice.FIXED_SMALL,
          T1LogVariance.CLIP_TO_BETA_TILDE_2, X0Clipping.NONE));
    }
    return new DdimSampler(new DdimStep(schedule, spec.eta(), DdimEpsilon.MODEL,
        FinalAlphaBar.ONE, X0Clipping.NONE), timesteps, PreviousTimestep.NEXT_SELECTED);
  }

  private static double mean(double[] v) {
    double sum = 0;
    for (double x : v) {
      sum += x;
    }
    return sum / v.length;
  }
}
