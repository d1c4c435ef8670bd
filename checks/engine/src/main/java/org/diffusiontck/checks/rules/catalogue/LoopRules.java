package org.diffusiontck.checks.rules.catalogue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.diffusiontck.checks.impl.Clipping;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.FinalAlphaBar;
import org.diffusiontck.checks.impl.InversionEnd;
import org.diffusiontck.checks.impl.InversionModelTime;
import org.diffusiontck.checks.impl.LoopRequest;
import org.diffusiontck.checks.impl.LoopRequests;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.Prediction;
import org.diffusiontck.checks.impl.PreviousTimestep;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.ScheduleKind;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.Spacing;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.impl.VarianceChoice;
import org.diffusiontck.checks.rules.Ask;
import org.diffusiontck.checks.rules.CaseRule;
import org.diffusiontck.checks.rules.FiniteSetOracle;
import org.diffusiontck.checks.rules.GaussianOracle;
import org.diffusiontck.checks.rules.Gen;
import org.diffusiontck.checks.rules.HighPrecision;
import org.diffusiontck.checks.rules.ImplementationError;
import org.diffusiontck.checks.rules.Level;
import org.diffusiontck.checks.rules.Measurement;
import org.diffusiontck.checks.rules.ModelCalls;
import org.diffusiontck.checks.rules.ModelReading;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleInfo;
import org.diffusiontck.checks.rules.Statistics;
import org.diffusiontck.checks.rules.StepCase;
import org.diffusiontck.checks.rules.TimestepDefinitions;
import org.diffusiontck.checks.rules.Tolerance;
import org.diffusiontck.checks.rules.Tolerances;

/**
 * The implementation's own loops ({@code ddpm_sample}, {@code ddim_sample}, {@code ddim_invert}),
 * run against a model the kit serves, the Gaussian-data oracle, recording every call: which t the
 * model sees and on which x_t (spec/derivations/loops.md).
 */
final class LoopRules {
  private LoopRules() {}

  /** Tries of the call-by-call rules. */
  private static final int CALL_TRIES = 8;

  /** Samples per coordinate in LOOP-5, and its cases. */
  private static final int LAW_SAMPLES = 2000;
  private static final int LAW_TRIES = 2;

  /** The tests LOOP-5 makes in all: mean and variance of two coordinates per case. */
  private static final int LAW_TESTS = 4 * LAW_TRIES;

  private static final String CHAIN_SPACING =
      "no spacing declared (LEADING under the FIXED_STRIDE previous timestep)";

  static final Tolerances SAME_STEP = new Tolerances(
      new Tolerance(4e-11, 0, "per unit of the rounding scale (1 + 1/sqrt(alphaBar) + "
          + "1/sqrt(1 - alphaBar) at the timestep x0-hat is read at, times |x| + |model "
          + "output|, plus |z| and |x_s|): the loop's state and the single step's answer are "
          + "each within the step rules' allowance of 2e-11 per unit (DDPM-1, DDIM-1) of the "
          + "exact step, hence within twice that of each other"),
      new Tolerance(6e-3, 0, "float32, twice the step rules' 3e-3 per unit of the rounding "
          + "scale: the loop and the single step each within it of the exact step"));

  static List<Rule> all() {
    return List.of(calls(Kind.DDIM), calls(Kind.DDPM), calls(Kind.INVERT), convergence(),
        ddpmLaw(), roundTrip(), finiteChain());
  }

  /** Which loop a case runs. */
  enum Kind {
    DDIM("LOOP-1", Operation.DDIM_SAMPLE, Operation.DDIM_STEP, "DDIM sampling"),
    DDPM("LOOP-2", Operation.DDPM_SAMPLE, Operation.DDPM_STEP, "DDPM sampling"),
    INVERT("LOOP-3", Operation.DDIM_INVERT, Operation.DDIM_INVERT_STEP, "DDIM inversion");

    final String id;
    final Operation loop;
    final Operation step;
    final String label;

    Kind(String id, Operation loop, Operation step, String label) {
      this.id = id;
      this.loop = loop;
      this.step = step;
      this.label = label;
    }
  }

  /**
   * One loop run: the oracle case (schedule, shape, μ, s, prediction, noise seed), the selection
   * (N, spacing, LEADING's offset), η (DDIM), the variance choice (DDPM), and whether an inversion
   * starts from the data (s = 0) or from t_N.
   */
  record LoopCase(Kind kind, DdimRules.OracleCase oracle, int count, Spacing spacing,
      Integer leadingOffset, double eta, VarianceChoice choice, boolean fromZero) {

    ScheduleSpec schedule() {
      return oracle.schedule();
    }

    int T() {
      return oracle.schedule().steps();
    }

    int[] selected() {
      return LoopRules.selected(spacing, leadingOffset, T(), count);
    }

    /** Standard normals for step k (stream k + 1; stream 0 draws the start). */
    Tensor noise(int k) {
      return Gen.normal(oracle.seed(), k + 1, oracle.shape());
    }

    LoopRequest request(Tensor x) {
      List<Tensor> noise = new ArrayList<>();
      for (int k = 0; k < count; k++) {
        noise.add(noise(k));
      }
      Prediction p = oracle.prediction();
      return switch (kind) {
        case DDIM -> new LoopRequests.DdimSample(schedule(), p, eta, Clipping.NONE, count,
            spacing, leadingOffset, null, x, noise);
        case DDPM -> new LoopRequests.DdpmSample(schedule(), p, choice, Clipping.NONE, count,
            spacing, leadingOffset, null, x, noise);
        case INVERT -> new LoopRequests.DdimInvert(schedule(), p, Clipping.NONE, count, spacing,
            leadingOffset, null, x, fromZero ? 0 : selected()[count - 1]);
      };
    }

    @Override
    public String toString() {
      return "{" + kind.loop.label() + ", N: " + count + ", spacing: " + spacing
          + (leadingOffset == null ? "" : ", leadingOffset: " + leadingOffset)
          + (kind == Kind.DDIM ? ", eta: " + eta : "")
          + (kind == Kind.DDPM ? ", choice: " + choice : "")
          + (kind == Kind.INVERT ? ", from: " + (fromZero ? "0" : "t_N") : "")
          + ", oracle: " + oracle + "}";
    }
  }

