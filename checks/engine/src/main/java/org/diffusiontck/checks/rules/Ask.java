package org.diffusiontck.checks.rules;

import java.util.Arrays;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.PosteriorResult;
import org.diffusiontck.checks.impl.Quantity;
import org.diffusiontck.checks.impl.Request;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.ScheduleTables;
import org.diffusiontck.checks.impl.Tensor;

/**
 * Sends requests to an implementation and vets the answers' form: a response of the wrong shape or
 * holding NaN is an {@link ImplementationError} (the rule is marked ERROR), not a wrong number.
 */
public final class Ask {
  private Ask() {}

  public static ScheduleTables schedule(DiffusionImplementation impl, ScheduleSpec spec) {
    ScheduleTables r = new Requests.Schedule(spec).applyTo(impl);
    if (r == null || r.beta().length != spec.steps() + 1) {
      throw new ImplementationError("schedule: expected " + (spec.steps() + 1)
          + " values of beta, alphaBar and snr (t = 0..T), got "
          + (r == null ? "no answer" : r.beta().length));
    }
    noNaN("schedule beta", r.beta());
    noNaN("schedule alphaBar", r.alphaBar());
    noNaN("schedule snr", r.snr());
    return r;
  }

  public static Tensor forwardSample(
      DiffusionImplementation impl, ScheduleSpec spec, Tensor xs, int[] s, int[] t, Tensor eps) {
    return vetted("forward_sample", xs.shape(),
        new Requests.ForwardSample(spec, xs, s, t, eps).applyTo(impl));
  }

  public static PosteriorResult posterior(
      DiffusionImplementation impl, ScheduleSpec spec, Tensor x0, Tensor xt, int[] t, int[] s) {
    PosteriorResult r = new Requests.Posterior(spec, x0, xt, t, s).applyTo(impl);
    if (r == null || r.variance() == null || r.variance().length != t.length) {
      throw new ImplementationError("posterior: expected one variance per batch element ("
          + t.length + ")");
    }
    vetted("posterior mean", xt.shape(), r.mean());
    noNaN("posterior variance", r.variance());
    return r;
  }

  public static Tensor convert(DiffusionImplementation impl, ScheduleSpec spec, Quantity from,
      Quantity to, Tensor xt, int[] t, Tensor value) {
    return vetted("convert " + from.label() + " -> " + to.label(), xt.shape(),
        new Requests.Convert(spec, from, to, xt, t, value).applyTo(impl));
  }

  public static Tensor noise(DiffusionImplementation impl, long seed, long stream, long[] shape) {
    return vetted("noise", shape, new Requests.Noise(seed, stream, shape).applyTo(impl));
  }

  /** The answer of any tensor-valued request {@code r}, which must have {@code shape}. */
  public static Tensor tensor(DiffusionImplementation impl, Request<Tensor> r, long[] shape) {
    return vetted(r.operation().label(), shape, r.applyTo(impl));
  }

  /** The answer of a per-batch-element request {@code r}: one value for each of {@code batch}. */
  public static double[] perSample(DiffusionImplementation impl, Request<double[]> r, int batch) {
    double[] out = r.applyTo(impl);
    String what = r.operation().label();
    if (out == null || out.length != batch) {
      throw new ImplementationError(what + ": expected one value per batch element (" + batch
          + "), got " + (out == null ? "no answer" : out.length));
    }
    noNaN(what, out);
    return out;
  }

  /** Fails with an {@link ImplementationError} unless {@code x} has the shape and no NaN. */
  public static Tensor vetted(String what, long[] shape, Tensor x) {
    if (x == null) {
      throw new ImplementationError(what + ": no tensor in the answer");
    }
    if (!Arrays.equals(shape, x.shape())) {
      throw new ImplementationError(what + ": expected shape " + Arrays.toString(shape)
          + ", got " + Arrays.toString(x.shape()));
    }
    noNaN(what, x.data());
    return x;
  }

  private static void noNaN(String what, double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) {
        throw new ImplementationError(what + ": NaN at index " + i);
      }
    }
  }
}
