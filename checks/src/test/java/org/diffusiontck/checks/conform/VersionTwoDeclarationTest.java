package org.diffusiontck.checks.conform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.diffusiontck.checks.impl.Clipping;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.ForwardSampleFrom;
import org.diffusiontck.checks.impl.Quantity;
import org.diffusiontck.checks.impl.Rejected;
import org.diffusiontck.checks.impl.Request;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.reference.ReferenceImplementation;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleResult;
import org.diffusiontck.checks.rules.RuleRunner;
import org.diffusiontck.checks.rules.RunSettings;
import org.diffusiontck.checks.rules.Status;
import org.diffusiontck.checks.vectors.Intercept;
import org.diffusiontck.reference.Tensors;
import org.junit.jupiter.api.Test;

/**
 * The version-2 limits of a declaration (spec/PROTOCOL.md, section 2.1) are honoured by every
 * rule and every recorded vector: the reference, declaring them and refusing anything outside
 * them, passes every rule that can run within them, and the rules that cannot are skipped with
 * the reason.
 */
class VersionTwoDeclarationTest {
  private static final Pattern SELECTED =
      Pattern.compile("(SCHED-[167]|FWD-[1345]|POST-[12]|CONV-[123]|DDIM-3|DDPM-5|ELBO-3)"
          + "(/vectors)?");

  @Test
  void rulesStayWithinTheDeclaredLimits() throws IOException {
    Tensors.useDoubles();
    DiffusionImplementation reference = new ReferenceImplementation();
    Declaration v1 = reference.declaration();
    Declaration limited = new Declaration(v1.name(), v1.dtype(), v1.operations(), v1.schedules(),
        v1.zeroTerminalSnr(), v1.predictions(), v1.varianceChoices(), v1.spacings(),
        v1.clippings(), v1.conventions(), 2, 2, ForwardSampleFrom.DATA,
        Map.of("ddim_step", Set.of(Clipping.Kind.NONE, Clipping.Kind.CLIP)),
        List.of(List.of(Quantity.EPSILON, Quantity.X0), List.of(Quantity.X0, Quantity.EPSILON)));
    List<String> outside = new ArrayList<>();
    DiffusionImplementation impl = Intercept.of(reference, limited, (request, proceed) -> {
      String why = outside(request);
      if (why != null) {
        outside.add(why);
        throw new Rejected("outside the declaration: " + why);
      }
      return proceed.get();
    });
    List<Rule> rules = Conformance.catalogueWithVectors(KitPaths.vectors()).stream()
        .filter(r -> SELECTED.matcher(r.info().id()).matches()).toList();
    RuleRunner runner = new RuleRunner(RunSettings.defaults());
    List<String> ran = new ArrayList<>();
    for (Rule r : rules) {
      RuleResult result = runner.runOne(impl, r);
      String id = r.info().id();
      assertThat(result.status()).as(id + ": " + result.message())
          .isIn(Status.PASS, Status.SKIP);
      if (id.matches("FWD-[345]|POST-2|ELBO-3")) {
        assertThat(result.status()).as(id).isEqualTo(Status.SKIP);
        assertThat(result.message()).as(id).contains("forwardSampleFrom: data");
      } else if (result.status() == Status.PASS) {
        ran.add(id);
      }
    }
    assertThat(outside).as("requests outside the declared limits").isEmpty();
    // the limited capabilities are still checked, not skipped
    assertThat(ran).contains("SCHED-1", "SCHED-6", "FWD-1", "CONV-1", "CONV-2", "DDIM-3",
        "DDPM-5", "SCHED-1/vectors", "CONV-2/vectors", "DDIM-3/vectors");
  }

  /** Why a request lies outside the limits declared above, or null. */
  private static String outside(Request<?> request) {
    for (RecordComponent rc : request.getClass().getRecordComponents()) {
      if (rc.getType() == ScheduleSpec.class) {
        try {
          ScheduleSpec s = (ScheduleSpec) rc.getAccessor().invoke(request);
          if (s.steps() < 2) {
            return "T = " + s.steps() + " in " + request.getClass().getSimpleName();
          }
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    if (request instanceof Requests.ForwardSample f) {
      for (int s : f.s()) {
        if (s > 0) {
          return "forward_sample from s = " + s;
        }
      }
    }
    if (request instanceof Requests.DdimStep d
        && d.clipping().kind() == Clipping.Kind.DYNAMIC) {
      return "ddim_step with dynamic thresholding";
    }
    if (request instanceof Requests.Convert c
        && !(c.from() == Quantity.EPSILON && c.to() == Quantity.X0)
        && !(c.from() == Quantity.X0 && c.to() == Quantity.EPSILON)) {
      return "convert " + c.from() + " -> " + c.to();
    }
    return null;
  }
}
