package org.diffusiontck.checks.rules;

/**
 * |observed − expected| ≤ abs + rel · |expected|, with the argument for these numbers. NaN never
 * passes.
 */
public record Tolerance(double abs, double rel, String why) {
  public Tolerance {
    if (!(abs >= 0) || !(rel >= 0)) {
      throw new IllegalArgumentException(
          "tolerance must be non-negative, got abs " + abs + ", rel " + rel);
    }
  }

  /** Exact equality (0 error allowed). */
  public static Tolerance exact(String why) {
    return new Tolerance(0, 0, why);
  }

  /** The allowed error at {@code expected}. */
  public double allowed(double expected) {
    return abs + rel * Math.abs(expected);
  }

  /**
   * The error relative to the allowance: ≤ 1 passes. +∞ for NaN or an infinite mismatch; 0 when
   * both are the same infinity.
   */
  public double ratio(double expected, double observed) {
    if (Double.isNaN(observed) || Double.isNaN(expected)) {
      return Double.POSITIVE_INFINITY;
    }
    if (expected == observed) {
      return 0.0;
    }
    double err = Math.abs(observed - expected);
    double allowed = allowed(expected);
    return allowed == 0 ? Double.POSITIVE_INFINITY : err / allowed;
  }

  /**
   * The allowance for a sum whose rounded terms total {@code terms} in magnitude, with the
   * absolute part counted {@code absUnits} times: abs · absUnits + rel · terms, as an absolute
   * tolerance. A relative error in a coefficient moves the sum by that error times its term, not
   * times the sum, which is smaller wherever the terms cancel.
   */
  public Tolerance forSum(double absUnits, double terms) {
    return new Tolerance(abs * absUnits + rel * terms, 0, why);
  }

  /** A replacement tolerance of the same shape scaled so that {@code abs} becomes the value given. */
  public Tolerance overridden(double value, String reason) {
    return new Tolerance(value, rel == 0 ? 0 : value, "overridden: " + reason);
  }

  @Override
  public String toString() {
    if (abs == 0 && rel == 0) {
      return "exact";
    }
    if (rel == 0) {
      return "abs " + g(abs);
    }
    if (abs == 0) {
      return "rel " + g(rel);
    }
    return "abs " + g(abs) + " + rel " + g(rel);
  }

  private static String g(double v) {
    return String.format(java.util.Locale.ROOT, "%.3g", v);
  }
}
