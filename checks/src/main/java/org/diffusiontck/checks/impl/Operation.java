package org.diffusiontck.checks.impl;

import com.fasterxml.jackson.annotation.JsonValue;

/** The operations an implementation under test may offer; each is one request type. */
public enum Operation {
  SCHEDULE("schedule"),
  FORWARD_SAMPLE("forward_sample"),
  POSTERIOR("posterior"),
  CONVERT("convert"),
  NOISE("noise");

  private final String label;

  Operation(String label) {
    this.label = label;
  }

  /** The operation's name on the wire ({@code spec/PROTOCOL.md}). */
  @JsonValue
  public String label() {
    return label;
  }
}
