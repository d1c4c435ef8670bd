package org.diffusiontck.checks.rules;

/** A rule's verdict on one implementation. */
public enum Status {
  PASS,
  FAIL,
  /** The implementation does not declare what the rule needs; the reason is reported. */
  SKIP,
  /** The implementation crashed, hung, or answered with something unusable (NaN, wrong shape…). */
  ERROR
}
