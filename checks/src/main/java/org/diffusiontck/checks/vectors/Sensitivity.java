package org.diffusiontck.checks.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.Dtype;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.reference.ReferenceImplementation;
import org.diffusiontck.checks.reference.ReferenceSchedules;
import org.diffusiontck.checks.rules.DecoderBins;
import org.diffusiontck.checks.rules.Tolerance;
import org.diffusiontck.checks.wire.Wire;

/**
 * A case's tolerance per dtype, from the reference's sensitivity to rounding (spec/VECTORS.md,
 * "Tolerances"). A correct implementation computing in unit roundoff u returns, to first order,
 * the exact answer for inputs and schedule quantities perturbed by a few u (backward error). The
 * kit perturbs them that way and measures how far the reference's answer moves:
 *
 * <ul>
 *   <li>each input tensor (a loop's every step's noise together) and η, relative {@value
 *       #INPUT_ROUNDINGS} u, with all signs +1 and with random signs;
 *   <li>ᾱ_t, relative 2t(1 + |ln ᾱ_t|) u with one sign for all t (the drift of an accumulated
 *       product or log-sum) and relative 2u with a random sign per t (each step's own rounding);
 *       the perturbed ᾱ is handed to the reference as an explicit list of β's.
 * </ul>
 *
 * Per number, the allowance is {@value #FACTOR} × (the summed worst movements at this dtype's u +
 * the same at float64's, for the reference's own rounding) + (4 + n) roundings of the answer, n the
 * number of terms of a per-sample sum. It is then fitted as abs + rel·|expected| (both rounded up to
 * two significant digits), the form the case files carry.
 */
final class Sensitivity {
  static final double FACTOR = 2;
  static final int INPUT_ROUNDINGS = 8;
  private static final int OUTPUT_ROUNDINGS = 4;
  private static final int DRAWS = 3;

  private final DiffusionImplementation reference;
  private final Conventions conventions;

  Sensitivity(Conventions conventions) {
    this.reference = new ReferenceImplementation(conventions);
    this.conventions = conventions;
  }

  /** The unit roundoff of a dtype. */
  static double unitRoundoff(Dtype d) {
    return d == Dtype.FLOAT32 ? 0x1.0p-24 : 0x1.0p-53;
  }

  /** The tolerance per dtype of {@code request}, whose reference answer is {@code answer}. */
  Map<Dtype, Tolerance> tolerances(ObjectNode request, JsonNode answer) {
    double[] y = numbers(answer);
    double[] s64 = movement(request, y, unitRoundoff(Dtype.FLOAT64));
    int terms = answer.isArray() ? coordinatesPerSample(request) : 0;
    Map<Dtype, Tolerance> out = new EnumMap<>(Dtype.class);
    for (Dtype d : Dtype.values()) {
      double u = unitRoundoff(d);
      double[] sd = d == Dtype.FLOAT64 ? s64 : movement(request, y, u);
      double[] allowed = new double[y.length];
      double[] rule = ruleAllowance(request, d);
      for (int i = 0; i < y.length; i++) {
        allowed[i] = FACTOR * (sd[i] + s64[i])
            + (OUTPUT_ROUNDINGS + terms) * (u + unitRoundoff(Dtype.FLOAT64)) * Math.abs(y[i]);
        if (rule != null) {
          allowed[i] = Math.max(allowed[i], FACTOR * rule[i]);
        }
      }
      out.put(d, fit(y, allowed));
    }
    return out;
  }

  /**
   * Where the rule that checks an operation argues a rounding its implementations may make that
   * perturbing the inputs does not show (the reference computing without it), that allowance per
   * number of the answer; null elsewhere. A decoder_nll answer: ELBO-1's allowance on each bin
   * ({@link DecoderBins#onNll}, a difference of two CDF values near 1 computed literally), summed
   * over the coordinates of a batch element.
   */
  private double[] ruleAllowance(ObjectNode request, Dtype d) {
    if (!request.get("op").asText().equals("decoder_nll")) {
      return null;
    }
    Requests.DecoderNll r = (Requests.DecoderNll) Wire.readRequest(request);
    double[] x0 = r.x0().data();
    long[] each = {x0.length, 1};
    double[] nll = new Requests.DecoderNll(new Tensor(each, x0),
        new Tensor(each, r.mean().data()), new Tensor(each, r.logVariance().data()))
        .applyTo(reference);
    int per = r.x0().perSample();
    double[] out = new double[x0.length / per];
    for (int i = 0; i < x0.length; i++) {
      out[i / per] += DecoderBins.onNll(DecoderBins.TOLERANCES.of(d), r.mean().data()[i],
          r.logVariance().data()[i], nll[i]);
    }
    return out;
  }

