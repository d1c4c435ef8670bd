package org.diffusiontck.checks.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.LoopRequest;
import org.diffusiontck.checks.impl.LoopRequests;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.Request;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.Tensor;

/**
 * The JSON form of requests, answers and declarations ({@code spec/PROTOCOL.md}), shared by the
 * child-process driver, the test vectors and the tests of the Python example.
 *
 * <ul>
 *   <li>A request is its {@link Requests} record, one JSON object per line: {@code {"id": n, "op":
 *       "<operation in lower case>", …the record's fields…}}; null fields are left out.
 *   <li>Enums are their Java names, written in lower case and read in any case.
 *   <li>A tensor is {@code {"shape": [...], "data": [...]}} in C order. Numbers are written as the
 *       shortest decimal that reads back to the same double (Schubfach); infinities are the bare
 *       tokens {@code Infinity} and {@code -Infinity}, as Python's {@code json} writes them.
 *   <li>An answer is {@code {"id": n, "result": …}} or {@code {"id": n, "error": "message"}}.
 * </ul>
 */
public final class Wire {
  /** The protocol version the kit speaks; sent in the handshake. */
  public static final int PROTOCOL = 2;

  /** The key that marks a line from the child as a model callback during a loop (section 9). */
  public static final String CALLBACK = "callback";

  /** The one callback a loop makes: the model's output at (x_t, t). */
  public static final String MODEL = "model";

  /** The handshake's operation name. */
  public static final String HELLO = "hello";

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  private static final Map<Operation, Class<?>> REQUESTS = requestClasses();

  private Wire() {}

  /** The mapper with the settings above, for callers that build trees. */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  /** The request line {@code {"id": id, "op": …, fields…}}, without the newline. */
  public static String request(long id, Request<?> request) {
    return write(requestNode(id, request));
  }

  /** The request as a tree: id, op, then the record's fields. */
  public static ObjectNode requestNode(long id, Request<?> request) {
    return requestNode(id, request.operation(), request);
  }

  /** The loop request line {@code {"id": id, "op": …, fields…}}, without the newline. */
  public static String request(long id, LoopRequest request) {
    return write(requestNode(id, request.operation(), request));
  }

