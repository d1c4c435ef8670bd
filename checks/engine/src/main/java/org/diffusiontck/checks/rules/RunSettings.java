package org.diffusiontck.checks.rules;

import java.util.Map;

/**
 * How a run draws its cases: the base seed (each rule derives its own from it and its ID, so a rule
 * sees the same cases whatever else runs), a multiplier on each rule's number of tries, and
 * tolerance overrides by rule ID with the reason given.
 */
public record RunSettings(long seed, double triesFactor, Map<String, Override> overrides) {
  /** A tolerance override: the new absolute (and relative, where the rule has one) allowance. */
  public record Override(double value, String reason) {}

  public static final long DEFAULT_SEED = 20260101L;

  /**
   * The largest tries factor: each rule then draws at most 10,000 times its own number of cases
   * (a few hundred at most), far from int overflow.
   */
  public static final double MAX_TRIES_FACTOR = 10_000;

  public RunSettings {
    if (!(triesFactor > 0) || triesFactor > MAX_TRIES_FACTOR) {
      throw new IllegalArgumentException("--tries-factor must be positive and at most "
          + (long) MAX_TRIES_FACTOR + ", got " + triesFactor);
    }
    overrides = Map.copyOf(overrides);
  }

  public static RunSettings defaults() {
    return new RunSettings(DEFAULT_SEED, 1.0, Map.of());
  }

  /** The seed for rule {@code id}: the base seed mixed with the ID's characters (stable). */
  public long seedFor(String id) {
    long h = seed;
    for (int i = 0; i < id.length(); i++) {
      h = (h ^ id.charAt(i)) * 0x100000001B3L;
    }
    return h;
  }

  /** The tolerance a rule is held to: its own, or the override given for its ID. */
  public Tolerance toleranceFor(String id, Tolerance own) {
    Override o = overrides.get(id);
    return o == null ? own : own.overridden(o.value(), o.reason());
  }

  public int tries(int ruleTries) {
    return Math.max(1, (int) Math.round(ruleTries * triesFactor));
  }
}
