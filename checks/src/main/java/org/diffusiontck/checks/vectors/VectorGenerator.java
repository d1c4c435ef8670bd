package org.diffusiontck.checks.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.Dtype;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.LoopRequest;
import org.diffusiontck.checks.impl.Model;
import org.diffusiontck.checks.impl.Rejected;
import org.diffusiontck.checks.impl.Request;
import org.diffusiontck.checks.reference.ReferenceImplementation;
import org.diffusiontck.checks.rules.Level;
import org.diffusiontck.checks.rules.ModelCalls;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleResult;
import org.diffusiontck.checks.rules.RuleRunner;
import org.diffusiontck.checks.rules.RunSettings;
import org.diffusiontck.checks.rules.Status;
import org.diffusiontck.checks.rules.Tolerance;
import org.diffusiontck.checks.wire.Wire;

/**
 * Records the vectors (spec/VECTORS.md): every non-statistical rule runs against the reference at
 * its default conventions and seed, and each request it sends is kept with the reference's answer
 * (or refusal); a loop operation served an exact oracle is kept with the oracle's definition, and
 * answered by the reference's loop served that oracle ({@link LoopReplay}). Per rule, a few
 * distinct requests are chosen that together cover every feature its requests showed ({@link
 * Features}, plus "refused", "clipping active" and the conventions the answer depends on),
 * preferring small ones. Each chosen request becomes a case at the default
 * conventions, and one more case for every other option of each convention its answer depends on,
 * answered by the reference under that option. Each case is tagged with exactly the conventions
 * whose change would move its answer beyond its float64 tolerance.
 */
public final class VectorGenerator {
  /** At most this many distinct requests of one rule are kept (before convention variants). */
  static final int MAX_REQUESTS = 16;

  /** At least this many, where the rule sent that many. */
  static final int MIN_REQUESTS = 3;

  /** Requests larger than this (JSON characters) are not kept. */
  static final int MAX_CHARS = 200_000;

  /** At most this many of a rule's distinct requests are candidates (see {@link #candidates}). */
  static final int MAX_CANDIDATES = 40;

  /** A relative change beyond this counts as "depends on" when choosing requests. */
  private static final double DEPENDS = 1e-9;

  private final Conventions defaults = Conventions.defaults();
  private final Map<Conventions, Sensitivity> byConventions = new HashMap<>();

  private record Recorded(int index, ObjectNode request, JsonNode result, String error,
      Set<String> features, int size) {}

  private VectorGenerator() {}

  /** The cases of every non-statistical rule of {@code rules}, in catalogue order. */
  public static List<VectorCase> generate(List<Rule> rules, Consumer<String> progress) {
    return new VectorGenerator().run(rules, progress);
  }

  private List<VectorCase> run(List<Rule> rules, Consumer<String> progress) {
    long start = System.nanoTime();
    Map<Rule, List<Recorded>> recorded = record(rules);
    progress.accept(String.format("rules run and requests recorded in %.1f s",
        (System.nanoTime() - start) / 1e9));
    Map<String, VectorCase> cases = new LinkedHashMap<>();
    for (Map.Entry<Rule, List<Recorded>> e : recorded.entrySet()) {
      long ruleStart = System.nanoTime();
      List<Recorded> chosen = choose(e.getValue(), MAX_REQUESTS, MIN_REQUESTS);
      int before = cases.size();
      for (Recorded r : chosen) {
        for (VectorCase c : casesOf(e.getKey(), r)) {
          cases.putIfAbsent(c.rule() + c.request() + c.conventions(), c);
        }
      }
      progress.accept(String.format("%-9s %3d candidate requests, %d kept, %d cases (%.1f s)",
          e.getKey().info().id(), e.getValue().size(), chosen.size(), cases.size() - before,
          (System.nanoTime() - ruleStart) / 1e9));
    }
    return new ArrayList<>(cases.values());
  }

