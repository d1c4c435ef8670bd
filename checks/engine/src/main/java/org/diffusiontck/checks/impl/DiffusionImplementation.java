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

  default Tensor reverseLogVariance(Requests.ReverseLogVariance request) {
    throw notOffered(Operation.REVERSE_LOG_VARIANCE);
  }

  default double[] kl(Requests.Kl request) {
    throw notOffered(Operation.KL);
  }

  default double[] priorTerm(Requests.PriorTerm request) {
    throw notOffered(Operation.PRIOR_TERM);
  }

  default double[] stepTerm(Requests.StepTerm request) {
    throw notOffered(Operation.STEP_TERM);
  }

  default double[] decoderNll(Requests.DecoderNll request) {
    throw notOffered(Operation.DECODER_NLL);
  }

  default Tensor ddpmStep(Requests.DdpmStep request) {
    throw notOffered(Operation.DDPM_STEP);
  }

  default Tensor ddimStep(Requests.DdimStep request) {
    throw notOffered(Operation.DDIM_STEP);
  }

  default Tensor ddimInvertStep(Requests.DdimInvertStep request) {
    throw notOffered(Operation.DDIM_INVERT_STEP);
  }

  default StepPlan timesteps(Requests.Timesteps request) {
    throw notOffered(Operation.TIMESTEPS);
  }

  /**
   * The implementation's own DDPM sampling loop over the selected timesteps, asking {@code model}
   * for its output at each step.
   */
  default Tensor ddpmSample(LoopRequests.DdpmSample request, Model model) {
    throw notOffered(Operation.DDPM_SAMPLE);
  }

  /**
   * The implementation's own DDIM sampling loop over the selected timesteps, asking {@code model}
   * for its output at each step.
   */
  default Tensor ddimSample(LoopRequests.DdimSample request, Model model) {
    throw notOffered(Operation.DDIM_SAMPLE);
  }

  /**
   * The implementation's own DDIM inversion loop up the selected timesteps, asking {@code model}
   * for its output at the declared inversion time of each step.
   */
  default Tensor ddimInvert(LoopRequests.DdimInvert request, Model model) {
    throw notOffered(Operation.DDIM_INVERT);
  }

  private static UnsupportedOperationException notOffered(Operation op) {
    return new UnsupportedOperationException("operation " + op.label() + " is not offered");
  }
}
