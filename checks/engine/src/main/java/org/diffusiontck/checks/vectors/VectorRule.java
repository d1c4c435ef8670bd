package org.diffusiontck.checks.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.diffusiontck.checks.impl.Clipping;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.Prediction;
import org.diffusiontck.checks.impl.Rejected;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.Spacing;
import org.diffusiontck.checks.impl.VarianceChoice;
import org.diffusiontck.checks.rules.ImplementationError;
import org.diffusiontck.checks.rules.Measurement;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleInfo;
import org.diffusiontck.checks.rules.RuleResult;
import org.diffusiontck.checks.rules.RunSettings;
import org.diffusiontck.checks.rules.Status;
import org.diffusiontck.checks.rules.TimestepDefinitions;
import org.diffusiontck.checks.rules.Tolerance;
import org.diffusiontck.checks.rules.Tolerances;
import org.diffusiontck.checks.wire.Wire;

/**
 * The recorded cases of one rule, replayed: reported as {@code <ID>/vectors} next to the rule.
 * A case applies when the implementation declares its operation, the capabilities its request
 * uses (schedule kind, zero terminal SNR, prediction, variance choice, spacing, clipping) and the
 * conventions it is tagged with. Each applicable request is sent as recorded; the answer must
 * equal the reference's within the case's tolerance for the declared dtype (a refusal must be
 * refused). The first failing case is the counterexample.
 */
public final class VectorRule implements Rule {
  private final Rule rule;
  private final String file;
  private final List<VectorCase> cases;
  private final RuleInfo info;

  public VectorRule(Rule rule, String file, List<VectorCase> cases) {
    this.rule = rule;
    this.file = file;
    this.cases = List.copyOf(cases);
    RuleInfo base = rule.info();
    this.info = new RuleInfo(base.id() + "/vectors",
        "The implementation reproduces the reference's answers to the " + cases.size()
            + " recorded cases of " + base.id() + " (" + file + ").",
        base.guards(),
        "the reference's answers recorded in " + file + ", each case with its own tolerance",
        base.level(), Tolerances.both(new Tolerance(0, 0, VectorCase.WHY)));
  }

  /** One vector rule per rule of {@code rules} that has cases, right after it. */
  public static List<Rule> interleave(List<Rule> rules, List<VectorCase> cases, String dir) {
    List<Rule> out = new ArrayList<>();
    for (Rule r : rules) {
      out.add(r);
      List<VectorCase> mine = cases.stream().filter(c -> c.rule().equals(r.info().id())).toList();
      if (!mine.isEmpty()) {
        out.add(new VectorRule(r, dir + "/" + mine.get(0).family().toLowerCase() + ".json", mine));
      }
    }
    return out;
  }

  @Override
  public RuleInfo info() {
    return info;
  }

  /** The rule whose cases these are. */
  public Rule rule() {
    return rule;
  }

  @Override
  public List<Operation> operations() {
    return cases.stream().map(c -> Wire.operation(c.op())).distinct().toList();
  }

  @Override
  public Optional<String> missing(Declaration d) {
    if (applicable(d).isEmpty()) {
      return Optional.of("none of the " + cases.size() + " recorded cases applies: "
          + why(d, cases.get(0)));
    }
    return Optional.empty();
  }

  /** The cases that apply to an implementation with this declaration. */
  public List<VectorCase> applicable(Declaration d) {
    return cases.stream().filter(c -> why(d, c) == null).toList();
  }

