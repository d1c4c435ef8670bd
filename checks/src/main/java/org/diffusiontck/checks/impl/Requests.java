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
}
