package org.diffusiontck.checks.junit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeSet;
import org.apache.commons.math3.special.Erf;
import org.diffusiontck.checks.impl.Clipping;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.Dtype;
import org.diffusiontck.checks.impl.InversionModelTime;
import org.diffusiontck.checks.impl.LoopRequests;
import org.diffusiontck.checks.impl.Model;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.PosteriorResult;
import org.diffusiontck.checks.impl.Prediction;
import org.diffusiontck.checks.impl.PreviousTimestep;
import org.diffusiontck.checks.impl.Quantity;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.ScheduleKind;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.ScheduleTables;
import org.diffusiontck.checks.impl.Spacing;
import org.diffusiontck.checks.impl.StepPlan;
import org.diffusiontck.checks.impl.T1LogVariance;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.impl.VarianceChoice;
import org.diffusiontck.checks.rules.PortableNormals;

/**
 * A JVM implementation as a team would write one: DDPM and DDIM from the papers in plain double
 * arithmetic, with no array library (the JVM twin of {@code spec/examples/python/diffusion_impl.py},
 * whose comments name each equation). Of the conventions it honours the t = 1 log-variance and the
 * previous timestep as declared; the others at the kit's defaults (the constructor refuses any
 * other choice, so the declaration is never a lie).
 */
class PlainJavaDiffusion implements DiffusionImplementation {
  private final Conventions conventions;

  PlainJavaDiffusion(Conventions conventions) {
    Conventions d = Conventions.defaults();
    if (conventions.linearEndpoints() != d.linearEndpoints()
        || conventions.ddimEpsilon() != d.ddimEpsilon()
        || conventions.finalAlphaBar() != d.finalAlphaBar()
        || conventions.decoderCdf() != d.decoderCdf()
        || conventions.inversionEnd() != d.inversionEnd()) {
      throw new IllegalArgumentException("only t1LogVariance, previousTimestep and "
          + "inversionModelTime may differ from the defaults, got " + conventions);
    }
    this.conventions = conventions;
  }

  @Override
  public Declaration declaration() {
    return new Declaration("plain Java (JVM)", Dtype.FLOAT64, EnumSet.allOf(Operation.class),
        EnumSet.allOf(ScheduleKind.class), true, EnumSet.allOf(Prediction.class),
        EnumSet.allOf(VarianceChoice.class), EnumSet.allOf(Spacing.class),
        EnumSet.allOf(Clipping.Kind.class), conventions);
  }

  // ------------------------------------------------------------------ schedules

  /** β_t, ᾱ_t = ∏_{s≤t}(1 − β_s) and 1 − ᾱ_t (as −expm1 Σ log1p(−β_s)) for t = 0..T. */
  private static final class Schedule {
    final int T;
    final double[] beta;
    final double[] alphaBar;
    final double[] oneMinus;

    Schedule(double[] betas) {
      T = betas.length;
      beta = new double[T + 1];
      alphaBar = new double[T + 1];
      oneMinus = new double[T + 1];
      alphaBar[0] = 1;
      double logSum = 0;
      for (int t = 1; t <= T; t++) {
        double b = betas[t - 1];
        require(b > 0 && b <= 1, "beta_" + t + " must be in (0, 1], got " + b);
        beta[t] = b;
        alphaBar[t] = alphaBar[t - 1] * (1 - b);
        logSum = b == 1 ? Double.NEGATIVE_INFINITY : logSum + Math.log1p(-b);
        oneMinus[t] = -Math.expm1(logSum);
      }
    }

    void check(int t, int lo) {
      require(t >= lo && t <= T, "t must be in " + lo + ".." + T + ", got " + t);
    }

    /** β_{t|s} = 1 − ᾱ_t/ᾱ_s (Kingma et al. 2021, eq. 4). */
    double betaBetween(int t, int s) {
      check(t, 0);
      require(s >= 0 && s < t, "s must be in 0.." + (t - 1) + ", got " + s);
      if (s == t - 1) {
        return beta[t];
      }
      double total = 0;
      for (int k = s + 1; k <= t; k++) {
        if (beta[k] == 1) {
          return 1;
        }
        total += Math.log1p(-beta[k]);
      }
      return -Math.expm1(total);
    }

    /** β̃_t = (1 − ᾱ_{t−1})/(1 − ᾱ_t) β_t (Ho et al. 2020, eq. 7). */
    double betaTilde(int t) {
      return oneMinus[t - 1] / oneMinus[t] * beta[t];
    }
  }

