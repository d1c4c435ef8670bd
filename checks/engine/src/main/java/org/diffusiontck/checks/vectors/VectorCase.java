package org.diffusiontck.checks.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.diffusiontck.checks.impl.Dtype;
import org.diffusiontck.checks.rules.Tolerance;

/**
 * One recorded case: the rule that sent the request, the conventions its answer depends on, the
 * request itself ({@code op} and the record's fields, as on the wire), and the reference's answer —
 * a result with a tolerance per dtype, or a refusal.
 *
 * @param rule the rule ID, e.g. {@code POST-1}
 * @param conventions the conventions the answer assumes, by field name (JSON labels); a field not
 *     named here does not change the answer
 * @param request the request, {@code {"op": …, fields…}}
 * @param result the reference's answer, or null for a refusal
 * @param error the reference's refusal message, or null
 * @param tolerances |observed − expected| ≤ abs + rel·|expected| per number, per dtype (empty for
 *     a refusal)
 */
public record VectorCase(String rule, Map<String, String> conventions, ObjectNode request,
    JsonNode result, String error, Map<Dtype, Tolerance> tolerances) {

  /** Why a case's tolerance is what it is (the argument is in {@code spec/VECTORS.md}). */
  static final String WHY = "per case: twice the reference's measured sensitivity to a rounding "
      + "of every input and of alphaBar, at this dtype and at float64, plus roundings of the "
      + "answer, and at least twice the rule's own tolerance up to 1e-9 (float64) or 2e-2 (float32) "
      + "(spec/VECTORS.md, Tolerances)";

  public boolean refusal() {
    return result == null;
  }

  /** The operation's wire name. */
  public String op() {
    return request.get("op").asText();
  }

  /** The rule family, e.g. {@code POST} for {@code POST-1}. */
  public String family() {
    int dash = rule.indexOf('-');
    return dash < 0 ? rule : rule.substring(0, dash);
  }
}
