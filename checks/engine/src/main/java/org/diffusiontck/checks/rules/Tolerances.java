package org.diffusiontck.checks.rules;

import org.diffusiontck.checks.impl.Dtype;

/** A rule's tolerance for each dtype, each with its argument. */
public record Tolerances(Tolerance float64, Tolerance float32) {
  public Tolerance of(Dtype dtype) {
    return dtype == Dtype.FLOAT32 ? float32 : float64;
  }

  /** The same tolerance for both dtypes (exact or statistical bounds that do not depend on it). */
  public static Tolerances both(Tolerance t) {
    return new Tolerances(t, t);
  }
}
