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
 * @param predictions the model parameterizations its steps and terms accept
 * @param varianceChoices the reverse-variance choices its steps and terms accept
 * @param spacings the timestep selections it offers
 * @param clippings the treatments of x̂_0 its steps offer (NONE is always assumed)
 * @param conventions its choices where codebases disagree
 */
public record Declaration(
    String name,
    Dtype dtype,
    Set<Operation> operations,
    Set<ScheduleKind> schedules,
    boolean zeroTerminalSnr,
    Set<Prediction> predictions,
    Set<VarianceChoice> varianceChoices,
    Set<Spacing> spacings,
    Set<Clipping.Kind> clippings,
    Conventions conventions) {

  /**
   * Copies the sets, so that a declaration cannot change.
   *
   * @param name the display name
   * @param dtype the precision
   * @param operations the operations
   * @param schedules the schedule kinds
   * @param zeroTerminalSnr whether zero terminal SNR is offered
   * @param predictions the parameterizations
   * @param varianceChoices the reverse-variance choices
   * @param spacings the timestep selections
   * @param clippings the treatments of x̂_0
   * @param conventions the conventions
   */
  public Declaration {
    operations = Set.copyOf(operations);
    schedules = Set.copyOf(schedules);
    predictions = Set.copyOf(predictions);
    varianceChoices = Set.copyOf(varianceChoices);
    spacings = Set.copyOf(spacings);
    clippings = Set.copyOf(clippings);
  }

  /**
   * Whether an operation is declared.
   *
   * @param op the operation
   * @return true if it is offered
   */
  public boolean offers(Operation op) {
    return operations.contains(op);
  }

  /**
   * The same declaration with other conventions (a mutant may declare what it does not do).
   *
   * @param c the conventions
   * @return the declaration
   */
  public Declaration withConventions(Conventions c) {
    return new Declaration(name, dtype, operations, schedules, zeroTerminalSnr, predictions,
        varianceChoices, spacings, clippings, c);
  }
}
