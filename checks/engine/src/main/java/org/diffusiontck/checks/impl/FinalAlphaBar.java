package org.diffusiontck.checks.impl;

/**
 * The ᾱ a DDIM step to s = 0 lands on, and DDIM inversion from s = 0 starts from ({@code
 * spec/CONVENTIONS.md}, "Which ᾱ the last DDIM step lands on").
 */
public enum FinalAlphaBar {
  /** ᾱ_0 = 1 (Song et al. 2021; diffusers' {@code set_alpha_to_one=True}). Default. */
  ONE,
  /** ᾱ_1 (diffusers' {@code set_alpha_to_one=False}). */
  FIRST_SELECTED
}
