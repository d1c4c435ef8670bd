package org.diffusiontck.checks.impl;


/** The request records, one per {@link Operation}; each names its inputs as the papers do. */
public final class Requests {
  private Requests() {}

  /** The schedule tables β_t, ᾱ_t for t = 0..T. */
  public record Schedule(ScheduleSpec schedule) implements Request<ScheduleTables> {
    @Override
    public Operation operation() {
      return Operation.SCHEDULE;
    }

    @Override
    public ScheduleTables applyTo(DiffusionImplementation impl) {
      return impl.schedule(this);
    }
  }

  /**
   * A sample of q(x_t | x_s) for explicit noise ε, per batch element: √(ᾱ_t/ᾱ_s) x_s + √(1 −
   * ᾱ_t/ᾱ_s) ε. s = 0 is q(x_t | x_0) (Ho et al. 2020, eq. 4); s = t − 1 is one step (eq. 2).
   */
  public record ForwardSample(ScheduleSpec schedule, Tensor xs, int[] s, int[] t, Tensor eps)
      implements Request<Tensor> {
    @Override
    public Operation operation() {
      return Operation.FORWARD_SAMPLE;
    }

    @Override
    public Tensor applyTo(DiffusionImplementation impl) {
      return impl.forwardSample(this);
    }
  }

  /** q(x_s | x_t, x_0) for 0 ≤ s &lt; t per batch element (Ho et al. 2020, eqs. 6–7). */
  public record Posterior(ScheduleSpec schedule, Tensor x0, Tensor xt, int[] t, int[] s)
      implements Request<PosteriorResult> {
    @Override
    public Operation operation() {
      return Operation.POSTERIOR;
    }

    @Override
    public PosteriorResult applyTo(DiffusionImplementation impl) {
      return impl.posterior(this);
    }
  }

  /** Converts {@code value}, a {@code from} quantity at (x_t, t), to a {@code to} quantity. */
  public record Convert(
      ScheduleSpec schedule, Quantity from, Quantity to, Tensor xt, int[] t, Tensor value)
      implements Request<Tensor> {
    @Override
    public Operation operation() {
      return Operation.CONVERT;
    }

    @Override
    public Tensor applyTo(DiffusionImplementation impl) {
      return impl.convert(this);
    }
  }

  /** The portable noise tensor of {@code spec/NOISE.md} for (seed, stream) and a shape. */
  public record Noise(long seed, long stream, long[] shape) implements Request<Tensor> {
    @Override
    public Operation operation() {
      return Operation.NOISE;
    }

    @Override
    public Tensor applyTo(DiffusionImplementation impl) {
      return impl.noise(this);
    }
  }

  /**
   * log σ_t² of the reverse step p_θ(x_{t−1} | x_t) per coordinate, of x_t's shape, for one
   * variance choice under the declared t = 1 convention; {@code varianceOutput} is the model's
   * variance channel for learned choices (null for fixed ones). Ho et al. 2020, §3.2; Nichol &amp;
   * Dhariwal 2021, eq. 15.
   */
  public record ReverseLogVariance(
      ScheduleSpec schedule, VarianceChoice choice, Tensor xt, int[] t, Tensor varianceOutput)
      implements Request<Tensor> {
    @Override
    public Operation operation() {
      return Operation.REVERSE_LOG_VARIANCE;
    }

    @Override
    public Tensor applyTo(DiffusionImplementation impl) {
      return impl.reverseLogVariance(this);
    }
  }

  /** KL(N(mean1, exp(logVariance1)) ‖ N(mean2, exp(logVariance2))) per batch element, in nats. */
  public record Kl(Tensor mean1, Tensor logVariance1, Tensor mean2, Tensor logVariance2)
      implements Request<double[]> {
    @Override
    public Operation operation() {
      return Operation.KL;
    }

    @Override
    public double[] applyTo(DiffusionImplementation impl) {
      return impl.kl(this);
    }
  }

  /** L_T = KL(q(x_T | x_0) ‖ N(0, I)) per batch element, in nats (Ho et al. 2020, eq. 5). */
  public record PriorTerm(ScheduleSpec schedule, Tensor x0) implements Request<double[]> {
    @Override
    public Operation operation() {
      return Operation.PRIOR_TERM;
    }