  /** Why case {@code c} does not apply to {@code d}, or null if it does. */
  static String why(Declaration d, VectorCase c) {
    Operation op = Wire.operation(c.op());
    if (!d.offers(op)) {
      return "operation " + op.label() + " not declared";
    }
    for (ConventionField f : ConventionField.all()) {
      String tag = c.conventions().get(f.name());
      if (tag != null && !tag.equals(ConventionField.label(f.get(d.conventions())))) {
        return "recorded under conventions." + f.name() + " = " + tag;
      }
    }
    Object request = LoopReplay.isLoop(c.request()) ? LoopReplay.read(c.request())
        : Wire.readRequest(c.request());
    String pair = strideMisses(d, request);
    if (pair != null) {
      return pair;
    }
    String limit = limits(d, request);
    if (limit != null) {
      return limit;
    }
    for (RecordComponent rc : request.getClass().getRecordComponents()) {
      Object v;
      try {
        v = rc.getAccessor().invoke(request);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      String missing = capability(d, op, v);
      if (missing != null) {
        return missing;
      }
    }
    return null;
  }

  /** Why a request lies outside the version-2 limits of {@code d}, or null. */
  private static String limits(Declaration d, Object request) {
    if (request instanceof Requests.ForwardSample f && !d.samplesForwardFromAnyStep()
        && Arrays.stream(f.s()).anyMatch(s -> s > 0)) {
      return Declaration.FORWARD_FROM_DATA_ONLY;
    }
    if (request instanceof Requests.Convert c && !d.converts(c.from(), c.to())) {
      return "conversion " + c.from().label() + " -> " + c.to().label() + " not declared";
    }
    return null;
  }

  /**
   * Why a DDIM step or inversion step is not asked of an implementation declaring a fixed stride:
   * its pair is not one that stride takes ({@link TimestepDefinitions#strideTakes}); null if it is.
   */
  private static String strideMisses(Declaration d, Object request) {
    if (!d.conventions().fixedStride()) {
      return null;
    }
    int[] pair = request instanceof Requests.DdimStep q
        ? new int[] {q.schedule().steps(), q.t(), q.s()}
        : request instanceof Requests.DdimInvertStep q
            ? new int[] {q.schedule().steps(), q.t(), q.s()} : null;
    if (pair == null || TimestepDefinitions.strideTakes(pair[0], pair[1], pair[2])) {
      return null;
    }
    return "the step " + pair[1] + " -> " + pair[2] + " (T = " + pair[0] + ") is not one of "
        + "previousTimestep = fixed_stride";
  }

  private static String capability(Declaration d, Operation op, Object v) {
    if (v instanceof ScheduleSpec s) {
      if (!d.schedules().contains(s.kind())) {
        return "schedule " + s.kind().label() + " not declared";
      }
      if (s.steps() < d.minSteps()) {
        return "T = " + s.steps() + " below the declared minSteps " + d.minSteps();
      }
      if (s.zeroTerminalSnr() && !d.zeroTerminalSnr()) {
        return "zero terminal SNR not declared";
      }
    } else if (v instanceof Prediction p && !d.predictions().contains(p)) {
      return "prediction " + p + " not declared";
    } else if (v instanceof VarianceChoice c && !d.varianceChoices().contains(c)) {
      return "variance choice " + c + " not declared";
    } else if (v instanceof Spacing s && !d.spacings().contains(s)) {
      return "spacing " + s + " not declared";
    } else if (v instanceof Clipping c && c.kind() != Clipping.Kind.NONE
        && !d.clippings(op).contains(c.kind())) {
      return "clipping " + c.kind() + " not declared";
    }
    return null;
  }

  @Override
  public RuleResult run(DiffusionImplementation impl, RunSettings settings) {
    long start = System.nanoTime();
    Declaration d = impl.declaration();
    List<VectorCase> mine = applicable(d);
    double worstAbs = 0;
    double worstRel = 0;
    double worstRatio = -1;
    String where = "";
    Tolerance worstTolerance = null;
    for (int i = 0; i < mine.size(); i++) {
      VectorCase c = mine.get(i);
      Tolerance tol = c.refusal() ? Tolerance.exact("a refusal")
          : settings.toleranceFor(rule.info().id(), c.tolerances().get(d.dtype()));
      Measurement m = new Measurement(tol);
      replay(impl, c, m);
      worstAbs = Math.max(worstAbs, m.worstAbs());
      worstRel = Math.max(worstRel, m.worstRel());
      if (m.worstRatio() > worstRatio || worstTolerance == null) {
        worstRatio = m.worstRatio();
        where = m.where() + " in " + describe(c);
        worstTolerance = tol;
      }
      if (m.failed()) {
        return new RuleResult(info, Status.FAIL, m.failure(), tol, worstAbs, worstRel,
            Math.max(worstRatio, m.worstRatio()), m.where(), describe(c), i + 1,
            millisSince(start));
      }
    }
    return new RuleResult(info, Status.PASS, "", worstTolerance, worstAbs, worstRel,
        Math.max(0, worstRatio), where, null, mine.size(), millisSince(start));
  }

  private static void replay(DiffusionImplementation impl, VectorCase c, Measurement m) {
    JsonNode observed;
    try {
      observed = LoopReplay.isLoop(c.request())
          ? LoopReplay.answer(impl, c.request(), LoopReplay.read(c.request()).schedule())
          : Wire.tree(Wire.readRequest(c.request()).applyTo(impl));
    } catch (Rejected | IllegalArgumentException e) {
      if (!c.refusal()) {
        m.fail(c.op() + ": the implementation refused a case the reference answers: "
            + e.getMessage());
      }
      return;
    }
    if (c.refusal()) {
      m.fail(c.op() + ": expected a refusal (the reference: " + c.error() + "), got an answer");
      return;
    }
    if (c.result().has("calls") && !sameCalls(c.result().get("calls"), observed.get("calls"), m)) {
      return;
    }
    String nan = Wire.firstNaN(observed, "result");
    if (nan != null) {
      throw new ImplementationError(c.op() + ": NaN in the answer at " + nan);
    }
    compare(c.op(), c.result(), observed, "result", m);
  }

  private static void compare(String op, JsonNode expected, JsonNode observed, String path,
      Measurement m) {
    if (expected.isNumber()) {
      if (!observed.isNumber()) {
        throw new ImplementationError(op + ": expected a number at " + path + ", got "
            + Wire.cut(observed.toString()));
      }
      m.close(path, expected.asDouble(), observed.asDouble());
    } else if (expected.isArray()) {
      if (!observed.isArray() || observed.size() != expected.size()) {
        throw new ImplementationError(op + ": expected " + expected.size() + " values at " + path
            + ", got " + (observed.isArray() ? observed.size() : Wire.cut(observed.toString())));
      }
      if (path.endsWith(".shape") && !sameIntegers(expected, observed)) {
        throw new ImplementationError(op + ": expected shape " + expected + ", got " + observed);
      }
      for (int i = 0; i < expected.size(); i++) {
        compare(op, expected.get(i), observed.get(i), path + "[" + i + "]", m);
      }
    } else if (expected.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode o = observed.get(e.getKey());
        if (o == null) {
          throw new ImplementationError(op + ": the answer has no " + path + "." + e.getKey());
        }
        compare(op, e.getValue(), o, path + "." + e.getKey(), m);
      }
    }
  }

