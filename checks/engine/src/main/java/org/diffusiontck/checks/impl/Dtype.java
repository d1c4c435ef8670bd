package org.diffusiontck.checks.impl;

/** The floating-point type an implementation computes in; rules carry a tolerance for each. */
public enum Dtype {
  /** IEEE 754 binary64. */
  FLOAT64("float64"),
  /** IEEE 754 binary32. */
  FLOAT32("float32");

  private final String label;

  Dtype(String label) {
    this.label = label;
  }

  /**
   * The name on the wire and on the command line.
   *
   * @return "float64" or "float32"
   */
  public String label() {
    return label;
  }

  /**
   * The dtype named {@code label}.
   *
   * @param label "float64" or "float32"
   * @return that dtype
   * @throws IllegalArgumentException for any other label
   */
  public static Dtype of(String label) {
    for (Dtype d : values()) {
      if (d.label.equals(label)) {
        return d;
      }
    }
    throw new IllegalArgumentException("dtype must be float64 or float32, got " + label);
  }
}
