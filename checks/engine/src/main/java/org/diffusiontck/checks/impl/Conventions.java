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
    NormalCdf decoderCdf) {

  /** The reference's defaults. */
  public static Conventions defaults() {
    return new Conventions(LinearEndpoints.FIXED, T1LogVariance.CLIP_TO_BETA_TILDE_2,
        DdimEpsilon.MODEL, FinalAlphaBar.ONE, PreviousTimestep.NEXT_SELECTED,
        InversionModelTime.SOURCE, NormalCdf.EXACT);
  }

  public Conventions withLinearEndpoints(LinearEndpoints v) {
    return new Conventions(v, t1LogVariance, ddimEpsilon, finalAlphaBar, previousTimestep,
        inversionModelTime, decoderCdf);
  }

  public Conventions withT1LogVariance(T1LogVariance v) {
    return new Conventions(linearEndpoints, v, ddimEpsilon, finalAlphaBar, previousTimestep,
        inversionModelTime, decoderCdf);
  }

  public Conventions withDdimEpsilon(DdimEpsilon v) {
    return new Conventions(linearEndpoints, t1LogVariance, v, finalAlphaBar, previousTimestep,
        inversionModelTime, decoderCdf);
  }

  public Conventions withFinalAlphaBar(FinalAlphaBar v) {
    return new Conventions(linearEndpoints, t1LogVariance, ddimEpsilon, v, previousTimestep,
        inversionModelTime, decoderCdf);
  }

  public Conventions withPreviousTimestep(PreviousTimestep v) {
    return new Conventions(linearEndpoints, t1LogVariance, ddimEpsilon, finalAlphaBar, v,
        inversionModelTime, decoderCdf);
  }

  public Conventions withDecoderCdf(NormalCdf v) {
    return new Conventions(linearEndpoints, t1LogVariance, ddimEpsilon, finalAlphaBar,
        previousTimestep, inversionModelTime, v);
  }
}
