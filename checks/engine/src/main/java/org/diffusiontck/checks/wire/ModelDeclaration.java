package org.diffusiontck.checks.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.diffusiontck.checks.impl.Prediction;

/**
 * The handshake of a model process ({@code spec/PROTOCOL.md}, section 8): a process whose declared
 * operations include {@value Eps#OP}. A model only declares {@code ["eps"]}; a process that is an
 * implementation as well adds {@code "eps"} and the three model fields to an implementation's
 * declaration.
 *
 * @param name shown in the reports
 * @param dtype the precision of its input and output: float64, float32 or float16
 * @param device where it computes: cpu or gpu; with the dtype, it selects a record's tolerances
 * @param prediction what its output means: ε, x_0 or v
 * @param shape the shape of one sample it accepts, [C, H, W] (the batch is free)
 */
public record ModelDeclaration(
    String name, String dtype, String device, Prediction prediction, List<Long> shape) {
  /** The dtypes a model may declare. */
  public static final List<String> DTYPES = List.of("float64", "float32", "float16");
  /** The devices a model may declare. */
  public static final List<String> DEVICES = List.of("cpu", "gpu");
  /** The fields a model adds to an implementation's declaration. */
  private static final List<String> MODEL_FIELDS = List.of("device", "prediction", "shape");

  public ModelDeclaration {
    shape = List.copyOf(shape);
  }

  /** The shape of one sample, as an array. */
  public long[] sampleShape() {
    return shape.stream().mapToLong(Long::longValue).toArray();
  }

  /** A model's declaration from the handshake's result; a {@link WireException} says what is wrong. */
  public static ModelDeclaration of(JsonNode node) {
    List<String> operations = operations(node);
    if (!operations.contains(Eps.OP)) {
      throw new WireException("the process does not declare the operation \"" + Eps.OP
          + "\", so it is not a model (it declares " + operations + "; spec/PROTOCOL.md,"
          + " section 8)");
    }
    JsonNode name = node.get("name");
    if (name == null || !name.isTextual()) {
      throw new WireException("the model's declaration needs a \"name\" string");
    }
    String prediction = choice(node, "prediction", List.of("epsilon", "x0", "v"));
    JsonNode shape = node.get("shape");
    List<Long> dims = new ArrayList<>();
    if (shape != null && shape.isArray()) {
      shape.forEach(d -> dims.add(d.canConvertToLong() && d.isIntegralNumber() ? d.asLong() : 0));
    }
    if (dims.isEmpty() || dims.contains(0L) || dims.stream().anyMatch(d -> d < 0)) {
      throw new WireException("the model's declaration needs \"shape\", the shape of one sample"
          + " as positive integers such as [1, 8, 8], got " + shape);
    }
    return new ModelDeclaration(name.asText(), choice(node, "dtype", DTYPES),
        choice(node, "device", DEVICES),
        Prediction.valueOf(prediction.toUpperCase(Locale.ROOT)), dims);
  }

  /**
   * What of a handshake's result an implementation declares: the result itself, or without
   * {@code "eps"} and the model's fields for a process that is a model too.
   *
   * @throws WireException if the process is a model only
   */
  static JsonNode implementationPart(JsonNode node) {
    List<String> operations = operations(node);
    if (!operations.contains(Eps.OP)) {
      return node;
    }
    if (operations.size() == 1) {
      throw new WireException("the process declares a model (the operation \"" + Eps.OP
          + "\" only), not an implementation: a model is run by tck golden record or verify"
          + " --model \"process:<command line>\" (spec/PROTOCOL.md, section 8)");
    }
    ObjectNode part = ((ObjectNode) node).deepCopy();
    part.remove(MODEL_FIELDS);
    ArrayNode ops = part.putArray("operations");
    operations.stream().filter(op -> !op.equals(Eps.OP)).forEach(ops::add);
    return part;
  }

  /** The declared operations in lower case (none if the field is missing or not a list). */
  private static List<String> operations(JsonNode node) {
    List<String> out = new ArrayList<>();
    JsonNode ops = node.isObject() ? node.get("operations") : null;
    if (ops != null && ops.isArray()) {
      ops.forEach(op -> out.add(op.asText().toLowerCase(Locale.ROOT)));
    }
    return out;
  }

  /** The field {@code key}, one of {@code allowed} in any case, in lower case. */
  private static String choice(JsonNode node, String key, List<String> allowed) {
    JsonNode v = node.get(key);
    String s = v != null && v.isTextual() ? v.asText().toLowerCase(Locale.ROOT) : null;
    if (!allowed.contains(s)) {
      throw new WireException("the model's declaration needs \"" + key + "\", one of " + allowed
          + ", got " + v);
    }
    return s;
  }
}
