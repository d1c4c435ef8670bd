package org.diffusiontck.checks.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.Stream;
import org.diffusiontck.checks.rules.PortableNormals;
import org.diffusiontck.reference.noise.PortableNoise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where the engine and the reference keep parallel definitions: each convention enum has the same
 * constant names on both sides, in the same order (so {@link SameName} maps every constant, both
 * ways), and the engine's portable normals are the
 * reference's bit for bit.
 */
class SameNameTest {
  static Stream<Arguments> pairs() {
    return Stream.of(
        Arguments.of(org.diffusiontck.checks.impl.Prediction.class,
            org.diffusiontck.reference.param.Prediction.class),
        Arguments.of(org.diffusiontck.checks.impl.VarianceChoice.class,
            org.diffusiontck.reference.reverse.VarianceChoice.class),
        Arguments.of(org.diffusiontck.checks.impl.Spacing.class,
            org.diffusiontck.reference.sampling.Spacing.class),
        Arguments.of(org.diffusiontck.checks.impl.PreviousTimestep.class,
            org.diffusiontck.reference.sampling.PreviousTimestep.class),
        Arguments.of(org.diffusiontck.checks.impl.FinalAlphaBar.class,
            org.diffusiontck.reference.sampling.FinalAlphaBar.class),
        Arguments.of(org.diffusiontck.checks.impl.DdimEpsilon.class,
            org.diffusiontck.reference.sampling.DdimEpsilon.class),
        Arguments.of(org.diffusiontck.checks.impl.T1LogVariance.class,
            org.diffusiontck.reference.posterior.T1LogVariance.class),
        Arguments.of(org.diffusiontck.checks.impl.InversionModelTime.class,
            org.diffusiontck.reference.sampling.InversionModelTime.class),
        Arguments.of(org.diffusiontck.checks.impl.LinearEndpoints.class,
            org.diffusiontck.reference.schedule.LinearEndpoints.class),
        Arguments.of(org.diffusiontck.checks.impl.NormalCdf.class,
            org.diffusiontck.reference.elbo.NormalCdf.class));
  }

  private static String[] names(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants()).map(Enum::name).toArray(String[]::new);
  }

  @ParameterizedTest
  @MethodSource("pairs")
  <E extends Enum<E>, R extends Enum<R>> void everyConstantHasItsTwinOfTheSameName(
      Class<E> engine, Class<R> reference) {
    assertThat(names(engine)).containsExactly(names(reference));
    for (E e : engine.getEnumConstants()) {
      assertThat(SameName.in(reference, e).name()).isEqualTo(e.name());
      assertThat(SameName.in(engine, SameName.in(reference, e))).isSameAs(e);
    }
  }

  @ParameterizedTest
  @CsvSource({"0, 0, 1", "0, 0, 1001", "42, 7, 257", "-1, -9223372036854775808, 64"})
  void portableNormalsAreTheReferencesBitForBit(long seed, long stream, int n) {
    double[] engine = new PortableNormals(seed, stream).next(n);
    double[] reference = new PortableNoise(seed, stream).normals(n);
    assertThat(Arrays.stream(engine).mapToLong(Double::doubleToRawLongBits).toArray())
        .containsExactly(Arrays.stream(reference).mapToLong(Double::doubleToRawLongBits).toArray());
  }

  @Test
  void aConstantWithoutATwinIsRefused() {
    assertThatThrownBy(() -> SameName.in(org.diffusiontck.reference.param.Prediction.class,
        org.diffusiontck.checks.impl.Quantity.SCORE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SCORE");
  }
}
