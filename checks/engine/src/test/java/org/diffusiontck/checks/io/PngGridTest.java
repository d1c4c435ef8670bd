package org.diffusiontck.checks.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The PNG grid: levels, layout and separators by hand, and the PNG read back by ImageIO. */
class PngGridTest {
  private static final int BLUE = PngGrid.SEPARATOR;

  private static int grey(int level) {
    return level << 16 | level << 8 | level;
  }

  /** The picture's pixels, row by row, as 0xRRGGBB. */
  private static int[][] pixels(BufferedImage picture) {
    int[][] out = new int[picture.getHeight()][picture.getWidth()];
    for (int y = 0; y < out.length; y++) {
      for (int x = 0; x < out[y].length; x++) {
        out[y][x] = picture.getRGB(x, y) & 0xFFFFFF;
      }
    }
    return out;
  }

  /**
   * rint((x + 1) · 127.5) clamped: −1 → 0, 1 → 255, 0 → 127.5 → 128 (half to even), 0.5 → 191.25
   * → 191, −0.5 → 63.75 → 64; beyond [−1, 1] clamped; NaN → 0.
   */
  @Test
  void levelsMapMinusOneToOneOntoBlackToWhite() {
    assertThat(PngGrid.level(-1.0)).isZero();
    assertThat(PngGrid.level(1.0)).isEqualTo(255);
    assertThat(PngGrid.level(0.0)).isEqualTo(128);
    assertThat(PngGrid.level(0.5)).isEqualTo(191);
    assertThat(PngGrid.level(-0.5)).isEqualTo(64);
    assertThat(PngGrid.level(2.0)).isEqualTo(255);
    assertThat(PngGrid.level(-3.0)).isZero();
    assertThat(PngGrid.level(Double.POSITIVE_INFINITY)).isEqualTo(255);
    assertThat(PngGrid.level(Double.NaN)).isZero();
  }

  @Test
  void columnsAreTheCeilingOfTheSquareRoot() {
    int[] batch = {1, 2, 4, 5, 9, 10, 16, 17};
    int[] columns = {1, 2, 2, 3, 3, 4, 4, 5};
    for (int i = 0; i < batch.length; i++) {
      assertThat(PngGrid.columns(batch[i])).as("B = %d", batch[i]).isEqualTo(columns[i]);
    }
  }

  /**
   * Two grey 2×3 images at scale 2: 2 columns, 1 row, so 2 · 6 + 3 = 15 pixels wide and 4 + 2 = 6
   * high; a blue line at rows 0 and 5 and columns 0, 7 and 14; each image pixel a 2×2 block.
   */
  @Test
  void greyImagesAreScaledBlocksBetweenOnePixelSeparators() {
    double[] data = {-1, 0, 1, 0.5, -0.5, 2, 1, 1, 1, -1, -1, -1};
    int[][] got = pixels(PngGrid.render(new Npy.Array(new long[] {2, 1, 2, 3}, data), 2));

    int[][] levels = {{0, 128, 255, 255, 255, 255}, {191, 64, 255, 0, 0, 0}};
    assertThat(got.length).isEqualTo(6);
    assertThat(got[0].length).isEqualTo(15);
    for (int y = 0; y < 6; y++) {
      for (int x = 0; x < 15; x++) {
        boolean separator = y == 0 || y == 5 || x == 0 || x == 7 || x == 14;
        int expected = separator ? BLUE : grey(levels[(y - 1) / 2][x < 7 ? (x - 1) / 2
            : 3 + (x - 8) / 2]);
        assertThat(got[y][x]).as("pixel (%d, %d)", x, y).isEqualTo(expected);
      }
    }
  }

  /** Three images in a 2 × 2 grid: the fourth cell is all separator colour. */
  @Test
  void cellsWithoutAnImageAreFilledWithTheSeparatorColour() {
    int[][] got = pixels(PngGrid.render(
        new Npy.Array(new long[] {3, 1, 1, 1}, new double[] {1, 1, 1}), 3));

    assertThat(got.length).isEqualTo(2 * 3 + 3);
    assertThat(got[0].length).isEqualTo(2 * 3 + 3);
    assertThat(got[5][5]).isEqualTo(BLUE);
    assertThat(got[5][1]).isEqualTo(grey(255));
    assertThat(got[1][5]).isEqualTo(grey(255));
  }

  /** Three channels are red, green and blue: channel k of the pixel is plane k of the image. */
  @Test
  void threeChannelsAreRgb() {
    int[][] got = pixels(PngGrid.render(
        new Npy.Array(new long[] {1, 3, 1, 2}, new double[] {1, -1, 0, 1, -1, 0.5}), 1));

    assertThat(got[1][1]).isEqualTo(255 << 16 | 128 << 8 | 0);
    assertThat(got[1][2]).isEqualTo(0 << 16 | 255 << 8 | 191);
  }

  @Test
  void thePngReadsBackToTheSamePixels() throws Exception {
    Npy.Array images = new Npy.Array(new long[] {5, 1, 2, 2},
        new double[] {-1, -0.6, -0.2, 0.2, 0.6, 1, 0.9, -0.9, 0.1, 0.3, 0.5, 0.7, -0.1, -0.3,
            -0.5, -0.7, 0, 0.25, -0.25, 0.75});
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    PngGrid.write(png, images, 4);

    BufferedImage back = ImageIO.read(new ByteArrayInputStream(png.toByteArray()));
    assertThat(back.getWidth()).isEqualTo(3 * 8 + 4);
    assertThat(back.getHeight()).isEqualTo(2 * 8 + 3);
    assertThat(pixels(back)).isDeepEqualTo(pixels(PngGrid.render(images, 4)));
  }

  @Test
  void onlyBatchesOfGreyOrRgbImagesAreDrawable() {
    assertThat(PngGrid.drawable(new long[] {16, 1, 8, 8})).isTrue();
    assertThat(PngGrid.drawable(new long[] {2, 3, 4, 5})).isTrue();
    assertThat(PngGrid.drawable(new long[] {2, 2, 4, 4})).isFalse();
    assertThat(PngGrid.drawable(new long[] {16, 8, 8})).isFalse();
    assertThatThrownBy(() -> PngGrid.render(new Npy.Array(new long[] {1, 2, 1, 1},
        new double[] {0, 0}), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[1, 2, 1, 1]");
    assertThatThrownBy(() -> PngGrid.render(new Npy.Array(new long[] {1, 1, 1, 1},
        new double[] {0}), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scale must be at least 1, got 0");
  }
}
