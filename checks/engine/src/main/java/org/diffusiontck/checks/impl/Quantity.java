package org.diffusiontck.checks.impl;

/** What a tensor means relative to x_t and t: the targets of the parameterization conversions. */
public enum Quantity {
  EPSILON("eps"),
  X0("x0"),
  V("v"),
  SCORE("score");

  private final String label;

  Quantity(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