  /**
   * The steps the loop must take, from[j] → to[j], and the timestep of its j-th model call:
   * sampling visits t_1..t_N, step k landing on s_k by the declared previous-timestep convention;
   * inversion climbs (0,) t_N, …, t_1 with the model at the declared inversion time.
   */
  record Plan(int[] from, int[] to, int[] modelTime) {
    static Plan of(LoopCase c, Conventions conv) {
      int[] tau = c.selected();
      int N = tau.length;
      if (c.kind != Kind.INVERT) {
        int[] to = new int[N];
        for (int k = 0; k < N; k++) {
          to[k] = conv.previousTimestep() == PreviousTimestep.NEXT_SELECTED
              ? (k + 1 < N ? tau[k + 1] : 0) : Math.max(tau[k] - c.T() / N, 0);
        }
        return new Plan(tau, to, tau);
      }
      int steps = c.fromZero ? N : N - 1;
      int[] from = new int[steps];
      int[] to = new int[steps];
      boolean pastT = conv.inversionEnd() == InversionEnd.ALPHA_BAR_ZERO;
      int[] model = new int[pastT ? steps + 1 : steps];
      if (pastT) {
        model[steps] = tau[0]; // the step onto ᾱ = 0 reads the model at t_1
      }
      for (int j = 0; j < steps; j++) {
        to[j] = tau[steps - 1 - j];
        from[j] = j == 0 ? (c.fromZero ? 0 : tau[N - 1]) : to[j - 1];
        boolean target = conv.inversionModelTime() == InversionModelTime.TARGET;
        model[j] = target ? to[j] : Math.max(from[j], 1);
      }
      return new Plan(from, to, model);
    }

    /** The timestep whose ᾱ reads x̂_0 on step j: the source (ᾱ_1 for s = 0 under FIRST_SELECTED). */
    int readAt(Kind kind, int j, Conventions conv) {
      return kind == Kind.INVERT ? DdimRules.landing(from[j], conv) : from[j];
    }
  }

  /**
   * t_1 &gt; … &gt; t_N by the definition of the spacing ({@code spec/CONVENTIONS.md} §10;
   * SECTIONS with the one section "N").
   */
  static int[] selected(Spacing spacing, Integer leadingOffset, int T, int N) {
    return switch (spacing) {
      case LINSPACE -> TimestepDefinitions.linspace(T, N);
      case LEADING -> TimestepDefinitions.leading(T, N, leadingOffset);
      case TRAILING -> TimestepDefinitions.trailing(T, N);
      case SECTIONS -> TimestepDefinitions.sections(T, Integer.toString(N));
    };
  }

  static Rule calls(Kind kind) {
    return CaseRule.of(new RuleInfo(kind.id,
            "A " + kind.label + " loop run against the kit's model calls it once per step, in "
                + "order, at " + (kind == Kind.INVERT ? "the declared inversion time of each "
                + "step (s -> t: s under SOURCE, t = 1 for s = 0 under FIRST_SELECTED; t under "
                + "TARGET), always within 1..T, climbing from 0 or t_N to t_1"
                : "the selected timesteps t_1 > ... > t_N of its spacing")
                + "; each call's x_t is the state the implementation's own single "
                + kind.step.label() + " produces from the previous call, and the loop's answer "
                + "is that step from the last call"
                + (kind == Kind.DDPM ? " (so no noise is added on the step to 0)" : "")
                + ": the loop equals N single steps of the same implementation."
                + (kind == Kind.INVERT ? " From s = 0 read at alphaBar_0 = 1 the first step is "
                + "sqrt(alphaBar_t) x_0 + sqrt(1 - alphaBar_t) output (eps and v predictions); "
                + "under inversionEnd ALPHA_BAR_ZERO the loop calls the model once more at t_1 "
                + "and answers eps-hat read there, bit for bit for an eps prediction." : ""),
            "Ho et al. 2020, Algorithm 2; Song et al. 2021, eqs. 12 and 16, §4.3; "
                + "spec/CONVENTIONS.md §9, §10, §15; spec/derivations/loops.md",
            "the timesteps from the spacing's definition and the declared conventions; the "
                + "states from the implementation's own single steps on the recorded calls",
            Level.REQUIRED, SAME_STEP),
        CALL_TRIES, List.of(Operation.SCHEDULE, kind.loop, kind.step),
        (r, d) -> drawCase(kind, r, d), c -> List.of(), LoopRules::checkCalls)
        .when(LoopRules::hasSpacing, "no spacing declared")
        .when(d -> kind != Kind.DDPM || !fixedChoices(d).isEmpty(),
            "no fixed variance choice declared");
  }

  private static boolean hasSpacing(Declaration d) {
    return !d.spacings().isEmpty();
  }

  private static List<VarianceChoice> fixedChoices(Declaration d) {
    return d.varianceChoices().stream().filter(v -> !v.learned()).sorted().toList();
  }

