package org.diffusiontck.checks.rules;

import java.util.function.Supplier;

/**
 * What one case of a rule observed: every comparison against the tolerance, the worst of them
 * (absolute and relative error, and where), and the first violated property.
 */
public final class Measurement {
  private final Tolerance tolerance;
  private double worstRatio = 0;
  private double worstAbs = 0;
  private double worstRel = 0;
  private String where = "";
  private String failure;

  public Measurement(Tolerance tolerance) {
    this.tolerance = tolerance;
  }

  public Tolerance tolerance() {
    return tolerance;
  }

  /** Compares one value under the rule's tolerance. */
  public void close(String what, double expected, double observed) {
    close(what, expected, observed, tolerance);
  }

  /** Compares one value under a tolerance of its own (e.g. a computed statistical bound). */
  public void close(String what, double expected, double observed, Tolerance tol) {
    double ratio = tol.ratio(expected, observed);
    double abs = Math.abs(observed - expected);
    if (Double.isNaN(abs)) {
      abs = Double.POSITIVE_INFINITY;
    }
    // relative error is undefined at expected = 0: such comparisons count for the absolute only
    double rel = expected == 0 ? 0 : abs / Math.abs(expected);
    if (expected == observed) {
      abs = 0;
      rel = 0;
    }
    worstAbs = Math.max(worstAbs, abs);
    worstRel = Math.max(worstRel, rel);
    if (where.isEmpty() || ratio > worstRatio) {
      worstRatio = ratio;
      where = what;
    }
    if (!(ratio <= 1) && failure == null) {
      failure = what + ": expected " + expected + ", observed " + observed + ", error " + abs
          + " > allowed " + tol.allowed(expected) + " (" + tol + ")";
    }
  }

  /** Compares arrays elementwise; {@code where} names the worst index. */
  public void close(String what, double[] expected, double[] observed) {
    if (observed == null || observed.length != expected.length) {
      fail(what + ": expected " + expected.length + " values, observed "
          + (observed == null ? "none" : observed.length));
      return;
    }
    for (int i = 0; i < expected.length; i++) {
      close(what + "[" + i + "]", expected[i], observed[i]);
    }
  }

  /** A property that must hold; {@code detail} says what was observed when it does not. */
  public void require(boolean holds, String what, Supplier<String> detail) {
    if (!holds && failure == null) {
      failure = what + ": " + detail.get();
    }
  }

  /** Records a violation directly. */
  public void fail(String message) {
    if (failure == null) {
      failure = message;
    }
  }

  public boolean failed() {
    return failure != null;
  }

  public String failure() {
    return failure;
  }

  public double worstRatio() {
    return worstRatio;
  }

  public double worstAbs() {
    return worstAbs;
  }

  public double worstRel() {
    return worstRel;
  }

  public String where() {
    return where;
  }
}
