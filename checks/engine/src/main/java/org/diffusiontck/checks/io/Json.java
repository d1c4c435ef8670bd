package org.diffusiontck.checks.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;

/**
 * The kit's JSON output. Numbers are written with {@link Double#toString}, which reads back to
 * the same double; JSON has no infinities or NaN, so those are written as the strings {@code
 * "Infinity"}, {@code "-Infinity"} and {@code "NaN"} (what {@link Double#parseDouble}, Python's
 * {@code float} and numpy read back). Objects are indented one key per line, arrays stay on one
 * line, lines end in {@code \n}.
 */
public final class Json {
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          .build();
  private static final ObjectWriter WRITER =
      MAPPER.writer(
          new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));

  private Json() {}

  /** A new empty JSON object. */
  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** A JSON array of the given numbers. */
  public static ArrayNode array(double... values) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode(values.length);
    for (double v : values) {
      array.add(v);
    }
    return array;
  }

  /** Writes {@code node} and a final newline to {@code out}, which stays open. */
  public static void write(Writer out, JsonNode node) throws IOException {
    WRITER.writeValue(out, node);
    out.write('\n');
    out.flush();
  }
}
