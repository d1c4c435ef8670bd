package org.diffusiontck.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DiagonalGaussianTest {
  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  /**
   * Variances are perfect squares and the noise multiples of 1/4, so mean + √variance · noise is
   * exact in double and is compared exactly with the hand-computed values.
   */
  @Test
  void sampleIsMeanPlusStandardDeviationTimesNoise() {
    INDArray mean = Nd4j.create(new double[] {1, -2, 0.5, 3}, new long[] {2, 2}, 'c');
    INDArray variance = Nd4j.create(new double[] {4, 0.25, 9, 0}, new long[] {2, 2}, 'c');
    INDArray noise = Nd4j.create(new double[] {0.5, -1, 0.25, 7}, new long[] {2, 2}, 'c');

    INDArray x = new DiagonalGaussian(mean, variance).sample(noise);

    assertThat(x.shape()).containsExactly(2, 2);
    assertThat(x.data().asDouble()).containsExactly(1 + 2 * 0.5, -2 - 0.5, 0.5 + 3 * 0.25, 3);
    assertThat(mean.data().asDouble()).as("mean untouched").containsExactly(1, -2, 0.5, 3);
    assertThat(variance.data().asDouble()).as("variance untouched").containsExactly(4, 0.25, 9, 0);
    assertThat(noise.data().asDouble()).as("noise untouched").containsExactly(0.5, -1, 0.25, 7);
  }

  @Test
  void noiseOfAnotherShapeIsRejectedByName() {
    INDArray two = Nd4j.zeros(2, 2);
    DiagonalGaussian g = new DiagonalGaussian(two, two);
    assertThatThrownBy(() -> g.sample(Nd4j.zeros(2, 3)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noise must have the shape");
  }
}