  private static Schedule schedule(ScheduleSpec spec) {
    require(spec != null && spec.kind() != null, "schedule must name a kind, got " + spec);
    double[] betas = betas(spec);
    return new Schedule(spec.zeroTerminalSnr() ? zeroTerminalSnr(betas) : betas);
  }

  private static double[] betas(ScheduleSpec spec) {
    int T = spec.steps();
    require(T >= 1, "T must be at least 1, got " + T);
    double[] b = new double[T];
    switch (spec.kind()) {
      case LINEAR, SCALED_LINEAR, SIGMOID -> {
        require(spec.betaStart() != null && spec.betaEnd() != null,
            "betaStart and betaEnd are required");
        double b0 = spec.betaStart();
        double b1 = spec.betaEnd();
        require(b0 > 0 && b0 <= 1 && b1 > 0 && b1 <= 1,
            "betas must be in (0, 1], got " + b0 + ", " + b1);
        if (spec.kind() == ScheduleKind.LINEAR) { // Ho et al. 2020, §4
          return linspace(b0, b1, T);
        }
        if (spec.kind() == ScheduleKind.SCALED_LINEAR) { // Rombach et al. 2022
          double[] r = linspace(Math.sqrt(b0), Math.sqrt(b1), T);
          for (int i = 0; i < T; i++) {
            b[i] = r[i] * r[i];
          }
          return b;
        }
        double[] x = linspace(-6, 6, T); // GeoDiff's sigmoid (Xu et al. 2022)
        for (int i = 0; i < T; i++) {
          b[i] = b0 + (b1 - b0) / (1 + Math.exp(-x[i]));
        }
        return b;
      }
      case COSINE -> { // Nichol & Dhariwal 2021, eq. 17
        Double s = spec.cosineOffset();
        Double cap = spec.cosineMaxBeta();
        require(s != null && s >= 0 && s < 1, "cosineOffset must be in [0, 1), got " + s);
        require(cap != null && cap > 0 && cap <= 1, "cosineMaxBeta must be in (0, 1], got " + cap);
        for (int t = 1; t <= T; t++) {
          b[t - 1] = Math.min(1 - cosineF(t, T, s) / cosineF(t - 1, T, s), cap);
        }
        return b;
      }
      case BETAS -> {
        double[] given = spec.betas() == null ? new double[0] : spec.betas();
        require(given.length == T, "betas must hold T = " + T + " values, got " + given.length);
        return given.clone();
      }
      default -> throw new IllegalArgumentException("unknown schedule kind " + spec.kind());
    }
  }

  private static double cosineF(int t, int T, double s) {
    double c = Math.cos(((double) t / T + s) / (1 + s) * Math.PI / 2);
    return c * c;
  }

  private static double[] linspace(double a, double b, int n) {
    double[] out = new double[n];
    if (n == 1) {
      out[0] = a;
      return out;
    }
    double step = (b - a) / (n - 1);
    for (int i = 0; i < n; i++) {
      out[i] = a + i * step;
    }
    out[n - 1] = b;
    return out;
  }

  /** Lin et al. 2024, Algorithm 1: √ᾱ rescaled so that ᾱ_1 stays and ᾱ_T = 0. */
  private static double[] zeroTerminalSnr(double[] betas) {
    int T = betas.length;
    require(T >= 2, "T must be at least 2 to rescale to zero terminal SNR, got " + T);
    double[] ab = new Schedule(betas).alphaBar;
    double first = Math.sqrt(ab[1]);
    double last = Math.sqrt(ab[T]);
    double[] rescaled = new double[T + 1];
    rescaled[0] = 1;
    for (int t = 1; t <= T; t++) {
      double r = (Math.sqrt(ab[t]) - last) * first / (first - last);
      rescaled[t] = r * r;
    }
    rescaled[T] = 0;
    double[] out = new double[T];
    for (int t = 1; t <= T; t++) {
      out[t - 1] = 1 - rescaled[t] / rescaled[t - 1];
    }
    return out;
  }

  @Override
  public ScheduleTables schedule(Requests.Schedule r) {
    Schedule s = schedule(r.schedule());
    double[] snr = new double[s.T + 1];
    snr[0] = Double.POSITIVE_INFINITY;
    for (int t = 1; t <= s.T; t++) {
      snr[t] = s.alphaBar[t] / s.oneMinus[t];
    }
    return new ScheduleTables(s.beta.clone(), s.alphaBar.clone(), snr);
  }

  // ------------------------------------------------------------------ forward and posterior

