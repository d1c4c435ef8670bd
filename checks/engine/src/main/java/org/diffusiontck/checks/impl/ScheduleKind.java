package org.diffusiontck.checks.impl;

/** The named noise schedules an implementation may offer (reference: {@code Schedules}). */
public enum ScheduleKind {
  /** β linear in t (Ho et al. 2020). */
  LINEAR("linear"),
  /** √β linear in t (Stable Diffusion). */
  SCALED_LINEAR("scaled-linear"),
  /** ᾱ_t from a squared cosine (Nichol and Dhariwal 2021). */
  COSINE("cosine"),
  /** β a sigmoid of t (GeoDiff). */
  SIGMOID("sigmoid"),
  /** An explicit list β_1..β_T. */
  BETAS("betas");

  private final String label;

  ScheduleKind(String label) {
    this.label = label;
  }

  /**
   * The name on the wire and on the command line.
   *
   * @return e.g. "scaled-linear"
   */
  public String label() {
    return label;
  }

  /**
   * The kind named {@code label}.
   *
   * @param label e.g. "scaled-linear"
   * @return that kind
   * @throws IllegalArgumentException for an unknown label
   */
  public static ScheduleKind of(String label) {
    for (ScheduleKind k : values()) {
      if (k.label.equals(label)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "schedule must be one of linear, scaled-linear, cosine, sigmoid, betas; got " + label);
  }
}
