package org.diffusiontck.checks.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.diffusiontck.checks.impl.Clipping;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.Prediction;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.impl.VarianceChoice;

/**
 * A case of the sampling-step rules: one step t → s on a schedule, for a prediction type, a
 * variance choice (DDPM), an η (DDIM) and a clipping option, with tensors from a seed. The model
 * output describes a chosen (x̂_0, ε̂) and x_t = √ᾱ_t x̂_0 + √(1 − ᾱ_t) ε̂ is consistent with
 * it, so that the treatments of x̂_0 are the only thing that can make x̂_0 and ε̂ disagree.
 * Shrinking goes towards a single scalar element.
 */
public record StepCase(ScheduleSpec schedule, long[] shape, int t, int s, Prediction prediction,
    VarianceChoice choice, double eta, Clipping clipping, long seed) {

  /** Which pairs (t, s) a rule draws. */
  public enum Pair {
    /** s = t − 1 half of the time, else s = 0 or any s &lt; t. */
    ANY(1),
    /** 1 ≤ s &lt; t. */
    INTERMEDIATE(2),
    /** 1 ≤ s ≤ t − 2: a step skipping timesteps. */
    STRIDED(3),
    /** s = 0: the last step. */
    LAST(1);

    private final int minT;

    Pair(int minT) {
      this.minT = minT;
    }
  }

  /**
   * A case among the declared schedules, predictions and variance choices (η = 0, no clipping;
   * DDIM rules set η and drop the choice): t biased to 1 and T; ε-prediction never where ᾱ_t = 0
   * (t = T under zero terminal SNR), since x̂_0 is undefined there.
   */
  public static StepCase draw(SplittableRandom r, Declaration d, Pair pair) {
    return draw(r, d, pair, d.predictions());
  }

  /** As {@link #draw(SplittableRandom, Declaration, Pair)}, the prediction among {@code among}. */
  public static StepCase draw(SplittableRandom r, Declaration d, Pair pair,
      Set<Prediction> among) {
    ScheduleSpec spec = Gen.schedule(r, d);
    Prediction prediction = pick(r, among.toArray(new Prediction[0]));
    int undefinedAtT = spec.zeroTerminalSnr() && prediction == Prediction.EPSILON ? 1 : 0;
    if (spec.steps() - undefinedAtT < pair.minT) {
      ScheduleSpec longer = Gen.schedule(r, d, spec.kind(), pair.minT + 1 + r.nextInt(20));
      spec = spec.zeroTerminalSnr() ? longer.withZeroTerminalSnr() : longer;
    }
    int t = Gen.timestep(r, pair.minT, spec.steps() - undefinedAtT);
    int s = switch (pair) {
      case ANY -> r.nextBoolean() ? t - 1 : r.nextInt(3) == 0 ? 0 : r.nextInt(t);
      case INTERMEDIATE -> r.nextBoolean() ? t - 1 : 1 + r.nextInt(t - 1);
      case STRIDED -> r.nextInt(3) == 0 ? new int[] {1, t - 2}[r.nextInt(2)] : 1 + r.nextInt(t - 2);
      case LAST -> 0;
    };
    VarianceChoice choice = d.varianceChoices().isEmpty() ? null
        : pick(r, d.varianceChoices().toArray(new VarianceChoice[0]));
    return new StepCase(spec, Gen.shape(r), t, s, prediction, choice, 0.0, Clipping.NONE,
        r.nextLong());
  }

  /** One of {@code values} in their natural order, uniformly. */
  public static <E extends Enum<E>> E pick(SplittableRandom r, E[] values) {
    E[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[r.nextInt(sorted.length)];
  }

  public StepCase withS(int to) {
    return new StepCase(schedule, shape, t, to, prediction, choice, eta, clipping, seed);
  }

  public StepCase withEta(double e) {
    return new StepCase(schedule, shape, t, s, prediction, choice, e, clipping, seed);
  }

  public StepCase withClipping(Clipping c) {
    return new StepCase(schedule, shape, t, s, prediction, choice, eta, c, seed);
  }

  public StepCase withChoice(VarianceChoice c) {
    return new StepCase(schedule, shape, t, s, prediction, c, eta, clipping, seed);
  }

  public StepCase withPrediction(Prediction p) {
    return new StepCase(schedule, shape, t, s, p, choice, eta, clipping, seed);
  }

  /** The tensors of a case. */
  public record Inputs(double[] x0, double[] eps, Tensor xt, Tensor output, Tensor varianceOutput,
      Tensor noise, int per) {
    public Tensor zeros() {
      return xt.withData(new double[xt.data().length]);
    }

    public Tensor ones() {
      double[] one = new double[xt.data().length];
      Arrays.fill(one, 1.0);
      return xt.withData(one);
    }
  }

  /**
   * x̂_0 = {@code x0Size} · N(0, 1) (stream 0), ε̂ ~ N(0, 1) (stream 1), x_t = √ᾱ_t x̂_0 + √(1 −
   * ᾱ_t) ε̂ with 50-digit coefficients, the output of the case's prediction describing (x̂_0, ε̂),
   * noise z (stream 2) and, for a learned variance choice, its variance output (from stream 3).
   */
  public Inputs inputs(HighPrecision hp, double x0Size) {
    double a = Math.sqrt(hp.alphaBar(t));
    double b = Math.sqrt(hp.oneMinusAlphaBar(t));
    double[] x0 = Gen.normal(seed, 0, shape).data();
    double[] eps = Gen.normal(seed, 1, shape).data();
    double[] xt = new double[x0.length];
    double[] out = new double[x0.length];
    for (int i = 0; i < x0.length; i++) {
      x0[i] *= x0Size;
      xt[i] = a * x0[i] + b * eps[i];
      out[i] = ModelReading.output(prediction, a, b, x0[i], eps[i]);
    }
    Tensor xtTensor = new Tensor(shape.clone(), xt);
    return new Inputs(x0, eps, xtTensor, xtTensor.withData(out), varianceOutput(),
        Gen.normal(seed, 2, shape), xtTensor.perSample());
  }

  /**
   * The model's variance channel for a learned choice (null for fixed ones): log σ² = −5 + 1.5 z
   * (LEARNED_LOG_VARIANCE), σ² = exp(−5 + 1.5 z) (LEARNED_VARIANCE), u = tanh z ∈ (−1, 1)
   * (LEARNED_RANGE).
   */
  private Tensor varianceOutput() {
    if (choice == null || choice == VarianceChoice.FIXED_SMALL
        || choice == VarianceChoice.FIXED_LARGE) {
      return null;
    }
    Tensor z = Gen.normal(seed, 3, shape);
    double[] v = z.data().clone();
    for (int i = 0; i < v.length; i++) {
      v[i] = switch (choice) {
        case LEARNED_LOG_VARIANCE -> -5 + 1.5 * v[i];
        case LEARNED_VARIANCE -> Math.exp(-5 + 1.5 * v[i]);
        default -> Math.tanh(v[i]);
      };
    }
    return z.withData(v);
  }

  /** One scalar element, then one sample of the same trailing shape. */
  public List<StepCase> shrinks() {
    List<StepCase> out = new ArrayList<>();
    if (shape.length > 2 || shape[1] > 1) {
      out.add(withShape(new long[] {1, 1}));
    }
    if (shape[0] > 1) {
      long[] one = shape.clone();
      one[0] = 1;
      out.add(withShape(one));
    }
    return out;
  }

  private StepCase withShape(long[] sh) {
    return new StepCase(schedule, sh, t, s, prediction, choice, eta, clipping, seed);
  }

  @Override
  public String toString() {
    return "{schedule: " + schedule + ", shape: " + Arrays.toString(shape) + ", t: " + t
        + ", s: " + s + ", prediction: " + prediction
        + (choice == null ? "" : ", variance: " + choice)
        + (choice == null || eta != 0 ? ", eta: " + eta : "") + ", clipping: " + clipping
        + ", tensor seed: " + seed + "}";
  }
}
