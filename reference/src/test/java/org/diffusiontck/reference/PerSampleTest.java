package org.diffusiontck.reference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class PerSampleTest {
  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  /** Each batch element b is scaled by its own c_b; checked coordinate by coordinate. */
  @Test
  void scaleMultipliesEachBatchElementByItsCoefficient() {
    double[] data = new double[2 * 3 * 2 * 2];
    for (int i = 0; i < data.length; i++) {
      data[i] = i + 1;
    }
    var x = Nd4j.create(data, new long[] {2, 3, 2, 2}, 'c');
    var y = PerSample.scale(new double[] {2.0, -0.5}, x);
    for (int i = 0; i < data.length; i++) {
      double c = i < 12 ? 2.0 : -0.5;
      assertThat(y.getDouble(i)).isEqualTo(c * (i + 1));
    }
    assertThat(x.getDouble(0)).as("input untouched").isEqualTo(1.0);
  }
}
