package org.diffusiontck.checks.impl;

/** The floating-point type an implementation computes in; rules carry a tolerance for each. */
public enum Dtype {
  FLOAT64("float64"),
  FLOAT32("float32");

  private final String label;

  Dtype(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The dtype named {@code label} ("float64" or "float32"). */
  public static Dtype of(String label) {
    for (Dtype d : values()) {
      if (d.label.equals(label)) {
        return d;
      }
    }
    throw new IllegalArgumentException("dtype must be float64 or float32, got " + label);
  }
}
