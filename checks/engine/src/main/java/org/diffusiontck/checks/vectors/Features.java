package org.diffusiontck.checks.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a request exercises, as short labels ("op=ddim_step", "prediction=v", "t=1", "t=T",
 * "eta in (0,1)", "spacing=trailing", "N<T", "schedule.zeroTerminalSnr=true"…): the vectors keep,
 * for each rule, cases that together cover every label its requests showed, and report coverage.
 * Labels are read from the request's fields, so new request fields are covered without changes.
 */
final class Features {
  private Features() {}

  static Set<String> of(JsonNode request) {
    Set<String> single = new TreeSet<>();
    int T = steps(request);
    walk(request, "", T, single);
    JsonNode count = request.get("count");
    if (count != null && count.isInt() && T > 0) {
      single.add(count.asInt() < T ? "N<T" : "N=T");
      if (request.path("spacing").asText().equals("trailing")
          && arangeLength(T, count.asInt()) > count.asInt()) {
        single.add("trailing arange holds N+1");
      }
    }
    JsonNode t = request.get("t");
    JsonNode s = request.get("s");
    if (t != null && s != null && t.isInt() && s.isInt() && s.asInt() >= 1
        && s.asInt() < t.asInt() - 1) {
      single.add("s<t-1");
    }
    JsonNode noise = request.get("noise");
    if (noise != null && noise.has("data")) {
      for (JsonNode v : noise.get("data")) {
        if (v.asDouble() != 0) {
          single.add("noise≠0");
          break;
        }
      }
    }
    // each choice at each edge: e.g. "choice=fixed_large & t=1", where conventions bite
    Set<String> out = new TreeSet<>(single);
    for (String choice : single) {
      if (choice.contains("=") && !EDGES.contains(choice) && !choice.startsWith("op=")) {
        for (String edge : single) {
          if (EDGES.contains(edge)) {
            out.add(choice + " & " + edge);
          }
        }
      }
    }
    return out;
  }

  /** The edge features that are paired with each choice. */
  private static final Set<String> EDGES = Set.of("t=0", "t=1", "t=T", "s=0", "s=1", "s=T",
      "s<t-1", "noise≠0", "N<T", "T=1", "T=2..3");

  /**
   * The length of numpy's {@code arange(T, 0, -T/N)}, ⌈(0 − T)/(−T/N)⌉ in double: N + 1 for some
   * (T, N) (T = 1000, N = 61), where diffusers' "trailing" returns one timestep too many.
   */
  static int arangeLength(int T, int N) {
    return (int) Math.ceil((0 - T) / -((double) T / N));
  }

  /** T of the request: its schedule's steps, or the steps of a timestep selection; 0 if none. */
  private static int steps(JsonNode request) {
    JsonNode schedule = request.get("schedule");
    if (schedule != null && schedule.has("steps")) {
      return schedule.get("steps").asInt();
    }
    JsonNode steps = request.get("steps");
    return steps != null && steps.isInt() ? steps.asInt() : 0;
  }

  private static void walk(JsonNode node, String path, int T, Set<String> out) {
    if (node.isObject()) {
      if (node.has("data") && node.has("shape")) {
        return; // a tensor: its values are not features
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        walk(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), T, out);
      }
    } else if (node.isTextual() || node.isBoolean()) {
      out.add(path + "=" + node.asText());
    } else if (path.equals("t") || path.equals("s")) {
      if (node.isArray()) {
        node.forEach(v -> timestep(path, v.asInt(), T, out));
      } else {
        timestep(path, node.asInt(), T, out);
      }
    } else if (path.equals("eta")) {
      double eta = node.asDouble();
      out.add(eta == 0 ? "eta=0" : eta == 1 ? "eta=1" : "eta in (0,1)");
    } else if (path.equals("schedule.steps") || path.equals("steps")) {
      out.add(T == 1 ? "T=1" : T <= 3 ? "T=2..3" : "T>3");
    } else if (path.equals("leadingOffset")) {
      out.add(node.asInt() > 0 ? "leadingOffset>0" : "leadingOffset=0");
    }
  }

  private static void timestep(String name, int v, int T, Set<String> out) {
    if (v == 0 || v == 1) {
      out.add(name + "=" + v);
    }
    if (v == T) {
      out.add(name + "=T");
    }
  }
}
