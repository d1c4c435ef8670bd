package org.diffusiontck.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.factory.Nd4j;

/** Each check passes its boundary values through and names the parameter and value on failure. */
class RequireTest {
  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  @Test
  void finite() {
    assertThat(Require.finite("x", -2.5)).isEqualTo(-2.5);
    assertThatThrownBy(() -> Require.finite("x", Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("x must be finite, got NaN");
    assertThatThrownBy(() -> Require.finite("x", Double.NEGATIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("x must be finite, got -Infinity");
  }

  @Test
  void inClosedIncludesBothEnds() {
    assertThat(Require.inClosed("s", 0.0, 0.0, 1.0)).isZero();
    assertThat(Require.inClosed("s", 1.0, 0.0, 1.0)).isEqualTo(1.0);
    assertThatThrownBy(() -> Require.inClosed("s", Math.nextUp(1.0), 0.0, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s must be in [0.0, 1.0], got 1.0000000000000002");
    assertThatThrownBy(() -> Require.inClosed("s", Double.NaN, 0.0, 1.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("s must be in [0.0, 1.0], got NaN");
  }

  @Test
  void inHalfOpenExcludesTheLowerEnd() {
    assertThat(Require.inHalfOpen("beta", 1.0, 0.0, 1.0)).isEqualTo(1.0);
    assertThat(Require.inHalfOpen("beta", Double.MIN_VALUE, 0.0, 1.0)).isEqualTo(Double.MIN_VALUE);
    assertThatThrownBy(() -> Require.inHalfOpen("beta", 0.0, 0.0, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("beta must be in (0.0, 1.0], got 0.0");
    assertThatThrownBy(() -> Require.inHalfOpen("beta", Double.NaN, 0.0, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("beta must be in (0.0, 1.0], got NaN");
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY})
  void positiveRejects(double bad) {
    assertThatThrownBy(() -> Require.positive("sigma", bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sigma must be positive and finite, got " + bad);
  }

  @Test
  void positiveAccepts() {
    assertThat(Require.positive("sigma", Double.MIN_VALUE)).isEqualTo(Double.MIN_VALUE);
  }

  @Test
  void atLeast() {
    assertThat(Require.atLeast("T", 1, 1)).isEqualTo(1);
    assertThatThrownBy(() -> Require.atLeast("T", 0, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("T must be at least 1, got 0");
  }

  @Test
  void timestepIsZeroToT() {
    assertThat(Require.timestep("t", 0, 10)).isZero();
    assertThat(Require.timestep("t", 10, 10)).isEqualTo(10);
    assertThatThrownBy(() -> Require.timestep("t", -1, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("t must be in 0..10, got -1");
    assertThatThrownBy(() -> Require.timestep("t", 11, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("t must be in 0..10, got 11");
  }

  @Test
  void earlierIsZeroToTMinusOne() {
    assertThatCode(() -> Require.earlier("s", 0, "t", 1)).doesNotThrowAnyException();
    assertThatThrownBy(() -> Require.earlier("s", 5, "t", 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s must satisfy 0 <= s < t = 5, got 5");
    assertThatThrownBy(() -> Require.earlier("s", -1, "t", 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s must satisfy 0 <= s < t = 5, got -1");
  }

  @Test
  void batchedNeedsALeadingDimension() {
    var x = Nd4j.zeros(3);
    assertThat(Require.batched("x", x)).isSameAs(x);
    assertThatThrownBy(() -> Require.batched("x", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("x must not be null");
    assertThatThrownBy(() -> Require.batched("x", Nd4j.scalar(1.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("x must have a leading batch dimension, got shape []");
  }

  @Test
  void sameShape() {
    assertThatCode(() -> Require.sameShape("a", Nd4j.zeros(2, 3), "b", Nd4j.ones(2, 3)))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Require.sameShape("a", Nd4j.zeros(2, 3), "b", Nd4j.zeros(3, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("b must have the shape of a [2, 3], got [3, 2]");
    assertThatThrownBy(() -> Require.sameShape("a", Nd4j.zeros(2, 3), "b", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("b must not be null");
  }

  @Test
  void onePerSample() {
    var x = Nd4j.zeros(2, 3);
    assertThatCode(() -> Require.onePerSample("t", new int[] {1, 2}, "x", x))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Require.onePerSample("t", new int[] {1, 2, 3}, "x", x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("t must hold one timestep per batch element of x (2), got 3 timesteps");
    assertThatThrownBy(() -> Require.onePerSample("t", null, "x", x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("t must hold one timestep per batch element of x (2), got null");
  }
}
