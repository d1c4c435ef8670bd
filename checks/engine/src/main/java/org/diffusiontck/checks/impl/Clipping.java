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
    NONE,
    CLIP,
    DYNAMIC
  }

  public static final Clipping NONE = new Clipping(Kind.NONE, null, null);
  public static final Clipping CLIP = new Clipping(Kind.CLIP, null, null);

  public static Clipping dynamic(double percentile, double maxValue) {
    return new Clipping(Kind.DYNAMIC, percentile, maxValue);
  }

  @Override
  public String toString() {
    return kind == Kind.DYNAMIC ? "dynamic(p=" + percentile + ", max=" + maxValue + ")"
        : kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