  /**
   * Whether a loop called the model at the recorded timesteps, in order; if not, fails {@code m}
   * at the first call that differs (step number, t expected and seen).
   */
  private static boolean sameCalls(JsonNode expected, JsonNode seen, Measurement m) {
    for (int k = 0; k < Math.max(expected.size(), seen.size()); k++) {
      if (k >= seen.size() || k >= expected.size()
          || seen.get(k).asInt() != expected.get(k).asInt()) {
        m.fail("first wrong model call: step " + (k + 1) + " of " + expected.size()
            + ", t expected " + (k < expected.size() ? expected.get(k) : "no call")
            + ", seen " + (k < seen.size() ? seen.get(k) : "no call") + "; model calls "
            + "expected " + expected + ", seen " + seen);
        return false;
      }
    }
    return true;
  }

  private static boolean sameIntegers(JsonNode a, JsonNode b) {
    for (int i = 0; i < a.size(); i++) {
      if (!b.get(i).canConvertToLong() || a.get(i).asLong() != b.get(i).asLong()) {
        return false;
      }
    }
    return true;
  }

  /** A case as a counterexample: where it is recorded and its request with tensors abbreviated. */
  String describe(VectorCase c) {
    ObjectNode shown = c.request().deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = shown.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isObject() && v.has("data")) {
        e.setValue(Wire.tree("tensor" + v.get("shape")));
      } else if (v.isArray() && v.size() > 0 && v.get(0).has("data")) {
        e.setValue(Wire.tree(v.size() + " tensors"));
      } else if (v.isObject() && v.has("betas")) {
        ((ObjectNode) v).put("betas", v.get("betas").size() + " values");
      }
    }
    String conventions = c.conventions().isEmpty() ? "" : " under conventions " + c.conventions();
    return "case " + (cases.indexOf(c) + 1) + " of " + rule.info().id() + " in " + file + conventions
        + ": " + Wire.cut(shown.toString());
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
