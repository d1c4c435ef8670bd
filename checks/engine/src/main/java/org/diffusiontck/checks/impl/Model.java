package org.diffusiontck.checks.impl;

/**
 * The model a loop operation calls back: its output (ε̂, x̂_0 or v̂, as the loop's prediction says)
 * at (x_t, t) for one timestep t ∈ 1..T shared by the whole batch. The kit serves it; a loop asks
 * it once per step and draws nothing itself. A call outside 1..T is refused with an {@link
 * IllegalArgumentException}.
 */
@FunctionalInterface
public interface Model {
  /**
   * The model output at (x_t, t).
   *
   * @param xt the state the loop has reached
   * @param t its timestep, in 1..T
   * @return a tensor of x_t's shape
   */
  Tensor output(Tensor xt, int t);
}
