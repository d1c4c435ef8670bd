package org.diffusiontck.checks.rules;

/**
 * One rule's verdict with what was observed: the worst absolute and relative error over all cases,
 * where it occurred, the tolerance it was held to, and for a failure the (shrunk) counterexample.
 */
public record RuleResult(
    RuleInfo info,
    Status status,
    String message,
    Tolerance tolerance,
    double worstAbs,
    double worstRel,
    String where,
    String counterexample,
    int cases,
    long millis) {

  public static RuleResult skipped(RuleInfo info, String reason) {
    return new RuleResult(info, Status.SKIP, reason, null, 0, 0, "", null, 0, 0);
  }
}
