package org.diffusiontck.checks.impl;

/**
 * A diffusion-math implementation under test. It declares what it offers and which conventions it
 * follows ({@link #declaration()}); rules only send it requests for operations it declares.
 * Timesteps are the papers' t ∈ {0..T} ({@code spec/CONVENTIONS.md}); arrays are C order. To refuse
 * an input, throw {@link IllegalArgumentException} (or {@link Rejected}).
 */
public interface DiffusionImplementation {
  /**
   * Capabilities and conventions.
   *
   * @return the operations offered and the conventions followed
   */
  Declaration declaration();

  /**
   * Answers {@link Requests.Schedule}; by default the operation is not offered.
   *
   * @param request the request's schedule
   * @return β_t and ᾱ_t for t = 0..T
   */
  default ScheduleTables schedule(Requests.Schedule request) {
    throw notOffered(Operation.SCHEDULE);
  }

  /**
   * Answers {@link Requests.ForwardSample}; by default the operation is not offered.
   *
   * @param request x_s, the timesteps and the noise
   * @return x_t sampled from q(x_t | x_s)
   */
  default Tensor forwardSample(Requests.ForwardSample request) {
    throw notOffered(Operation.FORWARD_SAMPLE);
  }

  /**
   * Answers {@link Requests.Posterior}; by default the operation is not offered.
   *
   * @param request x_0, x_t and the timesteps
   * @return the mean and log-variance of q(x_s | x_t, x_0)
   */
  default PosteriorResult posterior(Requests.Posterior request) {
    throw notOffered(Operation.POSTERIOR);
  }

  /**
   * Answers {@link Requests.Convert}; by default the operation is not offered.
   *
   * @param request the value, its quantity and the quantity wanted
   * @return the value as the quantity wanted
   */
  default Tensor convert(Requests.Convert request) {
    throw notOffered(Operation.CONVERT);
  }

  /**
   * Answers {@link Requests.Noise}; by default the operation is not offered.
   *
   * @param request the seed, the stream and the shape
   * @return the portable noise tensor
   */
  default Tensor noise(Requests.Noise request) {
    throw notOffered(Operation.NOISE);
  }

  /**
   * Answers {@link Requests.ReverseLogVariance}; by default the operation is not offered.
   *
   * @param request the variance choice and the model's output
   * @return log σ_t² of p_θ(x_{t−1} | x_t)
   */
  default Tensor reverseLogVariance(Requests.ReverseLogVariance request) {
    throw notOffered(Operation.REVERSE_LOG_VARIANCE);
  }

  /**
   * Answers {@link Requests.Kl}; by default the operation is not offered.
   *
   * @param request the two Gaussians' means and log-variances
   * @return the KL divergence per batch element, in nats
   */
  default double[] kl(Requests.Kl request) {
    throw notOffered(Operation.KL);
  }

  /**
   * Answers {@link Requests.PriorTerm}; by default the operation is not offered.
   *
   * @param request the schedule and x_0
   * @return L_T per batch element, in nats
   */
  default double[] priorTerm(Requests.PriorTerm request) {
    throw notOffered(Operation.PRIOR_TERM);
  }

  /**
   * Answers {@link Requests.StepTerm}; by default the operation is not offered.
   *
   * @param request the schedule, the model's output and the conventions
   * @return L_{t−1} per batch element, in nats
   */
  default double[] stepTerm(Requests.StepTerm request) {
    throw notOffered(Operation.STEP_TERM);
  }

  /**
   * Answers {@link Requests.DecoderNll}; by default the operation is not offered.
   *
   * @param request x_0 and the decoder's mean and log-variance
   * @return L_0 per batch element, in nats
   */
  default double[] decoderNll(Requests.DecoderNll request) {
    throw notOffered(Operation.DECODER_NLL);
  }

  /**
   * Answers {@link Requests.DdpmStep}; by default the operation is not offered.
   *
   * @param request x_t, the model's output and the noise
   * @return x_s, the DDPM step's result
   */
  default Tensor ddpmStep(Requests.DdpmStep request) {
    throw notOffered(Operation.DDPM_STEP);
  }

  /**
   * Answers {@link Requests.DdimStep}; by default the operation is not offered.
   *
   * @param request x_t, the model's output, η and the noise
   * @return x_s, the DDIM step's result
   */
  default Tensor ddimStep(Requests.DdimStep request) {
    throw notOffered(Operation.DDIM_STEP);
  }

  /**
   * Answers {@link Requests.DdimInvertStep}; by default the operation is not offered.
   *
   * @param request x_s and the model's output
   * @return x_t, the inverted DDIM step's result
   */
  default Tensor ddimInvertStep(Requests.DdimInvertStep request) {
    throw notOffered(Operation.DDIM_INVERT_STEP);
  }

  /**
   * Answers {@link Requests.Timesteps}; by default the operation is not offered.
   *
   * @param request the number of steps, the spacing and its options
   * @return the timesteps selected and the step each goes to
   */
  default StepPlan timesteps(Requests.Timesteps request) {
    throw notOffered(Operation.TIMESTEPS);
  }

  /**
   * The implementation's own DDPM sampling loop over the selected timesteps, asking {@code model}
   * for its output at each step.
   *
   * @param request the loop's inputs, noise included
   * @param model the kit's model, to be asked once per step
   * @return the final sample
   */
  default Tensor ddpmSample(LoopRequests.DdpmSample request, Model model) {
    throw notOffered(Operation.DDPM_SAMPLE);
  }

  /**
   * The implementation's own DDIM sampling loop over the selected timesteps, asking {@code model}
   * for its output at each step.
   *
   * @param request the loop's inputs, noise included
   * @param model the kit's model, to be asked once per step
   * @return the final sample
   */
  default Tensor ddimSample(LoopRequests.DdimSample request, Model model) {
    throw notOffered(Operation.DDIM_SAMPLE);
  }

  /**
   * The implementation's own DDIM inversion loop up the selected timesteps, asking {@code model}
   * for its output at the declared inversion time of each step.
   *
   * @param request the loop's inputs, noise included
   * @param model the kit's model, to be asked once per step
   * @return the final sample
   */
  default Tensor ddimInvert(LoopRequests.DdimInvert request, Model model) {
    throw notOffered(Operation.DDIM_INVERT);
  }

  private static UnsupportedOperationException notOffered(Operation op) {
    return new UnsupportedOperationException("operation " + op.label() + " is not offered");
  }
}
