package org.diffusiontck.checks.impl;


/**
 * The conventions an implementation follows wherever well-known codebases disagree ({@code
 * spec/CONVENTIONS.md}); rules compute their expectations under the declared choice.
 */
public record Conventions(
    LinearEndpoints linearEndpoints,
    T1LogVariance t1LogVariance,
    DdimEpsilon ddimEpsilon,
    FinalAlphaBar finalAlphaBar,
    PreviousTimestep previousTimestep,
    InversionModelTime inversionModelTime,
    NormalCdf decoderCdf,
    InversionEnd inversionEnd) {

  /**
   * Declarations that leave {@code inversionEnd} out (protocol version 1) mean LAST_SELECTED.
   *
   * @param linearEndpoints where the linear schedule's endpoints come from
   * @param t1LogVariance the reverse log-variance at t = 1
   * @param ddimEpsilon the ε̂ of the DDIM step's direction term
   * @param finalAlphaBar the ᾱ after the last sampling step
   * @param previousTimestep where a sampling step lands
   * @param inversionModelTime where inversion evaluates the model
   * @param decoderCdf the normal CDF of the discretized decoder
   * @param inversionEnd where the inversion loop ends
   */
  public Conventions {
    if (inversionEnd == null) {
      inversionEnd = InversionEnd.LAST_SELECTED;
    }
  }

  /**
   * The conventions of protocol version 1, which ends an inversion at the last selected t.
   *
   * @param linearEndpoints where the linear schedule's endpoints come from
   * @param t1LogVariance the reverse log-variance at t = 1
   * @param ddimEpsilon the ε̂ of the DDIM step's direction term
   * @param finalAlphaBar the ᾱ after the last sampling step
   * @param previousTimestep where a sampling step lands
   * @param inversionModelTime where inversion evaluates the model
   * @param decoderCdf the normal CDF of the discretized decoder
   */
  public Conventions(LinearEndpoints linearEndpoints, T1LogVariance t1LogVariance,
      DdimEpsilon ddimEpsilon, FinalAlphaBar finalAlphaBar, PreviousTimestep previousTimestep,
      InversionModelTime inversionModelTime, NormalCdf decoderCdf) {
    this(linearEndpoints, t1LogVariance, ddimEpsilon, finalAlphaBar, previousTimestep,
        inversionModelTime, decoderCdf, InversionEnd.LAST_SELECTED);
  }

  /**
   * The reference's defaults.
   *
   * @return the kit's conventions ({@code spec/CONVENTIONS.md})
   */
  public static Conventions defaults() {
    return new Conventions(LinearEndpoints.FIXED, T1LogVariance.CLIP_TO_BETA_TILDE_2,
        DdimEpsilon.MODEL, FinalAlphaBar.ONE, PreviousTimestep.NEXT_SELECTED,
        InversionModelTime.SOURCE, NormalCdf.EXACT);
  }

  /**
   * Whether a DDIM step lands on t − ⌊T/N⌋ ({@code PreviousTimestep.FIXED_STRIDE}): such an
   * implementation is only asked the pairs (t, s) that stride takes.
   *
   * @return true under {@code previousTimestep: fixed_stride}
   */
  public boolean fixedStride() {
    return previousTimestep == PreviousTimestep.FIXED_STRIDE;
  }

  /**
   * The same conventions with another choice of the linear schedule's endpoints.
   *
   * @param v the choice
   * @return the conventions
   */
  public Conventions withLinearEndpoints(LinearEndpoints v) {
    return new Conventions(v, t1LogVariance, ddimEpsilon, finalAlphaBar, previousTimestep,
        inversionModelTime, decoderCdf, inversionEnd);
  }

  /**
   * The same conventions with another log-variance at t = 1.
   *
   * @param v the choice
   * @return the conventions
   */
  public Conventions withT1LogVariance(T1LogVariance v) {
    return new Conventions(linearEndpoints, v, ddimEpsilon, finalAlphaBar, previousTimestep,
        inversionModelTime, decoderCdf, inversionEnd);
  }

  /**
   * The same conventions with another ε̂ in the DDIM step.
   *
   * @param v the choice
   * @return the conventions
   */
  public Conventions withDdimEpsilon(DdimEpsilon v) {
    return new Conventions(linearEndpoints, t1LogVariance, v, finalAlphaBar, previousTimestep,
        inversionModelTime, decoderCdf, inversionEnd);
  }

  /**
   * The same conventions with another ᾱ after the last step.
   *
   * @param v the choice
   * @return the conventions
   */
  public Conventions withFinalAlphaBar(FinalAlphaBar v) {
    return new Conventions(linearEndpoints, t1LogVariance, ddimEpsilon, v, previousTimestep,
        inversionModelTime, decoderCdf, inversionEnd);
  }

  /**
   * The same conventions with another previous timestep.
   *
   * @param v the choice
   * @return the conventions
   */
  public Conventions withPreviousTimestep(PreviousTimestep v) {
    return new Conventions(linearEndpoints, t1LogVariance, ddimEpsilon, finalAlphaBar, v,
        inversionModelTime, decoderCdf, inversionEnd);
  }

  /**
   * The same conventions with another model time in inversion.
   *
   * @param v the choice
   * @return the conventions
   */
  public Conventions withInversionModelTime(InversionModelTime v) {
    return new Conventions(linearEndpoints, t1LogVariance, ddimEpsilon, finalAlphaBar,
        previousTimestep, v, decoderCdf, inversionEnd);
  }

  /**
   * The same conventions with another normal CDF in the decoder.
   *
   * @param v the choice
   * @return the conventions
   */
  public Conventions withDecoderCdf(NormalCdf v) {
    return new Conventions(linearEndpoints, t1LogVariance, ddimEpsilon, finalAlphaBar,
        previousTimestep, inversionModelTime, v, inversionEnd);
  }

  /**
   * The same conventions with another end of the inversion loop.
   *
   * @param v the choice
   * @return the conventions
   */
  public Conventions withInversionEnd(InversionEnd v) {
    return new Conventions(linearEndpoints, t1LogVariance, ddimEpsilon, finalAlphaBar,
        previousTimestep, inversionModelTime, decoderCdf, v);
  }
}