  /**
   * Runs the rules against a recording reference: the candidate requests of each rule ({@link
   * #candidates}), distinct, with their features.
   */
  private Map<Rule, List<Recorded>> record(List<Rule> rules) {
    Map<Rule, List<Recorded>> out = new LinkedHashMap<>();
    DiffusionImplementation reference = new ReferenceImplementation(defaults);
    RuleRunner runner = new RuleRunner(RunSettings.defaults());
    for (Rule rule : rules) {
      if (rule.info().level() == Level.STATISTICAL) {
        continue;
      }
      boolean helperSchedules = rule.operations().stream().anyMatch(o -> o != Operation.SCHEDULE);
      boolean loopRule = rule.operations().stream().anyMatch(Operation::loop);
      Map<String, Recorded> requests = new LinkedHashMap<>();
      List<Recorded> candidates = new ArrayList<>();
      DiffusionImplementation recorder = Intercept.of(reference, reference.declaration(),
          new Intercept.Handler() {
            @Override
            public Object handle(Request<?> request, Supplier<Object> proceed) {
              if (helperSchedules && request.operation() == Operation.SCHEDULE || loopRule) {
                // the schedule a rule reads its expectations from; a loop rule's single steps
                // (the steps' own vectors are the step rules')
                return proceed.get();
              }
              ObjectNode node = Wire.requestNode(0, request);
              node.remove("id");
              try {
                Object answer = proceed.get();
                keep(requests, node, Wire.tree(answer), null);
                return answer;
              } catch (Rejected | IllegalArgumentException e) {
                keep(requests, node, null, e.getMessage());
                throw e;
              }
            }

            /** A loop served an exact oracle, answered again with the case's own model. */
            @Override
            public Object loop(LoopRequest request, Model model, Supplier<Object> proceed) {
              if (model instanceof ModelCalls calls && calls.oracle().isPresent()) {
                ObjectNode node = LoopReplay.recorded(request, calls.oracle().get());
                keep(requests, node, LoopReplay.answer(reference, node, request.schedule()),
                    null);
              }
              return proceed.get();
            }
          });
      RuleResult result = runner.runOne(recorder, rule);
      if (result.status() != Status.PASS) {
        throw new IllegalStateException("rule " + rule.info().id() + " does not pass against the "
            + "reference (" + result.status() + ": " + result.message() + "); no vectors written");
      }
      for (Recorded r : candidates(new ArrayList<>(requests.values()), rule.info().id())) {
        candidates.add(new Recorded(r.index(), r.request(), r.result(), r.error(),
            features(r.request(), r.result(), r.error()), r.size()));
      }
      if (!candidates.isEmpty()) {
        out.put(rule, candidates);
      }
    }
    return out;
  }

  private void keep(Map<String, Recorded> requests, ObjectNode request, JsonNode result,
      String error) {
    String key = request.toString();
    int size = key.length() + (result == null ? 0 : result.toString().length());
    if (size > MAX_CHARS || requests.containsKey(key)) {
      return;
    }
    requests.put(key, new Recorded(requests.size(), request, result, error,
        Features.of(request), size));
  }

  /**
   * At most {@link #MAX_CANDIDATES} of a rule's requests: a cover of their request features (see
   * {@link #choose}), then others drawn at random (seeded by the rule's ID), in recorded order.
   */
  static List<Recorded> candidates(List<Recorded> all, String id) {
    if (all.size() <= MAX_CANDIDATES) {
      return all;
    }
    List<Recorded> out = new ArrayList<>(choose(all, MAX_CANDIDATES / 2, 0));
    List<Recorded> rest = new ArrayList<>(all);
    rest.removeAll(out);
    java.util.Collections.shuffle(rest, new java.util.Random(id.hashCode()));
    out.addAll(rest.subList(0, MAX_CANDIDATES - out.size()));
    out.sort(Comparator.comparingInt(Recorded::index));
    return out;
  }

  private Set<String> features(ObjectNode request, JsonNode result, String error) {
    Set<String> features = new TreeSet<>(Features.of(request));
    if (error != null) {
      features.add("refused");
    } else {
      features.addAll(answerFeatures(request, result));
    }
    return features;
  }

  /** "depends on <field>" for each convention that moves the answer; "clipping active". */
  private Set<String> answerFeatures(ObjectNode request, JsonNode result) {
    Set<String> out = new TreeSet<>();
    double[] y = Sensitivity.numbers(result);
    for (ConventionField f : ConventionField.all()) {
      for (Enum<?> option : f.options()) {
        if (option != f.get(defaults)
            && moved(y, sensitivity(f.with(defaults, option)).answer(request))) {
          out.add("depends on " + f.name());
        }
      }
    }
    JsonNode clipping = request.get("clipping");
    if (clipping != null && !clipping.get("kind").asText().equals("none")) {
      ObjectNode unclipped = request.deepCopy();
      unclipped.putObject("clipping").put("kind", "none");
      if (moved(y, sensitivity(defaults).answer(unclipped))) {
        out.add("clipping active");
      }
    }
    return out;
  }

  private static boolean moved(double[] y, double[] other) {
    if (other == null || other.length != y.length) {
      return true;
    }
    for (int i = 0; i < y.length; i++) {
      if (!(Math.abs(other[i] - y[i]) <= DEPENDS * Math.max(1, Math.abs(y[i])))
          && other[i] != y[i]) {
        return true;
      }
    }
    return false;
  }