  /** The worst movement of each number of the answer, summed over the perturbed groups. */
  private double[] movement(ObjectNode request, double[] y, double u) {
    double[] total = new double[y.length];
    SplittableRandom random = new SplittableRandom(request.toString().hashCode());
    for (List<ObjectNode> group : groups(request, u, random)) {
      double[] worst = new double[y.length];
      for (ObjectNode perturbed : group) {
        double[] moved = answer(perturbed, request);
        if (moved == null || moved.length != y.length) {
          continue; // refused or reshaped under perturbation: that draw says nothing
        }
        for (int i = 0; i < y.length; i++) {
          double d = Math.abs(moved[i] - y[i]);
          if (Double.isFinite(d)) {
            worst[i] = Math.max(worst[i], d);
          }
        }
      }
      for (int i = 0; i < y.length; i++) {
        total[i] += worst[i];
      }
    }
    return total;
  }

  /** The perturbed requests, one list per independent group of inputs. */
  private List<List<ObjectNode>> groups(ObjectNode request, double u, SplittableRandom random) {
    List<List<ObjectNode>> groups = new ArrayList<>();
    double rel = INPUT_ROUNDINGS * u;
    for (Iterator<String> it = request.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      JsonNode value = request.get(field);
      boolean tensors = value.isArray() && value.size() > 0 && value.get(0).has("data");
      if (value.isObject() && value.has("data") || tensors) {
        List<ObjectNode> draws = new ArrayList<>();
        for (int k = 0; k < DRAWS; k++) {
          ObjectNode p = request.deepCopy();
          for (JsonNode tensor : tensors ? p.get(field) : List.of(p.get(field))) {
            ArrayNode data = (ArrayNode) tensor.get("data");
            for (int i = 0; i < data.size(); i++) {
              double sign = k == 0 ? 1 : random.nextBoolean() ? 1 : -1;
              data.set(i, data.get(i).asDouble() * (1 + sign * rel));
            }
          }
          draws.add(p);
        }
        groups.add(draws);
      } else if (field.equals("eta")) {
        List<ObjectNode> draws = new ArrayList<>();
        for (double sign : new double[] {1, -1}) {
          double eta = value.asDouble() * (1 + sign * rel);
          if (eta <= 1) {
            ObjectNode p = request.deepCopy();
            p.put("eta", eta);
            draws.add(p);
          }
        }
        groups.add(draws);
      }
    }
    if (request.has("schedule")) {
      groups.add(scheduleDraws(request, u, random));
    }
    return groups;
  }

