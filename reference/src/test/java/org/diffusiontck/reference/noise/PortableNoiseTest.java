package org.diffusiontck.reference.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.diffusiontck.reference.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Known answers from numpy, an independent implementation: {@code noise/portable-noise-kat.json},
 * written by {@code spec/noise/make_kat.py} (numpy's Philox4x64-10 for the raw words; the uniform
 * and Box–Muller steps of spec/NOISE.md in numpy). Raw words and uniforms must agree exactly.
 *
 * <p>Normals agree to a few ulps, not bit for bit: numpy uses its own or the platform's log, cos
 * and sin, Java uses StrictMath (fdlibm); both are within 1 ulp of the true value (fdlibm's
 * documented bound; numpy's float64 log/cos/sin measured within 0.6 ulp against 120-bit mpmath
 * on these arguments). Two results within 1 ulp of the same value differ by ≤ 2 ulps: ln u by 2
 * ulps gives r = √(−2 ln u) 1 ulp apart plus each side's square-root rounding, cos θ or sin θ 2
 * ulps apart, the product one rounding each: ≤ 6 ulps of z. We allow 8 ulps of z (about 1e-15
 * relative); 200 000 normals of two streams differed by at most 3 ulps when this was written.
 */
class PortableNoiseTest {
  private static final double NORMAL_ULPS = 8;
  private static List<JsonNode> cases;

  @BeforeAll
  static void load() throws IOException {
    Tensors.useDoubles();
    try (InputStream in =
        PortableNoiseTest.class.getResourceAsStream("/noise/portable-noise-kat.json")) {
      JsonNode root = new ObjectMapper().readTree(in);
      cases = new ArrayList<>();
      root.get("cases").forEach(cases::add);
    }
    assertThat(cases).hasSize(4);
  }

  private static long word(JsonNode hex) {
    return Long.parseUnsignedLong(hex.asText().substring(2), 16);
  }

  private static PortableNoise stream(JsonNode c) {
    return new PortableNoise(word(c.get("seed")), word(c.get("stream")));
  }

  private static void assertNormal(double actual, double expected, String what) {
    assertThat(actual).as(what).isCloseTo(expected, within(NORMAL_ULPS * Math.ulp(expected)));
  }

  /** The raw Philox words equal numpy's random_raw, for signed and unsigned seeds and streams. */
  @Test
  void rawWordsAreNumpysPhilox() {
    for (JsonNode c : cases) {
      PortableNoise noise = stream(c);
      for (JsonNode expected : c.get("raw_words")) {
        assertThat(Long.toUnsignedString(noise.nextWord(), 16))
            .as("seed %s stream %s", c.get("seed"), c.get("stream"))
            .isEqualTo(Long.toUnsignedString(word(expected), 16));
      }
    }
  }

  /** u = ((w ≫ 11) + 1) · 2^−53 is exact in both languages: bit-for-bit equal. */
  @Test
  void uniformsAreExact() {
    for (JsonNode c : cases) {
      PortableNoise noise = stream(c);
      for (JsonNode expected : c.get("uniforms")) {
        double u = noise.nextUniform();
        assertThat(u).isEqualTo(expected.asDouble()).isGreaterThan(0.0).isLessThanOrEqualTo(1.0);
      }
    }
  }

  /**
   * Successive normals(n) calls on one stream, including odd n (1, 1, 3 and 7, 5): an odd call
   * discards its last sine and the next call starts on a fresh pair.
   */
  @Test
  void normalsAreBoxMullerOnNumpysUniforms() {
    for (JsonNode c : cases) {
      PortableNoise noise = stream(c);
      int call = 0;
      for (JsonNode expectedCall : c.get("normal_calls")) {
        double[] z = noise.normals(expectedCall.get("n").asInt());
        JsonNode expected = expectedCall.get("z");
        assertThat(z).hasSize(expected.size());
        for (int i = 0; i < z.length; i++) {
          assertNormal(z[i], expected.get(i).asDouble(),
              "seed " + c.get("seed") + " call " + call + " z_" + i);
        }
        call++;
      }
    }
  }

  /** normal(2, 3, 2) holds z_0..z_11 in C order: element (i, j, k) is z_{6i + 2j + k}. */
  @Test
  void tensorsAreFilledInCOrder() {
    JsonNode c = cases.get(1);
    JsonNode z = c.get("normal_calls").get(0).get("z");
    assertThat(z.size()).isEqualTo(12);
    INDArray x = stream(c).normal(2, 3, 2);
    assertThat(x.dataType()).isEqualTo(DataType.DOUBLE);
    assertThat(x.shape()).containsExactly(2, 3, 2);
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 2; k++) {
          assertNormal(x.getDouble(i, j, k), z.get(6 * i + 2 * j + k).asDouble(),
              "(" + i + "," + j + "," + k + ")");
        }
      }
    }
  }

  /** A four-dimensional [B, C, H, W] tensor, 2 × 1 × 3 × 4, from the 24-normal case. */
  @Test
  void fourDimensionalTensorInCOrder() {
    JsonNode c = cases.get(3);
    JsonNode z = c.get("normal_calls").get(0).get("z");
    INDArray x = stream(c).normal(2, 1, 3, 4);
    for (int b = 0; b < 2; b++) {
      for (int h = 0; h < 3; h++) {
        for (int w = 0; w < 4; w++) {
          assertNormal(x.getDouble(b, 0, h, w), z.get(12 * b + 4 * h + w).asDouble(),
              "(" + b + ",0," + h + "," + w + ")");
        }
      }
    }
  }

  /** The one-argument constructor is stream 0; normals(0) consumes nothing. */
  @Test
  void defaultStreamAndEmptyRequest() {
    JsonNode c = cases.get(0);
    assertThat(word(c.get("stream"))).isZero();
    PortableNoise noise = new PortableNoise(word(c.get("seed")));
    assertThat(noise.normals(0)).isEmpty();
    assertThat(noise.nextWord()).isEqualTo(word(c.get("raw_words").get(0)));
  }

  @Test
  void badRequestsAreRejectedNamingThemAndTheirValue() {
    PortableNoise noise = new PortableNoise(1L);
    assertThatThrownBy(() -> noise.normals(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("n must be at least 0, got -1");
    assertThatThrownBy(noise::normal)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shape must have at least one dimension, got []");
    assertThatThrownBy(() -> noise.normal(2, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shape must have positive dimensions, got [2, 0]");
    assertThatThrownBy(() -> noise.normal(1L << 16, 1L << 16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shape holds too many elements: 4294967296");
  }
}
