package org.diffusiontck.checks.impl;

/**
 * What a network's output means: ε, x_0 or v (Salimans &amp; Ho 2022; {@code spec/CONVENTIONS.md},
 * "v-prediction"). Wire names are the constant names in lower case.
 */
public enum Prediction {
  /** The noise ε of x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε. */
  EPSILON,
  /** The data x_0 itself. */
  X0,
  /** v = √ᾱ_t ε − √(1 − ᾱ_t) x_0. */
  V
}