  /** The request on ᾱ perturbed as the class comment says, as explicit β's. */
  private List<ObjectNode> scheduleDraws(ObjectNode request, double u, SplittableRandom random) {
    ScheduleSpec spec = Wire.bind(request.get("schedule"),
        Wire.mapper().constructType(ScheduleSpec.class), "the schedule");
    double[] alphaBar = ReferenceSchedules.of(spec, conventions.linearEndpoints()).alphaBars();
    int T = alphaBar.length - 1;
    List<ObjectNode> draws = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      double[] a = alphaBar.clone();
      for (int t = 1; t <= T; t++) {
        double rel = k < 2
            ? (k == 0 ? 1 : -1) * 2.0 * t * (1 + Math.abs(Math.log(alphaBar[t]))) * u
            : (random.nextBoolean() ? 2 : -2) * u;
        a[t] = alphaBar[t] == 0 ? 0 : alphaBar[t] * (1 + rel);
      }
      double[] betas = new double[T];
      boolean valid = true;
      for (int t = 1; t <= T; t++) {
        betas[t - 1] = 1 - a[t] / a[t - 1];
        valid &= betas[t - 1] > 0 && betas[t - 1] <= 1;
      }
      if (valid) {
        ObjectNode p = request.deepCopy();
        p.set("schedule", Wire.tree(ScheduleSpec.betas(betas)));
        draws.add(p);
      }
    }
    return draws;
  }

  /** The reference's answer to {@code request} as numbers, or null if it refuses. */
  double[] answer(ObjectNode request) {
    return answer(request, request);
  }

  /**
   * The reference's answer to {@code request} as numbers, or null if it refuses; a loop's model
   * reads ᾱ from {@code original}'s schedule (the kit's model is not perturbed with the loop).
   */
  private double[] answer(ObjectNode request, ObjectNode original) {
    try {
      return numbers(answerOf(reference, request, original));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * {@code impl}'s answer to a recorded request as a tree: a step's result, or a loop's {@code
   * {"sample", "calls"}} with its model on {@code original}'s schedule.
   */
  static JsonNode answerOf(DiffusionImplementation impl, ObjectNode request, ObjectNode original) {
    return LoopReplay.isLoop(request)
        ? LoopReplay.answer(impl, request, LoopReplay.read(original).schedule())
        : Wire.tree(Wire.readRequest(request).applyTo(impl));
  }

  /** The numbers of an answer in document order, leaving out tensor shapes. */
  static double[] numbers(JsonNode answer) {
    List<Double> out = new ArrayList<>();
    collect(answer, out);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void collect(JsonNode node, List<Double> out) {
    if (node.isNumber()) {
      out.add(node.asDouble());
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, out));
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getKey().equals("shape")) {
          collect(e.getValue(), out);
        }
      }
    }
  }

  /** Coordinates per batch element of the request's first tensor (the terms of a sum). */
  private static int coordinatesPerSample(ObjectNode request) {
    for (JsonNode v : request) {
      if (v.isObject() && v.has("data")) {
        return v.get("data").size() / Math.max(1, v.get("shape").get(0).asInt());
      }
    }
    return 0;
  }

  /**
   * The (abs, rel) with abs + rel·|y_i| ≥ allowed_i for every finite y_i that is loosest the least:
   * it minimizes the sum over i of (abs + rel·|y_i|) / allowed_i, among rel = 0 and 32 quantiles
   * of allowed_i/|y_i|, so that neither the largest nor the smallest numbers of an answer set the
   * allowance of all the others.
   */
  static Tolerance fit(double[] y, double[] allowed) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < y.length; i++) {
      if (Double.isFinite(y[i]) && Double.isFinite(allowed[i]) && y[i] != 0) {
        ratios.add(allowed[i] / Math.abs(y[i]));
      }
    }
    double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double[] candidates = new double[Math.min(sorted.length, 32) + 1];
    for (int k = 1; k < candidates.length; k++) {
      candidates[k] = sorted[(int) ((long) (sorted.length - 1) * k / (candidates.length - 1))];
    }
    double bestAbs = 0;
    double bestRel = 0;
    double bestCost = Double.POSITIVE_INFINITY;
    for (double rel : candidates) {
      double abs = 0;
      for (int i = 0; i < y.length; i++) {
        if (Double.isFinite(y[i]) && Double.isFinite(allowed[i])) {
          abs = Math.max(abs, allowed[i] - rel * Math.abs(y[i]));
        }
      }
      double cost = 0;
      for (int i = 0; i < y.length; i++) {
        if (Double.isFinite(y[i]) && allowed[i] > 0 && Double.isFinite(allowed[i])) {
          cost += (abs + rel * Math.abs(y[i])) / allowed[i];
        }
      }
      if (cost < bestCost) {
        bestCost = cost;
        bestAbs = abs;
        bestRel = rel;
      }
    }
    return new Tolerance(up(bestAbs), up(bestRel), VectorCase.WHY);
  }

  /** {@code v} rounded up to two significant digits (0 stays 0). */
  static double up(double v) {
    if (v <= 0) {
      return 0;
    }
    // the nearest double to a decimal at or above v is itself at or above v
    return new BigDecimal(v).round(new MathContext(2, RoundingMode.UP)).doubleValue();
  }
}
