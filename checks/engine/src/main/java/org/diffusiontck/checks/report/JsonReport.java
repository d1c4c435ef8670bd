package org.diffusiontck.checks.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import org.diffusiontck.checks.rules.RuleResult;
import org.diffusiontck.checks.rules.Status;

/**
 * The JSON report: per rule the result, the worst absolute and relative error, where it occurred,
 * the tolerance with its argument, and the counterexample. Non-finite numbers are written as
 * strings ("Infinity") so that the file is strict JSON.
 */
public final class JsonReport {
  /** Changes only when the meaning of a field changes. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  public static void write(Run run, Writer w) throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("formatVersion", FORMAT_VERSION);
    root.put("implementation", run.implementation());
    root.put("dtype", run.dtype());
    root.put("seed", run.settings().seed());
    root.put("started", run.started().toString());
    root.put("seconds", run.millis() / 1000.0);
    root.put("passed", run.passed());
    ObjectNode counts = root.putObject("counts");
    for (Status s : Status.values()) {
      counts.put(s.name().toLowerCase(java.util.Locale.ROOT), run.count(s));
    }
    ObjectNode overrides = root.putObject("toleranceOverrides");
    run.settings().overrides().forEach((id, o) -> {
      ObjectNode n = overrides.putObject(id);
      n.put("value", o.value());
      n.put("reason", o.reason());
    });
    ArrayNode rules = root.putArray("rules");
    for (RuleResult r : run.results()) {
      ObjectNode n = rules.addObject();
      n.put("id", r.info().id());
      n.put("level", r.info().level().name().toLowerCase(java.util.Locale.ROOT));
      n.put("statement", r.info().statement());
      n.put("result", r.status().name().toLowerCase(java.util.Locale.ROOT));
      n.put("message", r.message());
      number(n, "worstAbsoluteError", r.worstAbs());
      number(n, "worstRelativeError", r.worstRel());
      number(n, "worstFractionOfTolerance", r.worstRatio());
      n.put("where", r.where());
      if (r.tolerance() != null) {
        ObjectNode t = n.putObject("tolerance");
        number(t, "absolute", r.tolerance().abs());
        number(t, "relative", r.tolerance().rel());
        t.put("why", r.tolerance().why());
      }
      n.put("counterexample", r.counterexample());
      n.put("cases", r.cases());
      n.put("milliseconds", r.millis());
    }
    MAPPER.writeValue(w, root);
  }

  private static void number(ObjectNode n, String field, double v) {
    if (Double.isFinite(v)) {
      n.put(field, v);
    } else {
      n.put(field, Double.toString(v));
    }
  }
}
