package org.diffusiontck.checks.impl;

/**
 * A diffusion-math implementation under test. It declares what it offers and which conventions it
 * follows ({@link #declaration()}); rules only send it requests for operations it declares.
 * Timesteps are the papers' t ∈ {0..T} ({@code spec/CONVENTIONS.md}); arrays are C order. To refuse
 * an input, throw {@link IllegalArgumentException} (or {@link Rejected}).
 */
public interface DiffusionImplementation {
  /** Capabilities and conventions. */
  Declaration declaration();

  default ScheduleTables schedule(Requests.Schedule request) {
    throw notOffered(Operation.SCHEDULE);
  }

  default Tensor forwardSample(Requests.ForwardSample request) {
    throw notOffered(Operation.FORWARD_SAMPLE);
  }

  default PosteriorResult posterior(Requests.Posterior request) {
    throw notOffered(Operation.POSTERIOR);
  }

  default Tensor convert(Requests.Convert request) {
    throw notOffered(Operation.CONVERT);
  }

  default Tensor noise(Requests.Noise request) {
    throw notOffered(Operation.NOISE);
  }

  private static UnsupportedOperationException notOffered(Operation op) {
    return new UnsupportedOperationException("operation " + op.label() + " is not offered");
  }
}
