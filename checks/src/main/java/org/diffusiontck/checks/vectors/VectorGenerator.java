package org.diffusiontck.checks.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.Dtype;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.LoopRequest;
import org.diffusiontck.checks.impl.Model;
import org.diffusiontck.checks.impl.Rejected;
import org.diffusiontck.checks.impl.Request;
import org.diffusiontck.checks.impl.Spacing;
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
 * preferring small ones. A loop rule, whose requests depend on the declaration, is run once per
 * spacing and per option of each convention its answers depend on ({@link #recordLoopRule}). Each
 * chosen request becomes a case under the conventions it was recorded under, and one more case for
 * every other combination of the options of the conventions its answer depends on, answered by the
 * reference under them. Each case is tagged with exactly the conventions whose change would move
 * its answer beyond its float64 tolerance (and with those its combinations vary).
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
      Set<String> features, int size, Conventions conventions) {}

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
    for (Rule rule : rules) {
      if (rule.info().level() == Level.STATISTICAL) {
        continue;
      }
      List<Recorded> candidates = new ArrayList<>();
      if (rule.operations().stream().anyMatch(Operation::loop)) {
        candidates.addAll(recordLoopRule(rule));
      } else {
        ReferenceImplementation reference = new ReferenceImplementation(defaults);
        candidates.addAll(recordRun(rule, defaults, reference.declaration(), ""));
      }
      if (!candidates.isEmpty()) {
        out.put(rule, candidates);
      }
    }
    return out;
  }

  /**
   * A loop rule's candidates. The requests a loop rule sends depend on the declaration (the
   * spacings it draws from; LEADING for a chain under FIXED_STRIDE; an inversion from s = 0 where
   * the inversion time allows it), so it runs against the reference declaring one spacing at a
   * time, at the default conventions and then at every other option of each convention some
   * answer depended on; each request is kept with the conventions it was recorded under.
   */
  private List<Recorded> recordLoopRule(Rule rule) {
    List<Recorded> out = new ArrayList<>();
    List<Conventions> runs = new ArrayList<>(List.of(defaults));
    for (int k = 0; k < runs.size(); k++) {
      Conventions c = runs.get(k);
      Declaration all = new ReferenceImplementation(c).declaration();
      for (Spacing spacing : all.spacings().stream().sorted().toList()) {
        Declaration one = new Declaration(all.name(), all.dtype(), all.operations(),
            all.schedules(), all.zeroTerminalSnr(), all.predictions(), all.varianceChoices(),
            Set.of(spacing), all.clippings(), c, all.protocol(), all.minSteps(),
            all.forwardSampleFrom(), all.clippingsPerOperation(), all.conversions());
        String run = "recorded under spacing " + ConventionField.label(spacing)
            + (k == 0 ? "" : ", " + differences(c));
        for (Recorded r : recordRun(rule, c, one, run)) {
          // a representative of every loop at every spacing, and of every run's conventions
          Set<String> features = new TreeSet<>(r.features());
          features.add(r.request().get("op").asText() + " at spacing "
              + ConventionField.label(spacing));
          if (k > 0) {
            features.add("recorded under " + differences(c));
          }
          out.add(new Recorded(out.size(), r.request(), r.result(), r.error(), features,
              r.size(), c));
        }
      }
      if (k == 0) {
        for (ConventionField f : ConventionField.all()) {
          if (out.stream().anyMatch(r -> r.features().contains("depends on " + f.name()))) {
            for (Enum<?> option : f.options()) {
              if (option != f.get(defaults)) {
                runs.add(f.with(defaults, option));
              }
            }
          }
        }
      }
    }
    // the same request recorded under several conventions: the first is kept (its cases cover
    // the other options anyway, see casesOf)
    Map<String, Recorded> distinct = new LinkedHashMap<>();
    out.forEach(r -> distinct.putIfAbsent(r.request().toString(), r));
    return candidates(new ArrayList<>(distinct.values()), rule.info().id());
  }

  /** The fields on which {@code c} differs from the defaults, as "field = option". */
  private String differences(Conventions c) {
    List<String> out = new ArrayList<>();
    for (ConventionField f : ConventionField.all()) {
      if (f.get(c) != f.get(defaults)) {
        out.add(f.name() + " = " + ConventionField.label(f.get(c)));
      }
    }
    return String.join(", ", out);
  }

  /**
   * Runs {@code rule} against the reference under conventions {@code c} declaring {@code d}, and
   * returns the candidate requests it sent, distinct, with their features; {@code run} names a
   * loop rule's run (empty for the one run of a step rule).
   */
  private List<Recorded> recordRun(Rule rule, Conventions c, Declaration d, String run) {
    DiffusionImplementation reference = new ReferenceImplementation(c);
    RuleRunner runner = new RuleRunner(RunSettings.defaults());
    boolean helperSchedules = rule.operations().stream().anyMatch(o -> o != Operation.SCHEDULE);
    boolean loopRule = rule.operations().stream().anyMatch(Operation::loop);
    Map<String, Recorded> requests = new LinkedHashMap<>();
    List<Recorded> candidates = new ArrayList<>();
    DiffusionImplementation recorder = Intercept.of(reference, d,
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
    if (result.status() == Status.SKIP && !run.isEmpty()) {
      return List.of(); // a declaration the rule does not run on (a chain's spacing)
    }
    if (result.status() != Status.PASS) {
      throw new IllegalStateException("rule " + rule.info().id() + " does not pass against the "
          + "reference" + (run.isEmpty() ? "" : " " + run) + " (" + result.status() + ": "
          + result.message() + "); no vectors written");
    }
    for (Recorded r : candidates(new ArrayList<>(requests.values()), rule.info().id())) {
      candidates.add(new Recorded(r.index(), r.request(), r.result(), r.error(),
          features(c, r.request(), r.result(), r.error()), r.size(), c));
    }
    return candidates;
  }

  private void keep(Map<String, Recorded> requests, ObjectNode request, JsonNode result,
      String error) {
    String key = request.toString();
    int size = key.length() + (result == null ? 0 : result.toString().length());
    if (size > MAX_CHARS || requests.containsKey(key)) {
      return;
    }
    requests.put(key, new Recorded(requests.size(), request, result, error,
        Features.of(request), size, defaults));
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

  private Set<String> features(Conventions c, ObjectNode request, JsonNode result,
      String error) {
    Set<String> features = new TreeSet<>(Features.of(request));
    if (error != null) {
      features.add("refused");
    } else {
      features.addAll(answerFeatures(c, request, result));
    }
    return features;
  }

  /** "depends on <field>" for each convention that moves the answer; "clipping active". */
  private Set<String> answerFeatures(Conventions c, ObjectNode request, JsonNode result) {
    Set<String> out = new TreeSet<>();
    double[] y = Sensitivity.numbers(result);
    for (ConventionField f : ConventionField.all()) {
      for (Enum<?> option : f.options()) {
        if (option != f.get(c) && moved(y, sensitivity(f.with(c, option)).answer(request))) {
          out.add("depends on " + f.name());
        }
      }
    }
    JsonNode clipping = request.get("clipping");
    if (clipping != null && !clipping.get("kind").asText().equals("none")) {
      ObjectNode unclipped = request.deepCopy();
      unclipped.putObject("clipping").put("kind", "none");
      if (moved(y, sensitivity(c).answer(unclipped))) {
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

  /**
   * The case of a request under the conventions it was recorded under, then one for every other
   * combination of the options of the conventions its answer depends on.
   */
  private List<VectorCase> casesOf(Rule rule, Recorded r) {
    List<VectorCase> out = new ArrayList<>();
    VectorCase base = tagged(rule, r.request(), r.conventions(), r.result(), r.error(), Set.of());
    out.add(base);
    Set<ConventionField> fields = new LinkedHashSet<>();
    ConventionField.all().stream().filter(f -> base.conventions().containsKey(f.name()))
        .forEach(fields::add);
    for (Conventions c : combinations(r.conventions(), new ArrayList<>(fields))) {
      if (c.equals(r.conventions())) {
        continue;
      }
      JsonNode result = null;
      String error = null;
      try {
        result = Sensitivity.answerOf(new ReferenceImplementation(c), r.request(), r.request());
      } catch (IllegalArgumentException e) {
        error = e.getMessage();
      }
      if (result != null || r.error() != null) { // refusals only where a rule met them
        out.add(tagged(rule, r.request(), c, result, error, fields));
      }
    }
    return out;
  }

  /** {@code c} with {@code fields} set to every combination of their options. */
  private static List<Conventions> combinations(Conventions c, List<ConventionField> fields) {
    List<Conventions> out = new ArrayList<>(List.of(c));
    for (ConventionField f : fields) {
      List<Conventions> next = new ArrayList<>();
      for (Conventions partial : out) {
        for (Enum<?> option : f.options()) {
          next.add(f.with(partial, option));
        }
      }
      out = next;
    }
    return out;
  }

  /**
   * A case under conventions {@code c}, tagged with every field whose other options would move the
   * answer beyond the case's float64 tolerance (and with {@code always}, the fields it varies).
   */
  private VectorCase tagged(Rule rule, ObjectNode request, Conventions c, JsonNode result,
      String error, Set<ConventionField> always) {
    Map<Dtype, Tolerance> tolerances = new EnumMap<>(Dtype.class);
    if (result != null) {
      sensitivity(c).tolerances(request, result).forEach((d, measured) ->
          tolerances.put(d, atLeastTwice(measured, rule.info().tolerances().of(d), d)));
    }
    double[] y = result == null ? null : Sensitivity.numbers(result);
    Map<String, String> tags = new TreeMap<>();
    for (ConventionField f : ConventionField.all()) {
      boolean depends = always.contains(f);
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
