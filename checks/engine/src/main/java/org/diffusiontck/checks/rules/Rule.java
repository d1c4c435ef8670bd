package org.diffusiontck.checks.rules;

import java.util.List;
import java.util.Optional;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.Operation;

/** A checked claim about diffusion math, runnable against any {@link DiffusionImplementation}. */
public interface Rule {
  RuleInfo info();

  /** The operations the rule sends requests for. */
  List<Operation> operations();

  /** Why the rule cannot run on an implementation with this declaration, or empty if it can. */
  Optional<String> missing(Declaration declaration);

  /** Runs the rule's cases against {@code impl} (whose declaration {@link #missing} accepted). */
  RuleResult run(DiffusionImplementation impl, RunSettings settings);
}
