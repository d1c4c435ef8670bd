package org.diffusiontck.checks.io;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * float64 arrays in numpy's {@code .npy} format (numpy's "NEP 1", {@code numpy.lib.format}): the
 * magic string {@code \x93NUMPY}, a version (major, minor), the header length (little-endian
 * uint16 in version 1.0, uint32 in 2.0 and 3.0), an ASCII header holding a Python dict literal
 * with {@code descr}, {@code fortran_order} and {@code shape}, padded with spaces and ended by
 * {@code \n} so that the data starts at a multiple of 64 bytes, then the data.
 *
 * <p>Only C-order little-endian float64 ({@code '<f8'}) is read or written: the kit's tensors are
 * doubles in C order. Writing uses version 1.0; reading accepts 1.0, 2.0 and 3.0.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGNMENT = 64;
  private static final String DESCR = "<f8";
  private static final Pattern DESCR_ENTRY = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN_ENTRY =
      Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE_ENTRY = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** A C-order float64 array: its shape and its elements in C (row-major) order. */
  public record Array(long[] shape, double[] data) {
    /**
     * @throws IllegalArgumentException if a dimension is negative or the number of elements is
     *     not the product of the dimensions
     */
    public Array {
      long n = 1;
      for (long d : shape) {
        if (d < 0) {
          throw new IllegalArgumentException(
              "shape must have non-negative dimensions, got " + Arrays.toString(shape));
        }
        n = Math.multiplyExact(n, d);
      }
      if (n != data.length) {
        throw new IllegalArgumentException(
            "data must hold " + n + " elements for shape " + Arrays.toString(shape) + ", got "
                + data.length);
      }
    }
  }

  /** Writes {@code array} as a version 1.0 {@code .npy} file; does not close {@code out}. */
  public static void write(OutputStream out, Array array) throws IOException {
    out.write(header(array.shape()));
    ByteBuffer data =
        ByteBuffer.allocate(Math.multiplyExact(array.data().length, Double.BYTES))
            .order(ByteOrder.LITTLE_ENDIAN);
    for (double v : array.data()) {
      data.putDouble(v);
    }
    out.write(data.array());
    out.flush();
  }

  /**
   * Reads one {@code .npy} array from {@code in}, which must hold nothing after it.
   *
   * @throws IllegalArgumentException if the bytes are not a C-order {@code '<f8'} {@code .npy}
   *     array, naming what was found
   */
  public static Array read(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] magic = readFully(data, MAGIC.length, "the magic string");
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IllegalArgumentException(
          "not an .npy file: the magic string must be \\x93NUMPY, got "
              + new String(magic, StandardCharsets.ISO_8859_1));
    }
    byte[] version = readFully(data, 2, "the version");
    int major = version[0] & 0xFF;
    int minor = version[1] & 0xFF;
    if (major < 1 || major > 3 || minor != 0) {
      throw new IllegalArgumentException(
          ".npy version must be 1.0, 2.0 or 3.0, got " + major + "." + minor);
    }
    byte[] lengthBytes = readFully(data, major == 1 ? 2 : 4, "the header length");
    long headerLength =
        major == 1
            ? ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF
            : ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
    if (headerLength > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(".npy header is too long: " + headerLength + " bytes");
    }
    String header =
        new String(
            readFully(data, (int) headerLength, "the header"),
            major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = entry(DESCR_ENTRY, header, "descr");
    if (!descr.equals(DESCR)) {
      throw new IllegalArgumentException(
          ".npy descr must be '" + DESCR + "' (little-endian float64), got '" + descr + "'");
    }
    String fortranOrder = entry(FORTRAN_ENTRY, header, "fortran_order");
    if (!fortranOrder.equals("False")) {
      throw new IllegalArgumentException(
          ".npy fortran_order must be False (C order), got " + fortranOrder);
    }
    long[] shape = shape(entry(SHAPE_ENTRY, header, "shape"));
    if (Arrays.stream(shape).anyMatch(d -> d < 0)) {
      throw new IllegalArgumentException(
          ".npy shape must have non-negative dimensions, got " + Arrays.toString(shape));
    }
    // in double first: a product of huge dimensions must not wrap around
    if (Arrays.stream(shape).asDoubleStream().reduce(1, (a, b) -> a * b)
        > Integer.MAX_VALUE / Double.BYTES) {
      throw new IllegalArgumentException(
          ".npy array is too large: shape " + Arrays.toString(shape));
    }
    long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    ByteBuffer bytes =
        ByteBuffer.wrap(readFully(data, (int) n * Double.BYTES, "the data"))
            .order(ByteOrder.LITTLE_ENDIAN);
    if (data.read() != -1) {
      throw new IllegalArgumentException(
          ".npy file has bytes after the " + n + " elements of shape " + Arrays.toString(shape));
    }
    double[] values = new double[(int) n];
    bytes.asDoubleBuffer().get(values);
    return new Array(shape, values);
  }

  /** The version 1.0 preamble and header for a C-order {@code '<f8'} array of this shape. */
  private static byte[] header(long[] shape) {
    String dict =
        "{'descr': '" + DESCR + "', 'fortran_order': False, 'shape': " + tuple(shape) + ", }";
    int preamble = MAGIC.length + 2 + 2;
    int unpadded = preamble + dict.length() + 1;
    int padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
    int headerLength = dict.length() + padding + 1;
    if (headerLength > 0xFFFF) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs a header longer than version 1.0 allows");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(preamble + headerLength);
    out.writeBytes(MAGIC);
    out.write(1);
    out.write(0);
    out.write(headerLength & 0xFF);
    out.write(headerLength >>> 8);
    out.writeBytes(dict.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(" ".repeat(padding).getBytes(StandardCharsets.US_ASCII));
    out.write('\n');
    return out.toByteArray();
  }

  /** A Python tuple literal: {@code ()}, {@code (3,)}, {@code (2, 3)}. */
  private static String tuple(long[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      s.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return s.append(')').toString();
  }

  private static long[] shape(String tupleBody) {
    String body = tupleBody.strip();
    if (body.endsWith(",")) {
      body = body.substring(0, body.length() - 1);
    }
    if (body.isBlank()) {
      return new long[0];
    }
    String[] parts = body.split(",");
    long[] shape = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        shape[i] = Long.parseLong(parts[i].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(".npy shape must be a tuple of integers, got ("
            + tupleBody + ")");
      }
    }
    return shape;
  }

  private static String entry(Pattern pattern, String header, String key) {
    Matcher m = pattern.matcher(header);
    if (!m.find()) {
      throw new IllegalArgumentException(
          ".npy header must have a valid '" + key + "' entry, got " + header.strip());
    }
    return m.group(1);
  }

  private static byte[] readFully(DataInputStream in, int n, String what) throws IOException {
    byte[] bytes = new byte[n];
    try {
      in.readFully(bytes);
    } catch (EOFException e) {
      throw new IllegalArgumentException(".npy file ends inside " + what);
    }
    return bytes;
  }
}
