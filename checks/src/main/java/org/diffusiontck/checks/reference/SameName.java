package org.diffusiontck.checks.reference;

/**
 * The engine's convention enums ({@code org.diffusiontck.checks.impl}: Prediction, VarianceChoice,
 * Spacing, …) and the reference's carry the same constant names, which are also their wire names;
 * this is the one place that crosses from one to the other, by that name.
 */
public final class SameName {
  private SameName() {}

  /**
   * The constant of {@code type} named as {@code constant}.
   *
   * @throws IllegalArgumentException if {@code type} has no such constant (a test holds every pair
   *     of enums to the same names)
   */
  public static <E extends Enum<E>> E in(Class<E> type, Enum<?> constant) {
    return Enum.valueOf(type, constant.name());
  }
}
