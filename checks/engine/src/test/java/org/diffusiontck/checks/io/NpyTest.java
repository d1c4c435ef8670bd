package org.diffusiontck.checks.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link Npy} against the format's specification (numpy.lib.format, version 1.0), byte by byte,
 * and against files written by numpy itself (src/test/resources/npy/make_npy.py).
 */
class NpyTest {
  private static byte[] write(long[] shape, double... data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, new Npy.Array(shape, data));
    return out.toByteArray();
  }

  private static Npy.Array read(byte[] bytes) throws IOException {
    return Npy.read(new ByteArrayInputStream(bytes));
  }

  private static Npy.Array resource(String name) throws IOException {
    try (InputStream in = NpyTest.class.getResourceAsStream("/npy/" + name)) {
      assertThat(in).as(name).isNotNull();
      return Npy.read(in);
    }
  }

  private static String headerText(byte[] file) {
    int length = (file[8] & 0xFF) | (file[9] & 0xFF) << 8;
    return new String(file, 10, length, StandardCharsets.US_ASCII);
  }

  /**
   * Shape (2,), data [1.0, −2.0], spelled out from the specification: "\x93NUMPY", version 1 0,
   * header length as little-endian uint16, the dict literal, spaces and '\n' up to a multiple of
   * 64 bytes (10 + 57 + 1 = 68 → 128, so 60 spaces and a length of 118 = 0x76), then IEEE 754
   * binary64 little-endian: 1.0 = 0x3FF0000000000000, −2.0 = 0xC000000000000000.
   */
  @Test
  void writesTheSpecificationsBytes() throws IOException {
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0x76, 0x00});
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }";
    expected.writeBytes(dict.getBytes(StandardCharsets.US_ASCII));
    expected.writeBytes(" ".repeat(60).getBytes(StandardCharsets.US_ASCII));
    expected.write('\n');
    expected.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F});
    expected.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) 0xC0});

    assertThat(write(new long[] {2}, 1.0, -2.0)).containsExactly(expected.toByteArray());
  }

  /** Python tuple literals: () for a scalar, (n,) for one dimension, (a, b, c) otherwise. */
  @Test
  void writesTheShapeAsAPythonTuple() throws IOException {
    assertThat(headerText(write(new long[0], 2.5))).contains("'shape': (), }");
    assertThat(headerText(write(new long[] {2, 3, 4}, new double[24])))
        .contains("'shape': (2, 3, 4), }");
    assertThat(headerText(write(new long[] {0, 3}))).contains("'shape': (0, 3), }");
  }

  /** The data starts at a multiple of 64 bytes and the header ends in '\n', for any rank. */
  @Test
  void headerIsPaddedToSixtyFourBytes() throws IOException {
    for (int rank = 0; rank <= 12; rank++) {
      long[] shape = new long[rank];
      Arrays.fill(shape, 1);
      byte[] file = write(shape, 0.5);
      int dataStart = 10 + headerText(file).length();
      assertThat(dataStart % 64).as("rank " + rank).isZero();
      assertThat(file[dataStart - 1]).isEqualTo((byte) '\n');
      assertThat(file.length).isEqualTo(dataStart + 8);
    }
  }

  /** Every bit survives: −0.0, a NaN payload, subnormals, the extremes, the infinities. */
  @Test
  void roundTripsEveryBit() throws IOException {
    double[] data = {
      -0.0, Double.longBitsToDouble(0x7FF8_0000_0000_0123L), Double.MIN_VALUE, Double.MAX_VALUE,
      Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1, -1.0 / 3.0
    };
    Npy.Array back = read(write(new long[] {2, 4}, data));

    assertThat(back.shape()).containsExactly(2, 4);
    for (int i = 0; i < data.length; i++) {
      assertThat(Double.doubleToRawLongBits(back.data()[i]))
          .as("element " + i)
          .isEqualTo(Double.doubleToRawLongBits(data[i]));
    }
  }

  /** numpy's own file (version 1.0, with its extra growth padding): values (i − 11.5)/8. */
  @Test
  void readsNumpysVersion1File() throws IOException {
    Npy.Array array = resource("arange-2x3x4.npy");

    assertThat(array.shape()).containsExactly(2, 3, 4);
    for (int i = 0; i < 24; i++) {
      assertThat(array.data()[i]).isEqualTo((i - 11.5) / 8);
    }
  }

  @Test
  void readsNumpysVersion2File() throws IOException {
    Npy.Array array = resource("arange-2x3x4-v2.npy");

    assertThat(array.shape()).containsExactly(2, 3, 4);
    assertThat(array.data()).containsExactly(resource("arange-2x3x4.npy").data());
  }

  @Test
  void readsNumpysSpecialValuesScalarAndEmptyArray() throws IOException {
    Npy.Array specials = resource("specials.npy");
    assertThat(specials.shape()).containsExactly(7);
    double[] expected = {
      0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
      Double.MAX_VALUE, 0.1
    };
    for (int i = 0; i < expected.length; i++) {
      assertThat(Double.doubleToRawLongBits(specials.data()[i]))
          .isEqualTo(Double.doubleToRawLongBits(expected[i]));
    }

    Npy.Array scalar = resource("scalar.npy");
    assertThat(scalar.shape()).isEmpty();
    assertThat(scalar.data()).containsExactly(2.5);

    Npy.Array empty = resource("empty-0x3.npy");
    assertThat(empty.shape()).containsExactly(0, 3);
    assertThat(empty.data()).isEmpty();
  }

  @Test
  void rejectsWhatIsNotCOrderLittleEndianFloat64() {
    assertThatThrownBy(() -> resource("fortran-2x3.npy"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(".npy fortran_order must be False (C order), got True");
    assertThatThrownBy(() -> resource("float32.npy"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got '<f4'");
    assertThatThrownBy(() -> resource("big-endian.npy"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got '>f8'");
  }

  @Test
  void rejectsMalformedFiles() throws IOException {
    byte[] good = write(new long[] {3}, 1, 2, 3);

    byte[] badMagic = good.clone();
    badMagic[1] = 'X';
    assertThatThrownBy(() -> read(badMagic))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("magic");

    byte[] version4 = good.clone();
    version4[6] = 4;
    assertThatThrownBy(() -> read(version4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 4.0");

    assertThatThrownBy(() -> read(Arrays.copyOf(good, good.length - 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(".npy file ends inside the data");
    assertThatThrownBy(() -> read(Arrays.copyOf(good, 40)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(".npy file ends inside the header");
    assertThatThrownBy(() -> read(Arrays.copyOf(good, good.length + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bytes after the 3 elements");

    // a negative dimension, or dimensions whose product overflows a long, are named
    String header = new String(good, 0, good.length - 24, StandardCharsets.ISO_8859_1);
    byte[] negative = header.replace("(3,)", "(-3,)").getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> read(negative))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(".npy shape must have non-negative dimensions, got [-3]");
    byte[] huge = header.replace("(3,)", "(4294967296, 4294967296)")
        .getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> read(huge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(".npy array is too large");
  }

  @Test
  void anArrayNeedsOneElementPerPositionOfItsShape() {
    assertThatThrownBy(() -> new Npy.Array(new long[] {2, 3}, new double[5]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data must hold 6 elements for shape [2, 3], got 5");
    assertThatThrownBy(() -> new Npy.Array(new long[] {-1}, new double[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-negative");
  }
}