    @Override
    public double[] applyTo(DiffusionImplementation impl) {
      return impl.priorTerm(this);
    }
  }

  /**
   * L_{t−1} = KL(q(x_{t−1} | x_t, x_0) ‖ p_θ(x_{t−1} | x_t)) per batch element for t ≥ 2, in nats,
   * with p_θ's mean μ̃(x_t, x̂_0) from the model output (Ho et al. 2020, eq. 5).
   */
  public record StepTerm(ScheduleSpec schedule, VarianceChoice choice, Prediction prediction,
      Tensor x0, Tensor xt, int[] t, Tensor modelOutput, Tensor varianceOutput)
      implements Request<double[]> {
    @Override
    public Operation operation() {
      return Operation.STEP_TERM;
    }

    @Override
    public double[] applyTo(DiffusionImplementation impl) {
      return impl.stepTerm(this);
    }
  }

  /**
   * −log of the discretized Gaussian N(mean, exp(logVariance)) at 8-bit data x_0 scaled to [−1, 1]
   * (bins of width 2/255, open edge bins), summed per batch element, in nats (Ho et al. 2020,
   * eq. 13), with the declared normal CDF.
   */
  public record DecoderNll(Tensor x0, Tensor mean, Tensor logVariance)
      implements Request<double[]> {
    @Override
    public Operation operation() {
      return Operation.DECODER_NLL;
    }

    @Override
    public double[] applyTo(DiffusionImplementation impl) {
      return impl.decoderNll(this);
    }
  }

  /**
   * One DDPM step t → s (s &lt; t, the same for the whole batch) for explicit noise: μ̃(x_t, x̂_0) +
   * σ z, with no noise when s = 0 (Ho et al. 2020, Algorithm 2; strided steps use β_{t|s}).
   */
  public record DdpmStep(ScheduleSpec schedule, Prediction prediction, VarianceChoice choice,
      Clipping clipping, Tensor xt, int t, int s, Tensor modelOutput, Tensor varianceOutput,
      Tensor noise) implements Request<Tensor> {
    @Override
    public Operation operation() {
      return Operation.DDPM_STEP;
    }

    @Override
    public Tensor applyTo(DiffusionImplementation impl) {
      return impl.ddpmStep(this);
    }
  }

  /**
   * One DDIM step t → s for explicit noise: √ᾱ_s x̂_0 + √(1 − ᾱ_s − σ²) ε̂ + σ z with σ = σ_t(η)
   * (Song et al. 2021, eqs. 12 and 16), under the declared DDIM conventions; s = 0 is the last step.
   */
  public record DdimStep(ScheduleSpec schedule, Prediction prediction, double eta,
      Clipping clipping, Tensor xt, int t, int s, Tensor modelOutput, Tensor noise)
      implements Request<Tensor> {
    @Override
    public Operation operation() {
      return Operation.DDIM_STEP;
    }

    @Override
    public Tensor applyTo(DiffusionImplementation impl) {
      return impl.ddimStep(this);
    }
  }

  /**
   * One DDIM inversion step x_s → x_t (s &lt; t, σ = 0) from the model output evaluated at the
   * declared inversion timestep (Song et al. 2021, §4.3).
   */
  public record DdimInvertStep(ScheduleSpec schedule, Prediction prediction, Clipping clipping,
      Tensor xs, int s, int t, Tensor modelOutput) implements Request<Tensor> {
    @Override
    public Operation operation() {
      return Operation.DDIM_INVERT_STEP;
    }

    @Override
    public Tensor applyTo(DiffusionImplementation impl) {
      return impl.ddimInvertStep(this);
    }
  }

  /**
   * The N timesteps a sampler visits out of T, by a spacing mode ({@code leadingOffset} for
   * LEADING, {@code sections} for SECTIONS, else null), and where each step lands.
   */
  public record Timesteps(int steps, int count, Spacing spacing, Integer leadingOffset,
      String sections) implements Request<StepPlan> {
    @Override
    public Operation operation() {
      return Operation.TIMESTEPS;
    }

    @Override
    public StepPlan applyTo(DiffusionImplementation impl) {
      return impl.timesteps(this);
    }
  }
}
