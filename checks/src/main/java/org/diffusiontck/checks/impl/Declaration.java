package org.diffusiontck.checks.impl;

import java.util.Set;

/**
 * What an implementation offers and which conventions it follows: its handshake. A rule whose needs
 * are not declared is skipped with the reason printed.
 *
 * @param name a display name, e.g. "mylib 1.4 (torch 2.3)"
 * @param dtype the precision it computes in; selects the rules' tolerances
 * @param operations the operations it answers
 * @param schedules the schedule kinds it builds
 * @param zeroTerminalSnr whether it rescales schedules to zero terminal SNR
 * @param conventions its choices where codebases disagree
 */
public record Declaration(
    String name,
    Dtype dtype,
    Set<Operation> operations,
    Set<ScheduleKind> schedules,
    boolean zeroTerminalSnr,
    Conventions conventions) {

  public Declaration {
    operations = Set.copyOf(operations);
    schedules = Set.copyOf(schedules);
  }

  public boolean offers(Operation op) {
    return operations.contains(op);
  }
}
