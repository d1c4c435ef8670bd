package org.diffusiontck.checks.impl;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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
 * @param protocol the protocol version it speaks (1 when left out)
 * @param minSteps the smallest T it builds a schedule for (version 2; 1 when left out)
 * @param forwardSampleFrom where its forward samples may start (version 2; any s when left out)
 * @param clippingsPerOperation operations whose clippings differ from {@code clippings}, by
 *     operation name (version 2; none when left out)
 * @param conversions the (from, to) pairs its {@code convert} answers (version 2; every pair
 *     when left out)
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
    Conventions conventions,
    Integer protocol,
    Integer minSteps,
    ForwardSampleFrom forwardSampleFrom,
    Map<String, Set<Clipping.Kind>> clippingsPerOperation,
    List<List<Quantity>> conversions) {

  /**
   * A version-1 declaration: every version-2 field at its default.
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
  public Declaration(String name, Dtype dtype, Set<Operation> operations,
      Set<ScheduleKind> schedules, boolean zeroTerminalSnr, Set<Prediction> predictions,
      Set<VarianceChoice> varianceChoices, Set<Spacing> spacings, Set<Clipping.Kind> clippings,
      Conventions conventions) {
    this(name, dtype, operations, schedules, zeroTerminalSnr, predictions, varianceChoices,
        spacings, clippings, conventions, null, null, null, null, null);
  }

  /** The reason a rule that samples q(x_t | x_s) for s > 0 is skipped. */
  public static final String FORWARD_FROM_DATA_ONLY =
      "forward_sample from s > 0 not declared (forwardSampleFrom: data)";

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
   * @param protocol the protocol version (1 when null)
   * @param minSteps the smallest T (1 when null)
   * @param forwardSampleFrom where forward samples may start (any when null)
   * @param clippingsPerOperation clippings that differ per operation (none when null)
   * @param conversions the conversion pairs (every pair when null)
   */
  public Declaration {
    protocol = protocol == null ? 1 : protocol;
    minSteps = minSteps == null ? 1 : minSteps;
    if (protocol < 1 || protocol > 2) {
      throw new IllegalArgumentException("protocol must be 1 or 2, got " + protocol);
    }
    if (minSteps < 1) {
      throw new IllegalArgumentException("minSteps must be at least 1, got " + minSteps);
    }
    forwardSampleFrom = forwardSampleFrom == null ? ForwardSampleFrom.ANY : forwardSampleFrom;
    Map<String, Set<Clipping.Kind>> perOp = new TreeMap<>();
    if (clippingsPerOperation != null) {
      clippingsPerOperation.forEach((op, kinds) -> perOp.put(
          operation(op).name().toLowerCase(Locale.ROOT), Set.copyOf(kinds)));
    }
    clippingsPerOperation = Map.copyOf(perOp);
    if (conversions != null) {
      for (List<Quantity> pair : conversions) {
        if (pair.size() != 2 || pair.get(0) == pair.get(1)) {
          throw new IllegalArgumentException(
              "each conversion must be a pair [from, to] of two quantities, got " + pair);
        }
      }
      conversions = conversions.stream().map(List::copyOf).toList();
    }
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
   * The clippings an operation accepts: its own where declared per operation, else
   * {@code clippings}.
   *
   * @param op the operation
   * @return the clippings it accepts
   */
  public Set<Clipping.Kind> clippings(Operation op) {
    return clippingsPerOperation.getOrDefault(op.name().toLowerCase(Locale.ROOT), clippings);
  }

  /**
   * Whether {@code convert} answers from → to.
   *
   * @param from the quantity given
   * @param to the quantity asked for
   * @return whether the pair is declared (every pair of two quantities when none is)
   */
  public boolean converts(Quantity from, Quantity to) {
    return from != to && (conversions == null || conversions.contains(List.of(from, to)));
  }

  /**
   * Whether {@code forward_sample} answers q(x_t | x_s) for s > 0.
   *
   * @return false under {@code forwardSampleFrom: data}
   */
  public boolean samplesForwardFromAnyStep() {
    return forwardSampleFrom == ForwardSampleFrom.ANY;
  }

  private static Operation operation(String name) {
    for (Operation op : EnumSet.allOf(Operation.class)) {
      if (op.name().equalsIgnoreCase(name)) {
        return op;
      }
    }
    throw new IllegalArgumentException("clippingsPerOperation names no operation: " + name);
  }

  /**
   * The same declaration with other conventions (a mutant may declare what it does not do).
   *
   * @param c the conventions
   * @return the declaration
   */
  public Declaration withConventions(Conventions c) {
    return new Declaration(name, dtype, operations, schedules, zeroTerminalSnr, predictions,
        varianceChoices, spacings, clippings, c, protocol, minSteps, forwardSampleFrom,
        clippingsPerOperation, conversions);
  }

  /**
   * The same declaration computing in another precision (the CLI's {@code --dtype}).
   *
   * @param other the precision
   * @return the declaration
   */
  public Declaration withDtype(Dtype other) {
    return new Declaration(name, other, operations, schedules, zeroTerminalSnr, predictions,
        varianceChoices, spacings, clippings, conventions, protocol, minSteps, forwardSampleFrom,
        clippingsPerOperation, conversions);
  }
}
