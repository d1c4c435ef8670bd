package org.diffusiontck.checks.mutants;

import java.util.Set;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.Operation;

/**
 * A deliberately wrong implementation: the reference with one code-level change modelled on a bug
 * class seen in public diffusion codebases.
 *
 * @param id stable name, e.g. M03
 * @param bug what was changed, in one line
 * @param touches the operations whose answers change (only rules using them can notice)
 * @param impl the wrong implementation
 */
record Mutant(String id, String bug, Set<Operation> touches, DiffusionImplementation impl) {}
