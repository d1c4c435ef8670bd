package org.diffusiontck.checks.rules;

/**
 * One rule's verdict with what was observed: the worst absolute and relative error over all cases,
 * the largest fraction of its allowance any comparison used (≤ 1 passes) and where, the tolerance
 * it was held to, and for a failure the (shrunk) counterexample.
 */
public record RuleResult(
    RuleInfo info,
    Status status,
    String message,
    Tolerance tolerance,
    double worstAbs,
    double worstRel,
    double worstRatio,
    String where,
    String counterexample,
    int cases,
    long millis) {

  public static RuleResult skipped(RuleInfo info, String reason) {
    return new RuleResult(info, Status.SKIP, reason, null, 0, 0, 0, "", null, 0, 0);
  }
}
