package org.diffusiontck.checks.impl;

/** The named noise schedules an implementation may offer (reference: {@code Schedules}). */
public enum ScheduleKind {
  LINEAR("linear"),
  SCALED_LINEAR("scaled-linear"),
  COSINE("cosine"),
  SIGMOID("sigmoid"),
  /** An explicit list β_1..β_T. */
  BETAS("betas");

  private final String label;

  ScheduleKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The kind named {@code label}, e.g. "scaled-linear". */
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