  /**
   * Greedy cover: repeatedly the request adding the most features not yet covered (the smallest
   * among equals), up to {@code max}; then the first ones up to {@code min}.
   */
  static List<Recorded> choose(List<Recorded> all, int max, int min) {
    List<Recorded> chosen = new ArrayList<>();
    Set<String> covered = new TreeSet<>();
    List<Recorded> left = new ArrayList<>(all);
    while (chosen.size() < max && !left.isEmpty()) {
      Recorded best = left.stream().max(Comparator.comparingLong((Recorded r) ->
          r.features().stream().filter(f -> !covered.contains(f)).count())
          .thenComparing(Comparator.comparingInt(Recorded::size).reversed())
          .thenComparing(Comparator.comparingInt(Recorded::index).reversed())).get();
      if (covered.containsAll(best.features())) {
        break;
      }
      chosen.add(best);
      covered.addAll(best.features());
      left.remove(best);
    }
    for (Recorded r : all) {
      if (chosen.size() >= Math.min(min, all.size())) {
        break;
      }
      if (!chosen.contains(r)) {
        chosen.add(r);
      }
    }
    chosen.sort(Comparator.comparingInt(Recorded::index));
    return chosen;
  }

  /** The default-conventions case of a request, then one per other option it depends on. */
  private List<VectorCase> casesOf(Rule rule, Recorded r) {
    List<VectorCase> out = new ArrayList<>();
    VectorCase base = tagged(rule, r.request(), defaults, r.result(), r.error(), null);
    out.add(base);
    for (ConventionField f : ConventionField.all()) {
      if (!base.conventions().containsKey(f.name())) {
        continue;
      }
      for (Enum<?> option : f.options()) {
        if (option == f.get(defaults)) {
          continue;
        }
        Conventions c = f.with(defaults, option);
        JsonNode result = null;
        String error = null;
        try {
          result = Sensitivity.answerOf(new ReferenceImplementation(c), r.request(), r.request());
        } catch (IllegalArgumentException e) {
          error = e.getMessage();
        }
        if (result != null || r.error() != null) { // refusals only where a rule met them
          out.add(tagged(rule, r.request(), c, result, error, f));
        }
      }
    }
    return out;
  }

  /**
   * A case under conventions {@code c}, tagged with every field whose other options would move the
   * answer beyond the case's float64 tolerance (and with {@code always}, the field it varies).
   */
  private VectorCase tagged(Rule rule, ObjectNode request, Conventions c, JsonNode result,
      String error, ConventionField always) {
    Map<Dtype, Tolerance> tolerances = new EnumMap<>(Dtype.class);
    if (result != null) {
      sensitivity(c).tolerances(request, result).forEach((d, measured) ->
          tolerances.put(d, atLeastTwice(measured, rule.info().tolerances().of(d), d)));
    }
    double[] y = result == null ? null : Sensitivity.numbers(result);
    Map<String, String> tags = new TreeMap<>();
    for (ConventionField f : ConventionField.all()) {
      boolean depends = f.equals(always);
      for (Enum<?> option : f.options()) {
        if (depends) {
          break;
        }
        if (option != f.get(c)) {
          double[] other = sensitivity(f.with(c, option)).answer(request);
          depends = !agrees(y, other, tolerances.get(Dtype.FLOAT64));
        }
      }
      if (depends) {
        tags.put(f.name(), ConventionField.label(f.get(c)));
      }
    }
    return new VectorCase(rule.info().id(), tags, request, result, error, tolerances);
  }

  /**
   * The measured tolerance, but never below twice the rule's own up to {@link #floorCap}: the rule
   * bounds both the reference's and a correct implementation's distance from the exact value,
   * including errors the perturbations cannot reproduce (an implementation whose β_t and 1 − ᾱ_t
   * disagree in the last bits, as a naive 1 − ᾱ_t does, while the reference derives both from one
   * table). Such an error is at most u/β_1 relative, amplified tenfold: 1e-10 in float64 and 1.5e-2
   * in float32 for β_1 ≥ 4e-5; the cap keeps a rule whose tolerance is about something else than
   * its raw answers (a convergence ratio) from loosening its cases further.
   */
  static Tolerance atLeastTwice(Tolerance measured, Tolerance rule, Dtype d) {
    double cap = floorCap(d);
    return new Tolerance(Math.max(measured.abs(), Math.min(Sensitivity.up(2 * rule.abs()), cap)),
        Math.max(measured.rel(), Math.min(Sensitivity.up(2 * rule.rel()), cap)), VectorCase.WHY);
  }

  /** The largest floor the rule's tolerance may set (see {@link #atLeastTwice}). */
  static double floorCap(Dtype d) {
    return d == Dtype.FLOAT32 ? 2e-2 : 1e-9;
  }

  /** Whether {@code other} passes the case whose answer is {@code y} (null: a refusal). */
  private static boolean agrees(double[] y, double[] other, Tolerance tol) {
    if (y == null || other == null) {
      return y == null && other == null;
    }
    if (y.length != other.length) {
      return false;
    }
    for (int i = 0; i < y.length; i++) {
      if (!(tol.ratio(y[i], other[i]) <= 1)) {
        return false;
      }
    }
    return true;
  }

  private Sensitivity sensitivity(Conventions c) {
    return byConventions.computeIfAbsent(c, Sensitivity::new);
  }
}
