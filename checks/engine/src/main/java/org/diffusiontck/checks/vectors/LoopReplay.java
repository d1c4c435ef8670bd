package org.diffusiontck.checks.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.LoopRequest;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.rules.Ask;
import org.diffusiontck.checks.rules.GaussianOracle;
import org.diffusiontck.checks.rules.HighPrecision;
import org.diffusiontck.checks.rules.ModelCalls;
import org.diffusiontck.checks.wire.Wire;

/**
 * A recorded loop case (spec/VECTORS.md §7): the loop request of {@code spec/PROTOCOL.md} §9 with
 * one more key, {@code model}, naming the exact oracle the kit serves the loop's callbacks from
 * (never sent to the implementation): {@code {"oracle": "gaussian", "mu": […], "s": […]}}, data
 * N(μ_i, s_i²) at coordinate i mod |μ| of each sample. Its answer is {@code {"sample": x, "calls":
 * [t, …]}}: the loop's final sample and the timesteps of its model calls, in order.
 */
public final class LoopReplay {
  private LoopReplay() {}

  /** Whether a recorded request is a loop operation's. */
  public static boolean isLoop(JsonNode request) {
    return Wire.operation(request.get("op").asText()).loop();
  }

  /** The {@code model} key of a loop case serving {@code oracle}. */
  public static ObjectNode model(GaussianOracle oracle) {
    ObjectNode n = Wire.mapper().createObjectNode();
    n.put("oracle", "gaussian");
    n.set("mu", Wire.tree(oracle.mu()));
    n.set("s", Wire.tree(oracle.sd()));
    return n;
  }

  /** The recorded request of {@code request} served by {@code oracle}, without an id. */
  public static ObjectNode recorded(LoopRequest request, GaussianOracle oracle) {
    ObjectNode node = (ObjectNode) Wire.parse(Wire.request(0, request));
    node.remove("id");
    node.set("model", model(oracle));
    return node;
  }

  /** The loop request a recorded case holds (its {@code model} key aside). */
  public static LoopRequest read(JsonNode recorded) {
    ObjectNode request = ((ObjectNode) recorded).deepCopy();
    request.remove("model");
    return Wire.readLoopRequest(request);
  }

  /**
   * {@code impl}'s answer to a recorded loop case: its loop run with every callback answered by
   * the case's oracle, the oracle's ᾱ_t read from {@code impl}'s own table for {@code
   * modelSchedule} (the ᾱ its loop uses), as {@code {"sample": …, "calls": […]}}.
   *
   * @throws IllegalArgumentException if {@code impl} refuses the loop
   */
  public static JsonNode answer(DiffusionImplementation impl, ObjectNode request,
      ScheduleSpec modelSchedule) {
    LoopRequest r = read(request);
    ModelCalls model = serve(impl, r, request.get("model"), modelSchedule);
    Tensor sample;
    try {
      sample = Ask.vetted(r.operation().label(), r.x().shape(), r.applyTo(impl, model));
    } catch (RuntimeException e) {
      List<ModelCalls.Call> calls = model.calls();
      if (calls.isEmpty() || calls.get(calls.size() - 1).output() != null) {
        throw e;
      }
      return answer(null, calls); // a call outside 1..T, refused: the calls show where
    }
    return answer(sample, model.calls());
  }

  /**
   * {@code {"sample": …, "calls": […]}}; {@code "sample": null} for a loop that a refused model
   * call ended.
   */
  static JsonNode answer(Tensor sample, List<ModelCalls.Call> calls) {
    ObjectNode out = Wire.mapper().createObjectNode();
    out.set("sample", sample == null ? out.nullNode() : Wire.tree(sample));
    out.set("calls", Wire.tree(calls.stream().mapToInt(ModelCalls.Call::t).toArray()));
    return out;
  }

  /**
   * The recording model the case names: the oracle's output for the request's prediction at each
   * coordinate, on {@code impl}'s ᾱ for {@code schedule}.
   */
  static ModelCalls serve(DiffusionImplementation impl, LoopRequest r, JsonNode model,
      ScheduleSpec schedule) {
    if (model == null || !"gaussian".equals(model.path("oracle").asText())) {
      throw new IllegalStateException("a loop case names no oracle the kit knows: " + model);
    }
    GaussianOracle oracle = new GaussianOracle(doubles(model.get("mu")), doubles(model.get("s")));
    HighPrecision hp = new HighPrecision(Ask.schedule(impl, schedule).beta());
    return new ModelCalls(schedule.steps(), (x, t) -> {
      double[] out = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        out[i] = oracle.output(r.prediction(), i % oracle.size(), x[i], hp.alphaBar(t),
            hp.oneMinusAlphaBar(t));
      }
      return r.x().withData(out);
    }, oracle);
  }

  private static double[] doubles(JsonNode a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asDouble();
    }
    return out;
  }
}
