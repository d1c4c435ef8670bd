package org.diffusiontck.checks.rules;

/**
 * A rule's published metadata; {@code spec/RULES.md} is generated from it.
 *
 * @param id stable ID, e.g. {@code POST-1}; never renumbered once published
 * @param statement the one-sentence claim
 * @param guards the equation or derivation it guards (paper + equation, or a spec/derivations
 *     section)
 * @param route the independent route that gives the expected value
 * @param level how the verdict counts
 * @param tolerances per dtype, each with its argument
 */
public record RuleInfo(
    String id, String statement, String guards, String route, Level level, Tolerances tolerances) {}
