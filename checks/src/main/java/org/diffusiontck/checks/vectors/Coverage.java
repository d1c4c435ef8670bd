package org.diffusiontck.checks.vectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.rules.Level;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.reference.sampling.Spacing;

/**
 * What the vectors cover, item by item (spec/VECTORS.md, "Coverage"): t = 1 and t = T, zero
 * terminal SNR, η strictly between 0 and 1, every spacing mode with N &lt; T, active clipping, and
 * every option of each convention that some recorded answer depends on. An item about an operation
 * no non-statistical rule sends yet is reported as not applicable.
 */
public final class Coverage {
  /** One checklist item: covered, missing, or not applicable (with why). */
  public record Item(String what, Boolean covered, String note) {
    @Override
    public String toString() {
      String mark = covered == null ? "-" : covered ? "yes" : "NO";
      return String.format("%-4s %s%s", mark, what, note.isEmpty() ? "" : " (" + note + ")");
    }
  }

  private Coverage() {}

  public static List<Item> of(List<VectorCase> cases, List<Rule> rules) {
    List<Item> out = new ArrayList<>();
    out.add(item("t = 1", cases, c -> has(c, "t=1"), null, rules));
    out.add(item("t = T", cases, c -> has(c, "t=T"), null, rules));
    out.add(item("zero terminal SNR", cases, c -> has(c, "schedule.zeroTerminalSnr=true"), null,
        rules));
    out.add(item("eta strictly between 0 and 1", cases, c -> has(c, "eta in (0,1)"),
        Operation.DDIM_STEP, rules));
    for (Spacing s : Spacing.values()) {
      String label = ConventionField.label(s);
      out.add(item("spacing " + label + " with N < T", cases,
          c -> has(c, "spacing=" + label) && has(c, "N<T"), Operation.TIMESTEPS, rules));
    }
    out.add(item("active clipping", cases, Coverage::clippingActive,
        Operation.DDPM_STEP, rules));
    for (ConventionField f : ConventionField.all()) {
      boolean observed = cases.stream().anyMatch(c -> c.conventions().containsKey(f.name()));
      for (Enum<?> option : f.options()) {
        String label = ConventionField.label(option);
        String what = "conventions." + f.name() + " = " + label;
        out.add(observed
            ? new Item(what, cases.stream().anyMatch(
                c -> label.equals(c.conventions().get(f.name()))), "")
            : new Item(what, null, "no recorded answer depends on it"));
      }
    }
    return out;
  }

  private static Item item(String what, List<VectorCase> cases, Predicate<VectorCase> test,
      Operation needs, List<Rule> rules) {
    if (needs != null && rules.stream().noneMatch(r -> r.info().level() != Level.STATISTICAL
        && r.operations().contains(needs))) {
      return new Item(what, null, "no rule sends " + needs.label() + " yet");
    }
    return new Item(what, cases.stream().anyMatch(test), "");
  }

  private static boolean has(VectorCase c, String feature) {
    Set<String> f = Features.of(c.request());
    return f.contains(feature);
  }

  private static boolean clippingActive(VectorCase c) {
    if (c.refusal() || !c.request().has("clipping")
        || c.request().get("clipping").get("kind").asText().equals("none")) {
      return false;
    }
    ObjectNode unclipped = c.request().deepCopy();
    unclipped.putObject("clipping").put("kind", "none");
    double[] clipped = Sensitivity.numbers(c.result());
    Conventions conventions = Conventions.defaults();
    for (ConventionField f : ConventionField.all()) {
      String tag = c.conventions().get(f.name());
      if (tag != null) {
        conventions = f.with(conventions, f.option(tag));
      }
    }
    double[] plain = new Sensitivity(conventions).answer(unclipped);
    return plain == null || !java.util.Arrays.equals(clipped, plain);
  }
}
