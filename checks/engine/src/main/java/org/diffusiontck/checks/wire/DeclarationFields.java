package org.diffusiontck.checks.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.diffusiontck.checks.impl.Clipping;
import org.diffusiontck.checks.impl.DdimEpsilon;
import org.diffusiontck.checks.impl.Dtype;
import org.diffusiontck.checks.impl.FinalAlphaBar;
import org.diffusiontck.checks.impl.InversionModelTime;
import org.diffusiontck.checks.impl.LinearEndpoints;
import org.diffusiontck.checks.impl.NormalCdf;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.Prediction;
import org.diffusiontck.checks.impl.PreviousTimestep;
import org.diffusiontck.checks.impl.ScheduleKind;
import org.diffusiontck.checks.impl.Spacing;
import org.diffusiontck.checks.impl.T1LogVariance;
import org.diffusiontck.checks.impl.VarianceChoice;

/**
 * The fields a version-1 declaration must carry ({@code spec/PROTOCOL.md}, the handshake), each
 * with the values it may take. {@link #check} names the first field that is missing or invalid, so
 * that a child whose handshake is incomplete gets every rule ERROR with that reason instead of a
 * failure of the kit.
 */
final class DeclarationFields {
  /** A field's JSON type, and for a string or list the enum whose names it takes. */
  private record Field(JsonNodeType type, Class<? extends Enum<?>> values) {}

  private static final Map<String, Field> FIELDS = new LinkedHashMap<>();
  private static final Map<String, Class<? extends Enum<?>>> CONVENTIONS = new LinkedHashMap<>();

  static {
    FIELDS.put("name", new Field(JsonNodeType.STRING, null));
    FIELDS.put("dtype", new Field(JsonNodeType.STRING, Dtype.class));
    FIELDS.put("operations", new Field(JsonNodeType.ARRAY, Operation.class));
    FIELDS.put("schedules", new Field(JsonNodeType.ARRAY, ScheduleKind.class));
    FIELDS.put("zeroTerminalSnr", new Field(JsonNodeType.BOOLEAN, null));
    FIELDS.put("predictions", new Field(JsonNodeType.ARRAY, Prediction.class));
    FIELDS.put("varianceChoices", new Field(JsonNodeType.ARRAY, VarianceChoice.class));
    FIELDS.put("spacings", new Field(JsonNodeType.ARRAY, Spacing.class));
    FIELDS.put("clippings", new Field(JsonNodeType.ARRAY, Clipping.Kind.class));
    FIELDS.put("conventions", new Field(JsonNodeType.OBJECT, null));
    CONVENTIONS.put("linearEndpoints", LinearEndpoints.class);
    CONVENTIONS.put("t1LogVariance", T1LogVariance.class);
    CONVENTIONS.put("ddimEpsilon", DdimEpsilon.class);
    CONVENTIONS.put("finalAlphaBar", FinalAlphaBar.class);
    CONVENTIONS.put("previousTimestep", PreviousTimestep.class);
    CONVENTIONS.put("inversionModelTime", InversionModelTime.class);
    CONVENTIONS.put("decoderCdf", NormalCdf.class);
  }

  private DeclarationFields() {}

  /**
   * @throws WireException naming the first field that is missing, of the wrong type or holding a
   *     value that is not one of its names; or saying that no operation is declared
   */
  static void check(JsonNode declaration) {
    if (!declaration.isObject()) {
      throw new WireException("the declaration must be a JSON object, got "
          + Wire.cut(declaration.toString()));
    }
    for (Map.Entry<String, Field> f : FIELDS.entrySet()) {
      check(declaration, f.getKey(), f.getKey(), f.getValue().type(), f.getValue().values());
    }
    if (declaration.get("name").asText().isBlank()) {
      throw new WireException("the declaration's \"name\" is empty");
    }
    if (declaration.get("operations").isEmpty()) {
      throw new WireException("the declaration's \"operations\" is empty: an implementation must"
          + " offer at least one operation, or every rule would be skipped");
    }
    JsonNode conventions = declaration.get("conventions");
    for (Map.Entry<String, Class<? extends Enum<?>>> c : CONVENTIONS.entrySet()) {
      check(conventions, c.getKey(), "conventions." + c.getKey(), JsonNodeType.STRING,
          c.getValue());
    }
  }

  private static void check(JsonNode parent, String key, String path, JsonNodeType type,
      Class<? extends Enum<?>> values) {
    JsonNode v = parent.get(key);
    if (v == null || v.isNull()) {
      throw new WireException("the declaration has no \"" + path + "\" (expected "
          + what(type, values) + ")");
    }
    if (v.getNodeType() != type) {
      throw new WireException("the declaration's \"" + path + "\" must be " + what(type, values)
          + ", got " + Wire.cut(v.toString()));
    }
    if (values == null) {
      return;
    }
    for (JsonNode item : type == JsonNodeType.ARRAY ? v : List.of(v)) {
      if (!item.isTextual() || !names(values).contains(item.asText().toLowerCase(Locale.ROOT))) {
        throw new WireException("the declaration's \"" + path + "\" holds "
            + Wire.cut(item.toString()) + ", which is not one of " + names(values));
      }
    }
  }

  private static String what(JsonNodeType type, Class<? extends Enum<?>> values) {
    return switch (type) {
      case STRING -> values == null ? "a string" : "one of " + names(values);
      case ARRAY -> "a list of " + (values == null ? "values" : names(values));
      case BOOLEAN -> "true or false";
      default -> "an object";
    };
  }

  /** The wire names of an enum's constants: their labels where they have one, else lower case. */
  private static List<String> names(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(e -> Wire.tree(e).asText().toLowerCase(Locale.ROOT)).toList();
  }
}
