package org.diffusiontck.golden;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The float32 initializers (weights) of an ONNX file, found by walking its protobuf encoding
 * (onnx.proto3: ModelProto field 7 is the graph; GraphProto field 5 the initializers; TensorProto
 * field 2 the data type, 8 the name, 9 the raw little-endian bytes), so that a test can change one
 * weight in place without any ONNX library.
 */
final class OnnxWeights {
  private static final int FLOAT = 1;

  /** Where one float32 initializer's raw bytes are in the file. */
  record Weight(String name, int offset, int count) {}

  private OnnxWeights() {}

  /** The float32 initializers stored as raw data, by name, in file order. */
  static Map<String, Weight> of(byte[] model) {
    Map<String, Weight> out = new LinkedHashMap<>();
    Reader top = new Reader(model, 0, model.length);
    while (top.more()) {
      Field graph = top.next();
      if (graph.number == 7 && graph.wire == 2) {
        Reader g = new Reader(model, graph.start, graph.end);
        while (g.more()) {
          Field init = g.next();
          if (init.number == 5 && init.wire == 2) {
            tensor(model, init, out);
          }
        }
      }
    }
    return out;
  }

  /** A copy of {@code model} with element {@code index} of weight {@code name} increased by delta. */
  static byte[] perturbed(byte[] model, String name, int index, float delta) {
    Weight w = of(model).get(name);
    if (w == null || index < 0 || index >= w.count) {
      throw new IllegalArgumentException("no float32 weight " + name + "[" + index + "]");
    }
    byte[] copy = model.clone();
    ByteBuffer b = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
    int at = w.offset + 4 * index;
    b.putFloat(at, b.getFloat(at) + delta);
    return copy;
  }

  private static void tensor(byte[] model, Field t, Map<String, Weight> out) {
    Reader r = new Reader(model, t.start, t.end);
    String name = null;
    long type = -1;
    Field raw = null;
    while (r.more()) {
      Field f = r.next();
      if (f.number == 2 && f.wire == 0) {
        type = f.value;
      } else if (f.number == 8 && f.wire == 2) {
        name = new String(model, f.start, f.end - f.start, StandardCharsets.UTF_8);
      } else if (f.number == 9 && f.wire == 2) {
        raw = f;
      }
    }
    if (name != null && type == FLOAT && raw != null) {
      out.put(name, new Weight(name, raw.start, (raw.end - raw.start) / 4));
    }
  }

  /** A field: its number, wire type, and its value (varint) or its bytes [start, end). */
  private record Field(int number, int wire, long value, int start, int end) {}

  /** Reads the fields of one message from bytes [pos, end). */
  private static final class Reader {
    private final byte[] b;
    private final int end;
    private int pos;

    Reader(byte[] b, int start, int end) {
      this.b = b;
      this.pos = start;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    Field next() {
      long key = varint();
      int number = (int) (key >>> 3);
      int wire = (int) (key & 7);
      switch (wire) {
        case 0 -> {
          return new Field(number, wire, varint(), pos, pos);
        }
        case 1 -> {
          pos += 8;
          return new Field(number, wire, 0, pos - 8, pos);
        }
        case 2 -> {
          int len = (int) varint();
          pos += len;
          return new Field(number, wire, 0, pos - len, pos);
        }
        case 5 -> {
          pos += 4;
          return new Field(number, wire, 0, pos - 4, pos);
        }
        default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wire);
      }
    }

    private long varint() {
      long v = 0;
      for (int shift = 0; ; shift += 7) {
        byte x = b[pos++];
        v |= (long) (x & 0x7F) << shift;
        if (x >= 0) {
          return v;
        }
      }
    }
  }
}
