package org.diffusiontck.checks.rules;

import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.Request;
import org.diffusiontck.checks.impl.Tensor;

/**
 * Sends a request whose answer is a tensor or one number per batch element and vets the answer's
 * form as {@link Ask} does: the wrong shape or length, or a NaN, is an {@link ImplementationError}.
 */
public final class AskTerms {
  private AskTerms() {}

  /** The answer of {@code r}, a tensor that must have {@code shape}. */
  public static Tensor tensor(DiffusionImplementation impl, Request<Tensor> r, long[] shape) {
    return Ask.vetted(r.operation().label(), shape, r.applyTo(impl));
  }

  /** The answer of {@code r}, one value for each of {@code batch} elements. */
  public static double[] perSample(DiffusionImplementation impl, Request<double[]> r, int batch) {
    double[] out = r.applyTo(impl);
    String what = r.operation().label();
    if (out == null || out.length != batch) {
      throw new ImplementationError(what + ": expected one value per batch element (" + batch
          + "), got " + (out == null ? "no answer" : out.length));
    }
    for (int i = 0; i < out.length; i++) {
      if (Double.isNaN(out[i])) {
        throw new ImplementationError(what + ": NaN at batch element " + i);
      }
    }
    return out;
  }
}
