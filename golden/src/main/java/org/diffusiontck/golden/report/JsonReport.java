package org.diffusiontck.golden.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import org.diffusiontck.golden.check.Check;
import org.diffusiontck.golden.check.SampleDiff;
import org.diffusiontck.golden.record.RecordFiles;

/**
 * The JSON report: the verdict, every check with what it observed and allowed, every sample's
 * worst error and PSNR, the loss curves and the timings. Non-finite numbers are strings.
 */
public final class JsonReport {
  /** Changes only when the meaning of a field changes. */
  public static final int FORMAT_VERSION = 1;

  private JsonReport() {}

  public static void write(Verdict v, Writer w) throws IOException {
    ObjectNode root = RecordFiles.JSON.createObjectNode();
    root.put("format_version", FORMAT_VERSION);
    root.put("command", v.command());
    root.put("record", v.record());
    root.put("model", v.model());
    root.put("passed", v.passed());
    root.put("summary", v.summary());
    root.set("environment", RecordFiles.JSON.valueToTree(v.environment()));
    root.set("tolerance", RecordFiles.JSON.valueToTree(v.tolerance()));
    ArrayNode checks = root.putArray("checks");
    for (Check c : v.checks()) {
      ObjectNode n = checks.addObject();
      n.put("id", c.id());
      n.put("statement", c.statement());
      n.put("passed", c.passed());
      n.put("observed", c.observed());
      n.put("allowed", c.allowed());
      n.put("where", c.where());
    }
    ArrayNode samples = root.putArray("samples");
    for (SampleDiff d : v.diffs()) {
      ObjectNode n = samples.addObject();
      n.put("sampler", d.sampler());
      n.put("seed", d.seed());
      n.put("max_abs", d.maxAbs());
      n.put("psnr_db", d.psnr());
      n.put("worst_pixel", d.worstPixelText());
      n.put("passed", d.passed());
    }
    ObjectNode loss = root.putObject("loss");
    loss.set("recorded", RecordFiles.JSON.valueToTree(v.recordedLoss()));
    loss.set("observed", RecordFiles.JSON.valueToTree(v.loss()));
    ObjectNode timing = root.putObject("timing");
    timing.put("seconds", v.millis() / 1000.0);
    timing.put("model_seconds", v.modelMillis() / 1000.0);
    timing.put("model_calls", v.modelCalls());
    root.set("notes", RecordFiles.JSON.valueToTree(v.notes()));
    w.write(RecordFiles.JSON.writeValueAsString(root));
    w.write('\n');
  }
}
