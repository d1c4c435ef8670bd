package org.diffusiontck.checks.impl;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a sampling step does to x̂_0 ({@code spec/CONVENTIONS.md}, "Clipping x̂_0"): none, a clamp to
 * [−1, 1], or Saharia et al. 2022's dynamic thresholding with a percentile and a cap.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Clipping(Kind kind, Double percentile, Double maxValue) {
  /** The three treatments. */
  public enum Kind {
    /** x̂_0 as predicted. */
    NONE,
    /** x̂_0 clamped to [−1, 1]. */
    CLIP,
    /**
     * Dynamic thresholding: per sample s = min(max(q, 1), maxValue), q the percentile of |x̂_0|;
     * x̂_0 clamped to [−s, s] and divided by s.
     */
    DYNAMIC
  }

  /** No treatment. */
  public static final Clipping NONE = new Clipping(Kind.NONE, null, null);
  /** The clamp to [−1, 1]. */
  public static final Clipping CLIP = new Clipping(Kind.CLIP, null, null);

  /**
   * Dynamic thresholding (Saharia et al. 2022, §3).
   *
   * @param percentile the percentile p of |x̂_0| per sample, e.g. 0.995
   * @param maxValue the cap on s (diffusers' {@code sample_max_value})
   * @return the treatment
   */
  public static Clipping dynamic(double percentile, double maxValue) {
    return new Clipping(Kind.DYNAMIC, percentile, maxValue);
  }

  @Override
  public String toString() {
    return kind == Kind.DYNAMIC ? "dynamic(p=" + percentile + ", max=" + maxValue + ")"
        : kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