  /**
   * A loop case: T up to 60, or 1000 a third of the time; N = T half of the time for T ≤ 60, else
   * 1..30; a declared spacing (LEADING with offset 0 or 1); μ ∈ (−1, 1), s ∈ (0.3, 1) on a [2, 3]
   * batch.
   */
  private static LoopCase drawCase(Kind kind, SplittableRandom r, Declaration d) {
    int T = r.nextInt(3) == 0 ? Gen.MAX_T : 1 + r.nextInt(60);
    int N = T <= 60 && r.nextBoolean() ? T : 1 + r.nextInt(Math.min(T, 30));
    return drawCase(kind, r, d, T, N, new long[] {2, 3});
  }

  private static LoopCase drawCase(Kind kind, SplittableRandom r, Declaration d, int T, int N,
      long[] shape) {
    ScheduleKind sk = StepCase.pick(r, d.schedules().stream().sorted().toArray(ScheduleKind[]::new));
    T = Math.max(T, Gen.minSteps(d, sk)); // scaled linear endpoints: β_T < 1 needs T ≥ 21
    N = Math.min(N, T);
    ScheduleSpec spec = Gen.schedule(r, sk, T);
    Spacing sp = StepCase.pick(r, d.spacings().stream().sorted().toArray(Spacing[]::new));
    Integer offset = sp == Spacing.LEADING
        ? ((N - 1) * (T / N) + 2 <= T && r.nextBoolean() ? 1 : 0) : null;
    Conventions conv = d.conventions();
    boolean zeroAllowed = conv.inversionModelTime() == InversionModelTime.TARGET
        || conv.finalAlphaBar() == FinalAlphaBar.FIRST_SELECTED;
    boolean fromZero = kind == Kind.INVERT && zeroAllowed && r.nextBoolean();
    List<Prediction> predictions = new ArrayList<>(d.predictions().stream().sorted().toList());
    if (fromZero && conv.finalAlphaBar() == FinalAlphaBar.ONE) {
      // at ᾱ_0 = 1, ε̂ = (x_0 − x̂_0)/0 is undefined for an x_0 prediction
      predictions.remove(Prediction.X0);
      fromZero = !predictions.isEmpty();
      if (!fromZero) {
        predictions = d.predictions().stream().sorted().toList();
      }
    }
    if (kind == Kind.INVERT && !fromZero && N < 2) {
      // from t_N = t_1 an inversion has no step to take: draw it over two selected timesteps
      return drawCase(kind, r, d, Math.max(T, 2), 2, shape);
    }
    Prediction p = predictions.get(r.nextInt(predictions.size()));
    List<VarianceChoice> fixed = fixedChoices(d);
    VarianceChoice choice = kind == Kind.DDPM ? fixed.get(r.nextInt(fixed.size())) : null;
    double eta = kind == Kind.DDIM ? new double[] {0.0, 1.0, r.nextDouble()}[r.nextInt(3)] : 0;
    int size = (int) shape[shape.length - 1];
    double[] mu = new double[size];
    double[] sd = new double[size];
    for (int i = 0; i < size; i++) {
      mu[i] = -1 + 2 * r.nextDouble();
      sd[i] = 0.3 + 0.7 * r.nextDouble();
    }
    return new LoopCase(kind, new DdimRules.OracleCase(spec, shape, new GaussianOracle(mu, sd), p,
        r.nextLong()), N, sp, offset, eta, choice, fromZero);
  }

  private static void checkCalls(DiffusionImplementation impl, LoopCase c, Measurement m) {
    HighPrecision hp = new HighPrecision(Ask.schedule(impl, c.schedule()).beta());
    Conventions conv = impl.declaration().conventions();
    Plan plan = Plan.of(c, conv);
    Tensor start = c.oracle().tensor(c.oracle().sample(hp, plan.from[0]));
    ModelCalls model = model(c, hp);
    Tensor answer = run(impl, c.request(start), model);
    List<ModelCalls.Call> calls = model.calls();
    if (!sameTimesteps(plan.modelTime, calls, m) || answer == null) {
      return;
    }
    Ask.vetted(c.kind.loop.label(), c.oracle().shape(), answer);
    int steps = plan.from.length;
    String single = "the single " + c.kind.step.label() + " from call ";
    Tensor expected = start;
    for (int j = 0; j <= steps; j++) {
      Tensor seen = j < steps ? calls.get(j).xt() : calls.size() > steps ? calls.get(j).xt()
          : answer;
      String what = (j < calls.size() ? "model call " + (j + 1) + " (t = " + calls.get(j).t()
          + "): its x_t" : "the loop's answer") + " against "
          + (j == 0 ? "the loop's start" : single + j);
      double[] scale = j == 0 ? new double[seen.data().length]
          : scale(hp, c, plan, j - 1, calls.get(j - 1), expected, conv);
      for (int i = 0; i < scale.length; i++) {
        DdpmRules.closeWithin(m, what + " [" + i + "]", expected.data()[i], seen.data()[i],
            m.tolerance().abs() * scale[i]);
      }
      if (m.failed() || j == steps) {
        break;
      }
      expected = singleStep(impl, c, plan, j, calls.get(j));
      if (j == 0 && plan.from[0] == 0 && plan.readAt(c.kind, 0, conv) == 0) {
        fromData(hp, c, plan, calls.get(0), expected, m);
      }
    }
    if (!m.failed() && calls.size() > steps) {
      pastT(hp, c, calls.get(steps), answer, m);
    }
  }