  /** ca[b] x + cb[b] y, batch element by batch element. */
  private static double[] combine(double[] ca, double[] x, double[] cb, double[] y, int per) {
    double[] out = new double[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = ca[i / per] * x[i] + cb[i / per] * y[i];
    }
    return out;
  }

  private static void sameShape(Tensor a, Tensor b, String names) {
    require(Arrays.equals(a.shape(), b.shape()), names + " must have one shape, got "
        + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
  }

  private static void onePerSample(Tensor x, int[] t, String name) {
    require(x.shape().length >= 1 && x.batch() >= 1, "a tensor needs a batch axis");
    require(t.length == x.batch(), name + " must hold one timestep per sample (" + x.batch()
        + "), got " + t.length);
  }

  @Override
  public Tensor forwardSample(Requests.ForwardSample r) {
    Schedule s = schedule(r.schedule());
    onePerSample(r.xs(), r.t(), "t");
    onePerSample(r.xs(), r.s(), "s");
    sameShape(r.xs(), r.eps(), "xs and eps");
    double[] a = new double[r.t().length];
    double[] c = new double[a.length];
    for (int b = 0; b < a.length; b++) { // Ho et al. 2020, eqs. 2 and 4
      c[b] = Math.sqrt(s.betaBetween(r.t()[b], r.s()[b]));
      a[b] = Math.sqrt(s.alphaBar[r.t()[b]] / s.alphaBar[r.s()[b]]);
    }
    return r.xs().withData(combine(a, r.xs().data(), c, r.eps().data(), r.xs().perSample()));
  }

  /** q(x_u | x_t, x_0), u &lt; t: coefficients of x_0 and x_t, and the variance (eqs. 6-7). */
  private static double[] posterior(Schedule s, int t, int u) {
    double b = s.betaBetween(t, u);
    return new double[] {Math.sqrt(s.alphaBar[u]) * b / s.oneMinus[t],
        Math.sqrt(s.alphaBar[t] / s.alphaBar[u]) * s.oneMinus[u] / s.oneMinus[t],
        s.oneMinus[u] / s.oneMinus[t] * b};
  }

  private static double[] posteriorMean(Schedule s, double[] x0, double[] xt, int[] t, int[] u,
      int per) {
    double[] c0 = new double[t.length];
    double[] ct = new double[t.length];
    for (int b = 0; b < t.length; b++) {
      double[] c = posterior(s, t[b], u[b]);
      c0[b] = c[0];
      ct[b] = c[1];
    }
    return combine(c0, x0, ct, xt, per);
  }

  @Override
  public PosteriorResult posterior(Requests.Posterior r) {
    Schedule s = schedule(r.schedule());
    onePerSample(r.xt(), r.t(), "t");
    onePerSample(r.xt(), r.s(), "s");
    sameShape(r.x0(), r.xt(), "x0 and xt");
    double[] variance = new double[r.t().length];
    for (int b = 0; b < variance.length; b++) {
      variance[b] = posterior(s, r.t()[b], r.s()[b])[2];
    }
    return new PosteriorResult(r.xt().withData(posteriorMean(s, r.x0().data(), r.xt().data(),
        r.t(), r.s(), r.xt().perSample())), variance);
  }

  // ------------------------------------------------------------------ parameterizations

  private static double positive(double v, String what, int t) {
    require(v > 0, what + " divides by zero at t = " + t);
    return v;
  }

  /** ε from x_0 (eq. 4 solved), v (Salimans &amp; Ho 2022) or the score (−σ score). */
  private static double[] toEps(Schedule s, Quantity q, double[] xt, int[] t, double[] value,
      int per) {
    double[] a = new double[t.length];
    double[] c = new double[t.length];
    for (int b = 0; b < t.length; b++) {
      double ab = s.alphaBar[t[b]];
      double om = s.oneMinus[t[b]];
      switch (q) {
        case EPSILON -> c[b] = 1;
        case X0 -> {
          double sigma = Math.sqrt(positive(om, "x0 -> eps", t[b]));
          a[b] = 1 / sigma;
          c[b] = -Math.sqrt(ab) / sigma;
        }
        case V -> {
          a[b] = Math.sqrt(om);
          c[b] = Math.sqrt(ab);
        }
        case SCORE -> c[b] = -Math.sqrt(om);
        default -> throw new IllegalArgumentException("unknown quantity " + q);
      }
    }
    return combine(a, xt, c, value, per);
  }

  /** x_0 = (x_t − √(1 − ᾱ) ε)/√ᾱ (Ho et al. 2020, eq. 15), v or the score from ε. */
  private static double[] fromEps(Schedule s, Quantity q, double[] xt, int[] t, double[] eps,
      int per) {
    double[] a = new double[t.length];
    double[] c = new double[t.length];
    for (int b = 0; b < t.length; b++) {
      double om = s.oneMinus[t[b]];
      switch (q) {
        case EPSILON -> c[b] = 1;
        case X0 -> {
          double root = Math.sqrt(positive(s.alphaBar[t[b]], "eps -> x0", t[b]));
          a[b] = 1 / root;
          c[b] = -Math.sqrt(om) / root;
        }
        case V -> {
          double root = Math.sqrt(positive(s.alphaBar[t[b]], "eps -> v", t[b]));
          a[b] = -Math.sqrt(om) / root;
          c[b] = 1 / root;
        }
        case SCORE -> c[b] = -1 / Math.sqrt(positive(om, "eps -> score", t[b]));
        default -> throw new IllegalArgumentException("unknown quantity " + q);
      }
    }
    return combine(a, xt, c, eps, per);
  }

  private static double[] convert(Schedule s, Quantity from, Quantity to, double[] xt, int[] t,
      double[] value, int per) {
    if (from == to) {
      return value.clone();
    }
    double[] a = new double[t.length];
    double[] c = new double[t.length];
    if (from == Quantity.X0 && to == Quantity.V) { // v = (√ᾱ x_t − x_0)/√(1 − ᾱ)
      for (int b = 0; b < t.length; b++) {
        double sigma = Math.sqrt(positive(s.oneMinus[t[b]], "x0 -> v", t[b]));
        a[b] = Math.sqrt(s.alphaBar[t[b]]) / sigma;
        c[b] = -1 / sigma;
      }
      return combine(a, xt, c, value, per);
    }
    if (from == Quantity.V && to == Quantity.X0) { // x_0 = √ᾱ x_t − √(1 − ᾱ) v
      for (int b = 0; b < t.length; b++) {
        a[b] = Math.sqrt(s.alphaBar[t[b]]);
        c[b] = -Math.sqrt(s.oneMinus[t[b]]);
      }
      return combine(a, xt, c, value, per);
    }
    return fromEps(s, to, xt, t, toEps(s, from, xt, t, value, per), per);
  }

  private static Quantity quantity(Prediction p) {
    return Quantity.valueOf(p.name());
  }

  @Override
  public Tensor convert(Requests.Convert r) {
    Schedule s = schedule(r.schedule());
    onePerSample(r.xt(), r.t(), "t");
    sameShape(r.xt(), r.value(), "xt and value");
    for (int t : r.t()) {
      s.check(t, 0);
    }
    return r.xt().withData(convert(s, r.from(), r.to(), r.xt().data(), r.t(), r.value().data(),
        r.xt().perSample()));
  }

  @Override
  public Tensor noise(Requests.Noise r) {
    long n = 1;
    for (long d : r.shape()) {
      require(d >= 1, "shape must have positive dimensions, got " + Arrays.toString(r.shape()));
      n *= d;
    }
    return new Tensor(r.shape().clone(), new PortableNormals(r.seed(), r.stream()).next((int) n));
  }

  // ------------------------------------------------------------------ reverse variance, the bound

  /** log β̃_t with the declared convention at t = 1, where β̃_1 = 0. */
  private double logBetaTilde(Schedule s, int t) {
    T1LogVariance c = conventions.t1LogVariance();
    if (c == T1LogVariance.CLAMP_1E_20) {
      return Math.log(Math.max(s.betaTilde(t), 1e-20));
    }
    if (t > 1) {
      return Math.log(s.betaTilde(t));
    }
    if (c == T1LogVariance.BETA_1) {
      return Math.log(s.beta[1]);
    }
    require(s.T >= 2, "log betaTilde at t = 1 needs T >= 2, got T = " + s.T);
    return Math.log(s.betaTilde(2));
  }

  /** log σ_t² (Ho et al. 2020, §3.2; Nichol &amp; Dhariwal 2021, eq. 15); u the model's output. */
  private double logVariance(Schedule s, VarianceChoice choice, int t, double u) {
    return switch (choice) {
      case FIXED_SMALL -> logBetaTilde(s, t);
      case FIXED_LARGE -> t == 1 && conventions.t1LogVariance()
          == T1LogVariance.CLIP_TO_BETA_TILDE_2 ? logBetaTilde(s, 1) : Math.log(s.beta[t]);
      case LEARNED_LOG_VARIANCE -> u;
      case LEARNED_VARIANCE -> {
        require(u > 0, "a learned variance must be positive, got " + u);
        yield Math.log(u);
      }
      case LEARNED_RANGE -> {
        double v = (u + 1) / 2;
        yield v * Math.log(s.beta[t]) + (1 - v) * logBetaTilde(s, t);
      }
    };
  }

  private double[] logVariances(Schedule s, VarianceChoice choice, Tensor xt, int[] t,
      Tensor output) {
    onePerSample(xt, t, "t");
    for (int tb : t) {
      s.check(tb, 1);
    }
    if (choice.learned()) {
      require(output != null, "the variance choice " + choice + " needs varianceOutput");
      sameShape(xt, output, "xt and varianceOutput");
    }
    int per = xt.perSample();
    double[] out = new double[xt.data().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = logVariance(s, choice, t[i / per], choice.learned() ? output.data()[i] : 0);
    }
    return out;
  }

  @Override
  public Tensor reverseLogVariance(Requests.ReverseLogVariance r) {
    return r.xt().withData(logVariances(schedule(r.schedule()), r.choice(), r.xt(), r.t(),
        r.varianceOutput()));
  }

  /** Σ per sample of KL(N(m1, e^lv1) ‖ N(m2, e^lv2)) (Ho et al. 2020, below eq. 5). */
  private static double[] kl(double[] m1, double[] lv1, double[] m2, double[] lv2, int per) {
    double[] out = new double[m1.length / per];
    for (int i = 0; i < m1.length; i++) {
      double d = m1[i] - m2[i];
      out[i / per] += 0.5 * (lv2[i] - lv1[i] + Math.exp(lv1[i] - lv2[i])
          + d * d * Math.exp(-lv2[i]) - 1);
    }
    return out;
  }

  @Override
  public double[] kl(Requests.Kl r) {
    sameShape(r.mean1(), r.logVariance1(), "mean1 and logVariance1");
    sameShape(r.mean1(), r.mean2(), "mean1 and mean2");
    sameShape(r.mean1(), r.logVariance2(), "mean1 and logVariance2");
    return kl(r.mean1().data(), r.logVariance1().data(), r.mean2().data(),
        r.logVariance2().data(), r.mean1().perSample());
  }

  @Override
  public double[] priorTerm(Requests.PriorTerm r) { // L_T (Ho et al. 2020, eq. 5)
    Schedule s = schedule(r.schedule());
    double[] x0 = r.x0().data();
    double a = Math.sqrt(s.alphaBar[s.T]);
    double[] mean = new double[x0.length];
    for (int i = 0; i < x0.length; i++) {
      mean[i] = a * x0[i];
    }
    double[] lv = new double[x0.length];
    Arrays.fill(lv, Math.log(s.oneMinus[s.T]));
    return kl(mean, lv, new double[x0.length], new double[x0.length], r.x0().perSample());
  }

  @Override
  public double[] stepTerm(Requests.StepTerm r) { // L_{t−1}, t ≥ 2 (Ho et al. 2020, eq. 5)
    Schedule s = schedule(r.schedule());
    onePerSample(r.xt(), r.t(), "t");
    sameShape(r.x0(), r.xt(), "x0 and xt");
    sameShape(r.modelOutput(), r.xt(), "modelOutput and xt");
    for (int t : r.t()) {
      s.check(t, 2);
    }
    int per = r.xt().perSample();
    int[] u = Arrays.stream(r.t()).map(t -> t - 1).toArray();
    double[] x0Hat = convert(s, quantity(r.prediction()), Quantity.X0, r.xt().data(), r.t(),
        r.modelOutput().data(), per);
    double[] lvQ = new double[r.xt().data().length];
    for (int i = 0; i < lvQ.length; i++) {
      lvQ[i] = Math.log(s.betaTilde(r.t()[i / per]));
    }
    return kl(posteriorMean(s, r.x0().data(), r.xt().data(), r.t(), u, per), lvQ,
        posteriorMean(s, x0Hat, r.xt().data(), r.t(), u, per),
        logVariances(s, r.choice(), r.xt(), r.t(), r.varianceOutput()), per);
  }

  private static double phi(double z) {
    return 0.5 * Erf.erfc(-z / Math.sqrt(2));
  }

  @Override
  public double[] decoderNll(Requests.DecoderNll r) { // Ho et al. 2020, eq. 13
    sameShape(r.x0(), r.mean(), "x0 and mean");
    sameShape(r.x0(), r.logVariance(), "x0 and logVariance");
    double[] x = r.x0().data();
    int per = r.x0().perSample();
    double[] out = new double[r.x0().batch()];
    for (int i = 0; i < x.length; i++) {
      long k = (long) Math.rint((x[i] + 1) * 127.5);
      require(k >= 0 && k <= 255 && Math.abs(x[i] - (k / 127.5 - 1)) <= 1e-6,
          "x0 must be 8-bit data scaled to [-1, 1], got " + x[i]);
      double lower = k == 0 ? Double.NEGATIVE_INFINITY : (2.0 * k - 1) / 255 - 1;
      double upper = k == 255 ? Double.POSITIVE_INFINITY : (2.0 * k + 1) / 255 - 1;
      double invSigma = Math.exp(-0.5 * r.logVariance().data()[i]);
      double a = (lower - r.mean().data()[i]) * invSigma;
      double b = (upper - r.mean().data()[i]) * invSigma;
      double p = a > 0 ? phi(-a) - phi(-b) : phi(b) - phi(a);
      out[i / per] -= Math.log(Math.max(p, 1e-12));
    }
    return out;
  }

  // ------------------------------------------------------------------ sampling steps

  /** x̂_0 clipped to [−1, 1] or dynamically thresholded (Saharia et al. 2022, §2.3). */
  private static double[] clipped(Clipping c, double[] x, int per) {
    require(c != null, "clipping must not be null");
    switch (c.kind()) {
      case NONE:
        return x;
      case CLIP:
        return Arrays.stream(x).map(v -> Math.min(Math.max(v, -1), 1)).toArray();
      default:
        break;
    }
    Double p = c.percentile();
    Double cap = c.maxValue();
    require(p != null && p >= 0 && p <= 1, "percentile must be in [0, 1], got " + p);
    require(cap != null && cap >= 1, "maxValue must be at least 1, got " + cap);
    double[] out = new double[x.length];
    for (int b = 0; b < x.length / per; b++) {
      double[] abs = new double[per];
      for (int i = 0; i < per; i++) {
        abs[i] = Math.abs(x[b * per + i]);
      }
      Arrays.sort(abs);
      double s = Math.min(Math.max(quantile(abs, p), 1), cap);
      for (int i = b * per; i < (b + 1) * per; i++) {
        out[i] = Math.min(Math.max(x[i], -s), s) / s;
      }
    }
    return out;
  }

  /** numpy's default (linear) quantile of ascending v, interpolated as numpy does. */
  private static double quantile(double[] v, double p) {
    int last = v.length - 1;
    double h = last * p;
    int j = (int) Math.floor(h);
    double g = h - j;
    double below = v[j];
    double above = v[Math.min(j + 1, last)];
    double d = above - below;
    return g < 0.5 ? below + d * g : above - d * (1 - g);
  }

  private static void stepPair(Schedule s, int t, int u) {
    s.check(t, 1);
    require(u >= 0 && u < t, "s must be in 0.." + (t - 1) + ", got " + u);
  }

  private static double[] x0Hat(Schedule s, Prediction p, Clipping c, Tensor x, int[] t,
      Tensor output) {
    sameShape(x, output, "x and modelOutput");
    return clipped(c, convert(s, quantity(p), Quantity.X0, x.data(), t, output.data(),
        x.perSample()), x.perSample());
  }

  private static int[] each(Tensor x, int t) {
    int[] out = new int[x.batch()];
    Arrays.fill(out, t);
    return out;
  }

  @Override
  public Tensor ddpmStep(Requests.DdpmStep r) { // Ho et al. 2020, Algorithm 2; strided t → s
    Schedule sch = schedule(r.schedule());
    sameShape(r.xt(), r.noise(), "xt and noise");
    stepPair(sch, r.t(), r.s());
    int[] t = each(r.xt(), r.t());
    double[] mean = posteriorMean(sch,
        x0Hat(sch, r.prediction(), r.clipping(), r.xt(), t, r.modelOutput()), r.xt().data(), t,
        each(r.xt(), r.s()), r.xt().perSample());
    if (r.s() == 0) {
      return r.xt().withData(mean);
    }
    double b = sch.betaBetween(r.t(), r.s());
    double logLarge = Math.log(b);
    double logSmall = Math.log(sch.oneMinus[r.s()] / sch.oneMinus[r.t()] * b);
    VarianceChoice choice = r.choice();
    if (choice.learned()) {
      require(r.varianceOutput() != null, "the variance choice " + choice
          + " needs varianceOutput");
      sameShape(r.xt(), r.varianceOutput(), "xt and varianceOutput");
    }
    double[] out = new double[mean.length];
    for (int i = 0; i < out.length; i++) {
      double w = choice.learned() ? r.varianceOutput().data()[i] : 0;
      double lv = switch (choice) {
        case FIXED_SMALL -> logSmall;
        case FIXED_LARGE -> logLarge;
        case LEARNED_LOG_VARIANCE -> w;
        case LEARNED_VARIANCE -> {
          require(w > 0, "a learned variance must be positive, got " + w);
          yield Math.log(w);
        }
        case LEARNED_RANGE -> (w + 1) / 2 * logLarge + (1 - (w + 1) / 2) * logSmall;
      };
      out[i] = mean[i] + Math.exp(0.5 * lv) * r.noise().data()[i];
    }
    return r.xt().withData(out);
  }

  @Override
  public Tensor ddimStep(Requests.DdimStep r) { // Song et al. 2021, eqs. 12 and 16
    Schedule sch = schedule(r.schedule());
    sameShape(r.xt(), r.noise(), "xt and noise");
    stepPair(sch, r.t(), r.s());
    double eta = r.eta();
    require(eta >= 0 && eta <= 1, "eta must be in [0, 1], got " + eta);
    int[] t = each(r.xt(), r.t());
    double[] x0 = x0Hat(sch, r.prediction(), r.clipping(), r.xt(), t, r.modelOutput());
    double[] eps = convert(sch, quantity(r.prediction()), Quantity.EPSILON, r.xt().data(), t,
        r.modelOutput().data(), r.xt().perSample());
    double ratio = Math.min(sch.betaBetween(r.t(), r.s()) / sch.oneMinus[r.t()], 1);
    double sigma = Math.sqrt(eta * eta * sch.oneMinus[r.s()] * ratio);
    double direction = Math.sqrt(sch.oneMinus[r.s()] * (1 - eta * eta * ratio));
    double a = Math.sqrt(sch.alphaBar[r.s()]);
    double[] out = new double[x0.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = a * x0[i] + direction * eps[i] + sigma * r.noise().data()[i];
    }
    return r.xt().withData(out);
  }

  @Override
  public Tensor ddimInvertStep(Requests.DdimInvertStep r) { // Song et al. 2021, §4.3
    Schedule sch = schedule(r.schedule());
    stepPair(sch, r.t(), r.s());
    int[] s = each(r.xs(), r.s());
    double[] x0 = x0Hat(sch, r.prediction(), r.clipping(), r.xs(), s, r.modelOutput());
    double[] eps = convert(sch, quantity(r.prediction()), Quantity.EPSILON, r.xs().data(), s,
        r.modelOutput().data(), r.xs().perSample());
    double a = Math.sqrt(sch.alphaBar[r.t()]);
    double c = Math.sqrt(sch.oneMinus[r.t()]);
    double[] out = new double[x0.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = a * x0[i] + c * eps[i];
    }
    return r.xs().withData(out);
  }

  // ------------------------------------------------------------------ timestep selection

  @Override
  public Tensor ddpmSample(LoopRequests.DdpmSample r, Model model) { // Ho et al., Algorithm 2
    StepPlan plan = timesteps(r.selection());
    Tensor x = r.x();
    for (int k = 0; k < plan.timesteps().length; k++) {
      int t = plan.timesteps()[k];
      x = ddpmStep(new Requests.DdpmStep(r.schedule(), r.prediction(), r.choice(), r.clipping(),
          x, t, plan.previous()[k], model.output(x, t), null, r.noise().get(k)));
    }
    return x;
  }

  @Override
  public Tensor ddimSample(LoopRequests.DdimSample r, Model model) { // Song et al., §4.2
    StepPlan plan = timesteps(r.selection());
    Tensor x = r.x();
    for (int k = 0; k < plan.timesteps().length; k++) {
      int t = plan.timesteps()[k];
      x = ddimStep(new Requests.DdimStep(r.schedule(), r.prediction(), r.eta(), r.clipping(), x,
          t, plan.previous()[k], model.output(x, t), r.noise().get(k)));
    }
    return x;
  }

  @Override
  public Tensor ddimInvert(LoopRequests.DdimInvert r, Model model) { // Song et al., §4.3
    int[] tau = timesteps(r.selection()).timesteps();
    boolean target = conventions.inversionModelTime() == InversionModelTime.TARGET;
    Tensor x = r.x();
    int s = r.from();
    for (int k = tau.length - (s == 0 ? 1 : 2); k >= 0; k--) {
      if (!target && s == 0) {
        throw new IllegalArgumentException("the model at the source s = 0 is not defined");
      }
      x = ddimInvertStep(new Requests.DdimInvertStep(r.schedule(), r.prediction(), r.clipping(),
          x, s, tau[k], model.output(x, target ? tau[k] : s)));
      s = tau[k];
    }
    return x;
  }

  @Override
  public StepPlan timesteps(Requests.Timesteps r) {
    int T = r.steps();
    int N = r.count();
    int offset = r.leadingOffset() == null ? 0 : r.leadingOffset();
    require(T >= 1, "T must be at least 1, got " + T);
    require(r.spacing() == Spacing.LEADING || offset == 0, "leadingOffset applies to leading only");
    int[] t;
    if (r.spacing() == Spacing.SECTIONS) {
      t = sections(T, r.sections() != null ? r.sections() : Integer.toString(N));
    } else {
      require(N >= 1 && N <= T, "N must be in 1.." + T + ", got " + N);
      t = new int[N];
      for (int k = 0; k < N; k++) {
        t[k] = switch (r.spacing()) { // diffusers' timestep_spacing, i + 1
          case LINSPACE -> (int) Math.rint(k == N - 1 && N > 1 ? T - 1
              : k * (N > 1 ? (T - 1.0) / (N - 1) : 0)) + 1;
          case LEADING -> k * (T / N) + offset + 1;
          case TRAILING -> (int) Math.rint(k == 0 ? T : k == 1 ? T - (double) T / N
              : T + k * (T - (double) T / N - T));
          default -> throw new IllegalArgumentException("unknown spacing " + r.spacing());
        };
      }
      if (r.spacing() != Spacing.TRAILING) {
        reverse(t);
      }
      require(t[0] <= T, "offset " + offset + " puts the first timestep at " + t[0] + " > T");
    }
    for (int k = 0; k < t.length; k++) {
      require(t[k] >= 1 && t[k] <= T && (k == 0 || t[k] < t[k - 1]),
          "the selection " + Arrays.toString(t) + " is not strictly decreasing in 1.." + T);
    }
    int[] previous = new int[t.length];
    for (int k = 0; k < t.length; k++) {
      previous[k] = conventions.previousTimestep() == PreviousTimestep.FIXED_STRIDE
          ? Math.max(t[k] - T / t.length, 0) // diffusers' DDIM
          : k + 1 < t.length ? t[k + 1] : 0;
    }
    return new StepPlan(t, previous);
  }

  private static void reverse(int[] t) {
    for (int i = 0, j = t.length - 1; i < j; i++, j--) {
      int x = t[i];
      t[i] = t[j];
      t[j] = x;
    }
  }

  /** improved-diffusion's space_timesteps: "ddimN" or counts per equal section. */
  private static int[] sections(int T, String text) {
    String spec = text.strip();
    TreeSet<Integer> indices = new TreeSet<>();
    if (spec.startsWith("ddim")) {
      int desired = Integer.parseInt(spec.substring(4));
      int stride = 1;
      while (stride < T && (T + stride - 1) / stride != desired) {
        stride++;
      }
      require(stride < T, "sections '" + text + "' has no integer stride for T = " + T);
      for (int i = 0; i < T; i += stride) {
        indices.add(i);
      }
    } else {
      String[] parts = spec.split(",");
      int start = 0;
      for (int j = 0; j < parts.length; j++) {
        require(parts[j].strip().matches("[0-9]+"),
            "sections '" + text + "' must hold counts, got '" + parts[j] + "'");
        int c = Integer.parseInt(parts[j].strip());
        int size = T / parts.length + (j < T % parts.length ? 1 : 0);
        require(size >= c, "sections '" + text + "': section " + j + " has " + size
            + " steps, cannot take " + c);
        double f = c <= 1 ? 1 : (size - 1.0) / (c - 1);
        double x = 0;
        for (int i = 0; i < c; i++) {
          indices.add(start + (int) Math.rint(x));
          x += f;
        }
        start += size;
      }
    }
    require(!indices.isEmpty(), "sections '" + text + "' select no timestep");
    List<Integer> down = new ArrayList<>(indices.descendingSet());
    return down.stream().mapToInt(i -> i + 1).toArray();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