  private static ObjectNode requestNode(long id, Operation op, Object record) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", id);
    node.put("op", op.label());
    node.setAll((ObjectNode) MAPPER.valueToTree(record));
    return node;
  }

  /** The kit's answer to a model callback: {@code {"id": id, "result": output}}. */
  public static String callbackResult(long id, Object output) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", id);
    node.set("result", tree(output));
    return write(node);
  }

  /** The kit's refusal of a model callback: {@code {"id": id, "error": message}}. */
  public static String callbackError(long id, String message) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", id);
    node.put("error", message);
    return write(node);
  }

  /** The handshake line the kit sends first. */
  public static String hello() {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", 0);
    node.put("op", HELLO);
    node.put("protocol", PROTOCOL);
    return write(node);
  }

  /** The request a line or tree holds ({@code id} and unknown keys are ignored). */
  public static Request<?> readRequest(JsonNode node) {
    return (Request<?>) readRecord(node, false);
  }

  /** The loop request a line or tree holds ({@code id} and unknown keys are ignored). */
  public static LoopRequest readLoopRequest(JsonNode node) {
    return (LoopRequest) readRecord(node, true);
  }

  private static Object readRecord(JsonNode node, boolean loop) {
    JsonNode op = node.get("op");
    if (op == null || !op.isTextual()) {
      throw new WireException("a request needs an \"op\" string, got " + cut(node.toString()));
    }
    Operation operation = operation(op.asText());
    if (operation.loop() != loop) {
      throw new WireException("\"" + op.asText() + "\" is " + (loop ? "not " : "")
          + "a loop operation");
    }
    Class<?> type = REQUESTS.get(operation);
    ObjectNode fields = ((ObjectNode) node).deepCopy();
    fields.remove("id");
    fields.remove("op");
    try {
      return MAPPER.treeToValue(fields, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new WireException("malformed " + op.asText() + " request: " + message(e), e);
    }
  }

  /** The operation named {@code label} (any case). */
  public static Operation operation(String label) {
    try {
      return Operation.valueOf(label.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new WireException("unknown operation \"" + label + "\"");
    }
  }

  /** The type of the answer to {@code op}: R of its {@code Request<R>}. */
  public static JavaType resultType(Operation op) {
    if (op.loop()) {
      return MAPPER.constructType(Tensor.class);
    }
    for (Type t : REQUESTS.get(op).getGenericInterfaces()) {
      if (t instanceof ParameterizedType p && p.getRawType() == Request.class) {
        return MAPPER.getTypeFactory().constructType(p.getActualTypeArguments()[0]);
      }
    }
    throw new IllegalStateException("no Request<R> on " + REQUESTS.get(op));
  }

  /** The record class of each operation. */
  public static Class<?> requestClass(Operation op) {
    return REQUESTS.get(op);
  }

  /** Parses one line of JSON. */
  public static JsonNode parse(String line) {
    try {
      JsonNode node = MAPPER.readTree(line);
      if (node == null || !node.isObject()) {
        throw new WireException("expected a JSON object, got " + cut(line));
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new WireException("not JSON: " + cut(line) + " (" + message(e) + ")", e);
    }
  }

  /** Binds a tree to {@code type}; a mismatch is a {@link WireException} naming what is wrong. */
  public static <T> T bind(JsonNode node, JavaType type, String what) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new WireException(what + " is not a " + type.getRawClass().getSimpleName() + ": "
          + message(e), e);
    }
  }

  /**
   * A declaration from its JSON form. A process that is a model as well ({@link ModelDeclaration})
   * declares an implementation without its {@code "eps"} and model fields; one that is a model only
   * is a {@link WireException} saying so, as is a missing or invalid field (named).
   */
  public static Declaration declaration(JsonNode node) {
    JsonNode part = ModelDeclaration.implementationPart(node);
    DeclarationFields.check(part);
    return bind(part, MAPPER.constructType(Declaration.class), "the declaration");
  }

  /** The JSON tree of any value (a declaration, an answer…). */
  public static JsonNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  /** One line of JSON. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new WireException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  /** The path of the first NaN in {@code node} ("result.data[3]"), or null if there is none. */
  public static String firstNaN(JsonNode node, String path) {
    if (node.isNumber() && Double.isNaN(node.doubleValue())) {
      return path;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String p = firstNaN(node.get(i), path + "[" + i + "]");
        if (p != null) {
          return p;
        }
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String p = firstNaN(e.getValue(), path + "." + e.getKey());
        if (p != null) {
          return p;
        }
      }
    }
    return null;
  }

  /** At most 200 characters of {@code s}, for messages. */
  public static String cut(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }

  private static String message(Exception e) {
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && cause instanceof IllegalArgumentException) {
      m = cause.getMessage();
    }
    return m == null ? e.getClass().getSimpleName() : m.replaceAll("\\s+", " ");
  }

  /**
   * Each operation's record: the nested class of {@link Requests} or {@link LoopRequests} named as
   * it is in CamelCase.
   */
  private static Map<Operation, Class<?>> requestClasses() {
    Map<Operation, Class<?>> map = new EnumMap<>(Operation.class);
    for (Class<?> holder : List.of(Requests.class, LoopRequests.class)) {
      for (Class<?> c : holder.getDeclaredClasses()) {
        if (Request.class.isAssignableFrom(c) || LoopRequest.class.isAssignableFrom(c)) {
          String snake = c.getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1_$2");
          map.put(Operation.valueOf(snake.toUpperCase(Locale.ROOT)), c);
        }
      }
    }
    for (Operation op : Operation.values()) {
      if (!map.containsKey(op)) {
        throw new IllegalStateException("no request record for operation " + op);
      }
    }
    return map;
  }
}
