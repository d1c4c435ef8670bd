package org.diffusiontck.checks.impl;

/** What a tensor means relative to x_t and t: the targets of the parameterization conversions. */
public enum Quantity {
  /** The noise ε in x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε. */
  EPSILON("eps"),
  /** The data x_0. */
  X0("x0"),
  /** The velocity v = √ᾱ_t ε − √(1 − ᾱ_t) x_0 (Salimans and Ho 2022). */
  V("v"),
  /** The score ∇ log q(x_t | x_0) = −ε / √(1 − ᾱ_t). */
  SCORE("score");

  private final String label;

  Quantity(String label) {
    this.label = label;
  }

  /**
   * The name on the wire.
   *
   * @return "eps", "x0", "v" or "score"
   */
  public String label() {
    return label;
  }
}
