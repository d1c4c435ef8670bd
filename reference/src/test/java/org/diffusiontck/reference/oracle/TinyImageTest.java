package org.diffusiontck.reference.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.diffusiontck.reference.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class TinyImageTest {
  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  private static int lit(TinyImage image) {
    int n = 0;
    for (int r = 0; r < 8; r++) {
      for (int c = 0; c < 8; c++) {
        n += image.pixel(r, c) == 1.0 ? 1 : 0;
      }
    }
    return n;
  }

  /**
   * Hand-counted strokes: the cross has 2 rows + 2 columns of 8 minus the 4 shared = 28 lit
   * pixels, the square outline 4 · 6 − 4 = 20, the diagonal 8, the checkerboard half of 64; the
   * gradient runs from −1 to 1 by 2/7 per column.
   */
  @Test
  void imagesAreTheDescribedDrawings() {
    assertThat(lit(TinyImage.CROSS)).isEqualTo(28);
    assertThat(TinyImage.CROSS.pixel(4, 0)).isEqualTo(1.0);
    assertThat(TinyImage.CROSS.pixel(0, 0)).isEqualTo(-1.0);
    assertThat(lit(TinyImage.SQUARE)).isEqualTo(20);
    assertThat(TinyImage.SQUARE.pixel(1, 4)).isEqualTo(1.0);
    assertThat(TinyImage.SQUARE.pixel(3, 3)).isEqualTo(-1.0);
    assertThat(TinyImage.SQUARE.pixel(0, 0)).isEqualTo(-1.0);
    assertThat(lit(TinyImage.DIAGONAL)).isEqualTo(8);
    assertThat(TinyImage.DIAGONAL.pixel(5, 5)).isEqualTo(1.0);
    assertThat(lit(TinyImage.CHECKERBOARD)).isEqualTo(32);
    assertThat(TinyImage.CHECKERBOARD.pixel(1, 1)).isEqualTo(1.0);
    assertThat(TinyImage.CHECKERBOARD.pixel(1, 2)).isEqualTo(-1.0);
    assertThat(TinyImage.CHECKERBOARD.pixel(2, 2)).isEqualTo(1.0);
    for (int r = 0; r < 8; r++) {
      assertThat(TinyImage.GRADIENT.pixel(r, 0)).isEqualTo(-1.0);
      assertThat(TinyImage.GRADIENT.pixel(r, 7)).isEqualTo(1.0);
      assertThat(TinyImage.GRADIENT.pixel(r, 2)).isEqualTo(-1.0 + 4.0 / 7.0);
    }
  }

  /** The data set stacks the five images [5, 1, 8, 8] in declaration order; all in [−1, 1]. */
  @Test
  void dataSetStacksTheImages() {
    INDArray set = TinyImage.dataSet();
    assertThat(set.shape()).containsExactly(5, 1, 8, 8);
    assertThat(set.minNumber().doubleValue()).isEqualTo(-1.0);
    assertThat(set.maxNumber().doubleValue()).isEqualTo(1.0);
    TinyImage[] all = TinyImage.values();
    for (int k = 0; k < all.length; k++) {
      assertThat(all[k].image().shape()).containsExactly(1, 8, 8);
      assertThat(set.get(NDArrayIndex.point(k))).isEqualTo(all[k].image());
      assertThat(set.getDouble(k, 0, 6, 1)).isEqualTo(all[k].pixel(6, 1));
      for (int j = 0; j < k; j++) {
        assertThat(all[k].image()).isNotEqualTo(all[j].image());
      }
    }
  }

  @Test
  void pixelOutsideTheImageIsRejected() {
    assertThatThrownBy(() -> TinyImage.CROSS.pixel(8, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(8, 0)");
  }
}