  /**
   * The first inversion step from the data, read at ᾱ_0 = 1 (TARGET): x̂_0 = x_0 and ε̂ = the
   * output for ε and v predictions, so x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) output.
   */
  private static void fromData(HighPrecision hp, LoopCase c, Plan plan, ModelCalls.Call call,
      Tensor step, Measurement m) {
    int t = plan.to[0];
    double a = Math.sqrt(hp.alphaBar(t));
    double b = Math.sqrt(hp.oneMinusAlphaBar(t));
    double[] x0 = call.xt().data();
    double[] out = call.output().data();
    for (int i = 0; i < x0.length; i++) {
      double exact = a * x0[i] + b * out[i];
      DdpmRules.closeWithin(m, "the inversion step from s = 0 to " + t + " (x0-hat = x_0 at "
          + "alphaBar_0 = 1) [" + i + "]", exact, step.data()[i],
          m.tolerance().abs() * (Math.abs(x0[i]) + Math.abs(out[i]) + Math.abs(exact)));
    }
  }

  /**
   * The step past t_1 onto ᾱ = 0 (InversionEnd.ALPHA_BAR_ZERO) answers ε̂ read at t_1: for an ε
   * prediction the model's output bit for bit (√0 x̂_0 + √1 ε̂ rounds to nothing), otherwise
   * within the rounding of ε̂'s reading.
   */
  private static void pastT(HighPrecision hp, LoopCase c, ModelCalls.Call call, Tensor answer,
      Measurement m) {
    int t = call.t();
    ModelReading read = ModelReading.of(c.oracle().prediction(), hp.alphaBar(t),
        hp.oneMinusAlphaBar(t), Clipping.NONE, call.xt().data(), call.output().data(),
        c.oracle().oracle().size());
    boolean exact = c.oracle().prediction() == Prediction.EPSILON;
    for (int i = 0; i < read.eps().length; i++) {
      DdpmRules.closeWithin(m, "the inversion's step past t_1 = " + t + " onto alphaBar = 0: "
          + "the answer against eps-hat at t_1 [" + i + "]", exact ? call.output().data()[i]
          : read.eps()[i], answer.data()[i],
          exact ? 0 : m.tolerance().abs() * (read.epsScale()[i] + Math.abs(read.eps()[i])));
    }
  }

  /** The kit's model: the case's oracle at (x_t, t), recording every call. */
  private static ModelCalls model(LoopCase c, HighPrecision hp) {
    return new ModelCalls(c.T(), (x, t) -> c.oracle().output(hp, x, t), c.oracle().oracle());
  }

  /**
   * Runs the loop; null if it ended in an exception after a wrong model call (which the record
   * then reports). An exception after right calls is the loop's own failure and propagates.
   */
  private static Tensor run(DiffusionImplementation impl, LoopRequest request, ModelCalls model) {
    try {
      return request.applyTo(impl, model);
    } catch (RuntimeException e) {
      List<ModelCalls.Call> calls = model.calls();
      if (!calls.isEmpty() && calls.get(calls.size() - 1).output() == null) {
        return null;
      }
      throw e;
    }
  }

  /**
   * Whether the calls were at {@code expected}, in order; if not, fails {@code m} at the first that
   * differs, naming its step and both timesteps.
   */
  static boolean sameTimesteps(int[] expected, List<ModelCalls.Call> calls, Measurement m) {
    int[] seen = calls.stream().mapToInt(ModelCalls.Call::t).toArray();
    for (int k = 0; k < Math.max(expected.length, seen.length); k++) {
      if (k >= seen.length || k >= expected.length || seen[k] != expected[k]) {
        m.fail("first wrong model call: step " + (k + 1) + " of " + expected.length + ", t "
            + "expected " + (k < expected.length ? expected[k] : "no call (the loop has "
            + expected.length + " steps)") + ", seen " + (k < seen.length ? seen[k]
            : "no call (the loop stopped after " + seen.length + ")") + "; model calls expected "
            + Arrays.toString(expected) + ", seen " + Arrays.toString(seen));
        return false;
      }
    }
    return true;
  }

  /** The implementation's own single step j from the recorded call. */
  private static Tensor singleStep(DiffusionImplementation impl, LoopCase c, Plan plan, int j,
      ModelCalls.Call call) {
    int t = plan.from[j];
    int s = plan.to[j];
    Tensor out = switch (c.kind) {
      case DDIM -> new Requests.DdimStep(c.schedule(), c.oracle().prediction(), c.eta(),
          Clipping.NONE, call.xt(), t, s, call.output(), c.noise(j)).applyTo(impl);
      case DDPM -> new Requests.DdpmStep(c.schedule(), c.oracle().prediction(), c.choice(),
          Clipping.NONE, call.xt(), t, s, call.output(), null, c.noise(j)).applyTo(impl);
      case INVERT -> new Requests.DdimInvertStep(c.schedule(), c.oracle().prediction(),
          Clipping.NONE, call.xt(), t, s, call.output()).applyTo(impl);
    };
    return Ask.vetted(c.kind.step.label(), c.oracle().shape(), out);
  }

