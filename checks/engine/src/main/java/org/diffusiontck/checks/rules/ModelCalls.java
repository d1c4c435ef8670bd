package org.diffusiontck.checks.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.diffusiontck.checks.impl.Model;
import org.diffusiontck.checks.impl.Tensor;

/**
 * The model the kit serves to a loop operation, recording every call: x_t as the loop sent it, t,
 * and the answer. Defined for t ∈ 1..T only: a call outside is recorded, then refused.
 */
public final class ModelCalls implements Model {
  /** One model call, in the order the loop made it. */
  public record Call(Tensor xt, int t, Tensor output) {}

  private final int T;
  private final BiFunction<double[], Integer, Tensor> model;
  private final GaussianOracle oracle;
  private final List<Call> calls = new ArrayList<>();

  /**
   * @param T the schedule's length
   * @param model the output at (x_t data, t), t ∈ 1..T
   */
  public ModelCalls(int T, BiFunction<double[], Integer, Tensor> model) {
    this(T, model, null);
  }

  /**
   * A model that is the exact Gaussian-data oracle {@code oracle}, which the recorded vectors
   * name (spec/VECTORS.md §7).
   */
  public ModelCalls(int T, BiFunction<double[], Integer, Tensor> model, GaussianOracle oracle) {
    this.T = T;
    this.model = model;
    this.oracle = oracle;
  }

  /** The Gaussian-data oracle this model is, if it is one. */
  public Optional<GaussianOracle> oracle() {
    return Optional.ofNullable(oracle);
  }

  @Override
  public Tensor output(Tensor xt, int t) {
    Tensor copy = xt.withData(xt.data().clone());
    if (t < 1 || t > T) {
      calls.add(new Call(copy, t, null));
      throw new IllegalArgumentException(
          "the model is defined for t in 1..T = " + T + ", not at t = " + t);
    }
    Tensor out = model.apply(copy.data(), t);
    calls.add(new Call(copy, t, out));
    return out;
  }

  /** The calls so far, in order. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }
}