  /**
   * The rounding scale of step j per coordinate: (1 + 1/√ᾱ_r + 1/√(1 − ᾱ_r)) (|x| + |output|) +
   * |z| + |x_next|, r the timestep x̂_0 is read at (the last term left out at ᾱ_r = 1, where x̂_0
   * is x or the output itself).
   */
  private static double[] scale(HighPrecision hp, LoopCase c, Plan plan, int j,
      ModelCalls.Call call, Tensor next, Conventions conv) {
    int r = plan.readAt(c.kind, j, conv);
    double gain = 1 + 1 / Math.sqrt(hp.alphaBar(r))
        + (r == 0 ? 0 : 1 / Math.sqrt(hp.oneMinusAlphaBar(r)));
    double[] x = call.xt().data();
    double[] out = call.output().data();
    double[] z = c.noise(j).data();
    double[] scale = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      scale[i] = gain * (Math.abs(x[i]) + Math.abs(out[i])) + Math.abs(z[i])
          + Math.abs(next.data()[i]);
    }
    return scale;
  }

  /** DDIM-6's chains and DDIM-7's round trip through the implementation's own loops. */
  static final DdimRules.Route LOOPS = new DdimRules.Route() {
    @Override
    public int[] timesteps(DiffusionImplementation impl, int T, int N) {
      Spacing sp = chainSpacing(impl.declaration());
      return selected(sp, chainOffset(sp), T, N);
    }

    @Override
    public double[] generate(DiffusionImplementation impl, DdimRules.OracleCase c,
        HighPrecision hp, int[] tau, int[] to, double[] x, boolean toLast) {
      Spacing sp = chainSpacing(impl.declaration());
      ModelCalls model = new ModelCalls(c.schedule().steps(), (xt, t) -> c.output(hp, xt, t),
          c.oracle());
      Tensor out = Ask.vetted("ddim_sample", c.shape(), new LoopRequests.DdimSample(
          c.schedule(), c.prediction(), 0.0, Clipping.NONE, tau.length, sp, chainOffset(sp),
          null, c.tensor(x), zeros(c, tau.length)).applyTo(impl, model));
      List<ModelCalls.Call> calls = checked(model, tau, "ddim_sample");
      return toLast ? out.data() : calls.get(tau.length - 1).xt().data();
    }

    @Override
    public double[] invert(DiffusionImplementation impl, DdimRules.OracleCase c,
        HighPrecision hp, int[] tau, int[] to, double[] x) {
      Spacing sp = chainSpacing(impl.declaration());
      LoopCase loop = new LoopCase(Kind.INVERT, c, tau.length, sp, chainOffset(sp), 0, null,
          false);
      ModelCalls model = model(loop, hp);
      Tensor out = Ask.vetted("ddim_invert", c.shape(), loop.request(c.tensor(x))
          .applyTo(impl, model));
      List<ModelCalls.Call> calls = checked(model,
          Plan.of(loop, impl.declaration().conventions()).modelTime, "ddim_invert");
      // past t_1 the answer is eps-hat; x at t_1 is what the last model call saw
      return impl.declaration().conventions().inversionEnd() == InversionEnd.ALPHA_BAR_ZERO
          ? calls.get(calls.size() - 1).xt().data() : out.data();
    }
  };

  /** The calls of a chain, which must be at {@code expected} (else LOOP-1 or LOOP-3 fails too). */
  private static List<ModelCalls.Call> checked(ModelCalls model, int[] expected, String op) {
    Measurement m = new Measurement(Tolerance.exact("timesteps"));
    if (!sameTimesteps(expected, model.calls(), m)) {
      throw new ImplementationError(op + ": " + m.failure());
    }
    return model.calls();
  }

  private static List<Tensor> zeros(DdimRules.OracleCase c, int n) {
    long size = Arrays.stream(c.shape()).reduce(1, (a, b) -> a * b);
    List<Tensor> z = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      z.add(c.tensor(new double[(int) size]));
    }
    return z;
  }

  /**
   * The spacing of DDIM-6's and DDIM-7's loops: the first declared of LINSPACE, TRAILING, LEADING
   * (offset 0), SECTIONS ("N"); LEADING under FIXED_STRIDE, the one selection whose steps t −
   * ⌊T/N⌋ land on the next selected timestep (any other leaves each step's x one stride off the
   * timestep the next model call is made at, a chain that is no longer Euler's method).
   */
  private static Spacing chainSpacing(Declaration d) {
    if (d.conventions().previousTimestep() == PreviousTimestep.FIXED_STRIDE) {
      return Spacing.LEADING;
    }
    return List.of(Spacing.LINSPACE, Spacing.TRAILING, Spacing.LEADING, Spacing.SECTIONS)
        .stream().filter(d.spacings()::contains).findFirst()
        .orElseThrow(() -> new IllegalStateException("no spacing declared"));
  }

  /** Whether {@link #chainSpacing} has a spacing to use. */
  private static boolean hasChainSpacing(Declaration d) {
    return d.conventions().previousTimestep() == PreviousTimestep.FIXED_STRIDE
        ? d.spacings().contains(Spacing.LEADING) : hasSpacing(d);
  }

  private static Integer chainOffset(Spacing sp) {
    return sp == Spacing.LEADING ? 0 : null;
  }

  static Rule convergence() {
    return CaseRule.of(new RuleInfo("LOOP-4",
            "DDIM-6 driven by the implementation's own ddim_sample loop: with the Gaussian-data "
                + "oracle served as the model, the loop at eta = 0 over N = 10, 20, 40, 80 steps "
                + "(N < T = 1000) from the same x at t_1 lands on the exact probability-flow map "
                + "with an error that decreases at each doubling and an observed order between "
                + "N = 40 and 80 of 1 within 0.3.",
            "Song et al. 2021, eq. 14; spec/derivations/gaussian-oracle.md; "
                + "spec/derivations/loops.md",
            "exact oracle: the flow map in closed form, as DDIM-6; the spacing's definition for "
                + "t_1",
            Level.REQUIRED, DdimRules.convergence().info().tolerances()),
        2, List.of(Operation.SCHEDULE, Operation.DDIM_SAMPLE), DdimRules.OracleCase::draw,
        c -> List.of(), (impl, c, m) -> DdimRules.checkConvergence(impl, c, m, LOOPS))
        .when(LoopRules::hasChainSpacing, CHAIN_SPACING);
  }

  static Rule roundTrip() {
    return CaseRule.of(new RuleInfo("LOOP-6",
            "DDIM-7 driven by the implementation's own loops: with the Gaussian-data oracle "
                + "served as the model, ddim_invert from the smallest selected timestep t_N up to "
                + "t_1, then ddim_sample (eta = 0) from there, arrives back at t_N (the x_t of "
                + "its last model call) within the round-trip bound of eq. 12 and its inversion "
                + "(N = 10, 40); the inversion's model calls are at the declared inversion time.",
            "Song et al. 2021, §4.3; spec/CONVENTIONS.md §15; spec/derivations/loops.md",
            "exact oracle outputs; DDIM-7's bound, evaluated in the rule with 50-digit schedule "
                + "values, plus the accumulated rounding allowance",
            Level.REQUIRED, DdpmRules.PER_UNIT),
        2, List.of(Operation.SCHEDULE, Operation.DDIM_SAMPLE, Operation.DDIM_INVERT),
        DdimRules.OracleCase::draw, c -> List.of(),
        (impl, c, m) -> DdimRules.checkInversion(impl, c, m, LOOPS))
        .when(LoopRules::hasChainSpacing, CHAIN_SPACING);
  }

  static Rule ddpmLaw() {
    return CaseRule.of(new RuleInfo("LOOP-5",
            "With the Gaussian-data oracle served as the model and x at t_1 drawn from q(x_t1), "
                + "the implementation's own ddpm_sample loop (a fixed variance choice, N = T = 20 "
                + "or N = 10, 25, 50 of T = 1000) returns samples whose mean and variance per "
                + "coordinate match the law the loop's linear-Gaussian steps give in closed form "
                + "(" + LAW_SAMPLES + " samples; false-alarm probability at most 1e-6 in all).",
            "Ho et al. 2020, Algorithm 2 and eqs. 6-7; spec/derivations/loops.md",
            "exact law: with the oracle, each step is x_s = A x_t + C + sigma z, so the mean and "
                + "variance propagate in closed form (50-digit schedule values); z and chi-square "
                + "bounds at 1e-6 / " + LAW_TESTS + " each (Bonferroni)",
            Level.STATISTICAL, Tolerances.both(Tolerance.exact("statistical bounds: the z and "
                + "chi-square quantiles at the per-test false-alarm rate, computed per check"))),
        LAW_TRIES, List.of(Operation.SCHEDULE, Operation.DDPM_SAMPLE), LoopRules::drawLaw,
        c -> List.of(), LoopRules::checkLaw)
        .when(LoopRules::hasSpacing, "no spacing declared")
        .when(d -> !fixedChoices(d).isEmpty(), "no fixed variance choice declared");
  }

  private static LoopCase drawLaw(SplittableRandom r, Declaration d) {
    boolean shortChain = r.nextBoolean();
    int T = shortChain ? 20 : Gen.MAX_T;
    int N = shortChain ? 20 : new int[] {10, 25, 50}[r.nextInt(3)];
    return drawCase(Kind.DDPM, r, d, T, N, new long[] {LAW_SAMPLES, 2});
  }

  private static void checkLaw(DiffusionImplementation impl, LoopCase c, Measurement m) {
    HighPrecision hp = new HighPrecision(Ask.schedule(impl, c.schedule()).beta());
    Plan plan = Plan.of(c, impl.declaration().conventions());
    Tensor start = c.oracle().tensor(c.oracle().sample(hp, plan.from[0]));
    ModelCalls model = model(c, hp);
    Tensor answer = run(impl, c.request(start), model);
    if (!sameTimesteps(plan.modelTime, model.calls(), m) || answer == null) {
      return;
    }
    double[] x = Ask.vetted("ddpm_sample", c.oracle().shape(), answer).data();
    GaussianOracle o = c.oracle().oracle();
    double alpha = Statistics.FALSE_ALARM / LAW_TESTS;
    for (int i = 0; i < o.size(); i++) {
      double[] law = law(hp, c, plan, o.mu()[i], o.sd()[i]);
      double[] xi = new double[LAW_SAMPLES];
      for (int n = 0; n < LAW_SAMPLES; n++) {
        xi[n] = x[n * o.size() + i];
      }
      double meanBound = Statistics.z(alpha) * Math.sqrt(law[1] / LAW_SAMPLES);
      m.close("sample mean of coordinate " + i + " (law N(" + law[0] + ", " + law[1] + "))",
          law[0], Statistics.mean(xi), new Tolerance(meanBound, 0, "z at " + alpha
              + " times the standard error"));
      double ratioBound = Statistics.varianceRatioBound(LAW_SAMPLES, alpha);
      m.close("sample variance / law variance of coordinate " + i, 1.0,
          Statistics.variance(xi) / law[1], new Tolerance(ratioBound, 0, "chi-square with "
              + (LAW_SAMPLES - 1) + " degrees of freedom at " + alpha));
    }
  }

  /**
   * Mean and variance of the loop's answer at one coordinate: x at t_1 ~ N(√ᾱ μ, V), then each
   * step x_s = c0 x̂_0 + c1 x_t + σ z with the oracle's x̂_0 = μ + √ᾱ_t s² (x_t − √ᾱ_t μ)/V_t:
   * x_s = A x_t + C + σ z, A = c0 √ᾱ_t s²/V_t + c1, C = c0 μ (1 − ᾱ_t s²/V_t).
   */
  static double[] law(HighPrecision hp, LoopCase c, Plan plan, double mu, double sd) {
    double s2 = sd * sd;
    int t1 = plan.from[0];
    double mean = Math.sqrt(hp.alphaBar(t1)) * mu;
    double var = hp.alphaBar(t1) * s2 + hp.oneMinusAlphaBar(t1);
    for (int k = 0; k < plan.from.length; k++) {
      int t = plan.from[k];
      double abT = hp.alphaBar(t);
      double vT = abT * s2 + hp.oneMinusAlphaBar(t);
      DdpmStep step = DdpmStep.of(hp, c.choice(), t, plan.to[k]);
      double a = step.c0 * Math.sqrt(abT) * s2 / vT + step.c1;
      double cc = step.c0 * mu * (1 - abT * s2 / vT);
      mean = a * mean + cc;
      var = a * a * var + step.sigma2;
    }
    return new double[] {mean, var};
  }

  /**
   * The DDPM step t → s as x_s = c0 x̂_0 + c1 x_t + σ z (Ho et al. 2020, eq. 7 and Algorithm 2,
   * strided): c0 = √ᾱ_s β_{t|s}/(1 − ᾱ_t), c1 = √(ᾱ_t/ᾱ_s) (1 − ᾱ_s)/(1 − ᾱ_t), σ² = β_{t|s}
   * (FIXED_LARGE) or β̃_{t|s} (FIXED_SMALL), 0 on the step to s = 0; 50-digit schedule values.
   */
  record DdpmStep(double c0, double c1, double sigma2) {
    static DdpmStep of(HighPrecision hp, VarianceChoice choice, int t, int s) {
      double beta = hp.betaBetween(t, s);
      double c0 = Math.sqrt(hp.alphaBar(s)) * beta / hp.oneMinusAlphaBar(t);
      double c1 = Math.sqrt(hp.alphaBarRatio(t, s)) * hp.oneMinusAlphaBar(s)
          / hp.oneMinusAlphaBar(t);
      double sigma2 = s == 0 ? 0 : choice == VarianceChoice.FIXED_LARGE ? beta
          : hp.oneMinusAlphaBar(s) / hp.oneMinusAlphaBar(t) * beta;
      return new DdpmStep(c0, c1, sigma2);
    }
  }

  /** Points in the finite set of LOOP-7, and their dimension (= the length of one sample). */
  private static final int POINTS = 3;
  private static final int DIMENSION = 2;

  /**
   * The largest a_k = √ᾱ_t D E_k/(1 − ᾱ_t) (D the set's diameter, E_k the carried bound) at which
   * LOOP-7 still compares: beyond it the weights near the kit's path may move by a factor e^a,
   * the bound grows by that factor at each step and says little (spec/derivations/loops.md).
   */
  static final double LINEAR_REGIME = 1.0;

  static final Tolerances FINITE_CHAIN = new Tolerances(
      new Tolerance(SAME_STEP.float64().abs(), 0, "per unit of each step's rounding scale as in "
          + "LOOP-2 (the implementation's step and the kit's each within the step rules' 2e-11 "
          + "per unit of the exact step), carried forward: E_(k+1) = G_k E_k + that allowance "
          + "(Euclidean norm per sample), G_k = |c1| + |c0| sqrt(alphaBar_t) e^a tr Cov_w(p) / "
          + "(1 - alphaBar_t) the Jacobian bound of the step over the ball of radius E_k around "
          + "the kit's path (weights there within a factor e^a, a = sqrt(alphaBar_t) D E_k / "
          + "(1 - alphaBar_t)); the answer within E_N of the kit's chain per coordinate. Cases "
          + "with some a > " + LINEAR_REGIME + " are not compared (reported in the case's worst "
          + "location)"),
      new Tolerance(SAME_STEP.float32().abs(), 0, "float32, 6e-3 per unit of each step's "
          + "rounding scale carried forward the same way: near t = 1, 1 - alphaBar_1 ~ 1e-4, "
          + "so a ~ D E / 1e-4 exceeds " + LINEAR_REGIME + " within the first steps and a "
          + "float32 case is in general not compared (only its model calls are checked)"));

  /** A LOOP-7 case: a DDPM loop case (its schedule, selection, noise, prediction) and the set. */
  record FiniteCase(LoopCase loop, FiniteSetOracle set) {
    /** x at t_1: sample b drawn from q(x_t1 | p_(b mod K)) with stream 0's normals. */
    double[] start(HighPrecision hp, int t1) {
      double[] z = Gen.normal(loop.oracle().seed(), 0, loop.oracle().shape()).data();
      double a = Math.sqrt(hp.alphaBar(t1));
      double b = Math.sqrt(hp.oneMinusAlphaBar(t1));
      int d = set.size();
      double[] x = new double[z.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = a * set.points()[(i / d) % set.points().length][i % d] + b * z[i];
      }
      return x;
    }

    Tensor output(HighPrecision hp, double[] x, int t) {
      return loop.oracle().tensor(set.output(loop.oracle().prediction(), x, hp.alphaBar(t),
          hp.oneMinusAlphaBar(t)));
    }

    @Override
    public String toString() {
      LoopCase c = loop;
      return "{ddpm_sample, N: " + c.count() + ", spacing: " + c.spacing()
          + (c.leadingOffset() == null ? "" : ", leadingOffset: " + c.leadingOffset())
          + ", choice: " + c.choice() + ", schedule: " + c.schedule() + ", prediction: "
          + c.oracle().prediction() + ", points: " + set + ", shape: "
          + Arrays.toString(c.oracle().shape()) + ", noise seed: " + c.oracle().seed() + "}";
    }
  }

  static Rule finiteChain() {
    return CaseRule.of(new RuleInfo("LOOP-7",
            "With the finite-set oracle served as the model (" + POINTS + " points in dimension "
                + DIMENSION + " drawn per case; x0-hat = sum_i w_i p_i, softmax weights) and x at "
                + "t_1 drawn from q(x_t1), the implementation's own ddpm_sample loop (a fixed "
                + "variance choice, N <= T) on the same noise returns the kit's own chain "
                + "(Algorithm 2 with the declared variance choice, spacing and previous-timestep "
                + "convention) within the chain's carried rounding bound; cases whose bound "
                + "leaves the linear regime of the map are not compared.",
            "Ho et al. 2020, Algorithm 2 and eqs. 6-7; spec/derivations/loops.md",
            "exact oracle: the finite set's posterior by Bayes' rule, in double in the kit; the "
                + "kit's chain with 50-digit step coefficients",
            Level.REQUIRED, FINITE_CHAIN),
        CALL_TRIES, List.of(Operation.SCHEDULE, Operation.DDPM_SAMPLE), LoopRules::drawFinite,
        c -> List.of(), LoopRules::checkFinite)
        .when(LoopRules::hasSpacing, "no spacing declared")
        .when(d -> !fixedChoices(d).isEmpty(), "no fixed variance choice declared");
  }

  /** As LOOP-2's cases (T ≤ 60 or 1000, N ≤ 30), on a [4, 2] batch and a set drawn in (−1, 1)^2. */
  private static FiniteCase drawFinite(SplittableRandom r, Declaration d) {
    int T = r.nextInt(3) == 0 ? Gen.MAX_T : 1 + r.nextInt(60);
    int N = T <= 60 && r.nextBoolean() ? T : 1 + r.nextInt(Math.min(T, 30));
    LoopCase c = drawCase(Kind.DDPM, r, d, T, N, new long[] {4, DIMENSION});
    double[][] points = new double[POINTS][DIMENSION];
    for (double[] p : points) {
      for (int j = 0; j < p.length; j++) {
        p[j] = -1 + 2 * r.nextDouble();
      }
    }
    return new FiniteCase(c, new FiniteSetOracle(points));
  }

  private static void checkFinite(DiffusionImplementation impl, FiniteCase f, Measurement m) {
    LoopCase c = f.loop();
    HighPrecision hp = new HighPrecision(Ask.schedule(impl, c.schedule()).beta());
    Conventions conv = impl.declaration().conventions();
    Plan plan = Plan.of(c, conv);
    double[] kit = f.start(hp, plan.from[0]);
    ModelCalls model = new ModelCalls(c.T(), (x, t) -> f.output(hp, x, t));
    Tensor answer = run(impl, c.request(c.oracle().tensor(kit)), model);
    if (!sameTimesteps(plan.modelTime, model.calls(), m) || answer == null) {
      return;
    }
    double[] seen = Ask.vetted("ddpm_sample", c.oracle().shape(), answer).data();
    FiniteSetOracle set = f.set();
    int d = set.size();
    double D = set.diameter();
    double[] E = new double[kit.length / d];
    for (int k = 0; k < plan.from.length; k++) {
      int t = plan.from[k];
      double ab = hp.alphaBar(t);
      double oneMinus = hp.oneMinusAlphaBar(t);
      DdpmStep step = DdpmStep.of(hp, c.choice(), t, plan.to[k]);
      double[] z = c.noise(k).data();
      double[] next = new double[kit.length];
      double[] gain = new double[E.length];
      for (int b = 0; b < E.length; b++) {
        double[] x = Arrays.copyOfRange(kit, b * d, b * d + d);
        double a = Math.sqrt(ab) * D * E[b] / oneMinus;
        if (a > LINEAR_REGIME) {
          m.close("not compared: at step " + (k + 1) + " (t = " + t + ") the carried bound "
              + E[b] + " of sample " + b + " leaves the linear regime (a = " + a + " > "
              + LINEAR_REGIME + ")", 0, 0, Tolerance.exact(m.tolerance().why()));
          return;
        }
        gain[b] = Math.abs(step.c1) + Math.abs(step.c0) * Math.sqrt(ab) * Math.exp(a)
            * set.traceCovariance(x, ab, oneMinus) / oneMinus;
        double[] x0 = set.x0(x, ab, oneMinus);
        for (int j = 0; j < d; j++) {
          int i = b * d + j;
          next[i] = step.c0 * x0[j] + step.c1 * x[j] + Math.sqrt(step.sigma2) * z[i];
        }
      }
      double[] scale = scale(hp, c, plan, k, model.calls().get(k), c.oracle().tensor(next), conv);
      for (int b = 0; b < E.length; b++) {
        double sum = 0;
        for (int j = b * d; j < b * d + d; j++) {
          sum += scale[j] * scale[j];
        }
        E[b] = gain[b] * E[b] + m.tolerance().abs() * Math.sqrt(sum);
      }
      kit = next;
    }
    for (int i = 0; i < kit.length; i++) {
      DdpmRules.closeWithin(m, "the loop's answer [" + i + "] against the kit's chain on the "
          + "finite set (carried bound " + E[i / d] + " over " + plan.from.length + " steps)",
          kit[i], seen[i], E[i / d]);
    }
  }
}
