package org.diffusiontck.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongToDoubleFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.diffusiontck.reference.noise.PortableNoise;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.iter.NdIndexIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * PerSample on every layout it may meet. Expected values come from the definition, coordinate by
 * coordinate through ND4J's own indexing (never through PerSample's buffer walk). Inputs are
 * multiples of 1/4 below 4 in magnitude and coefficients multiples of 1/8 below 4, so every product
 * (a multiple of 1/32 below 16) and sum (of at most three) is exact in double, and every comparison
 * is exact.
 */
class PerSampleTest {
  @BeforeAll
  @BeforeContainer
  static void doubles() {
    Tensors.useDoubles();
  }

  /** How a tensor with given values is laid out in memory. */
  enum Layout {
    /** A fresh C-order array: read in place. */
    C,
    /** A contiguous C-order slice [1, B+1) of a larger array: read in place from an offset. */
    OFFSET_SLICE,
    /** The same values in Fortran order: copied to C order first. */
    F,
    /** Every other value of the last dimension of a larger array: a strided view, copied first. */
    STRIDED;

    INDArray of(long[] shape, LongToDoubleFunction value) {
      INDArray c = cOrder(shape, value);
      return switch (this) {
        case C -> c;
        case F -> c.dup('f');
        case OFFSET_SLICE -> {
          long[] big = shape.clone();
          big[0] += 2;
          INDArray slice = Nd4j.zeros(DataType.DOUBLE, big).get(leading(shape.length,
              NDArrayIndex.interval(1, shape[0] + 1)));
          yield slice.assign(c);
        }
        case STRIDED -> {
          int last = shape.length - 1;
          long[] big = shape.clone();
          big[last] *= 2;
          INDArrayIndex[] every = new INDArrayIndex[shape.length];
          Arrays.fill(every, NDArrayIndex.all());
          every[last] = NDArrayIndex.interval(0, 2, big[last]);
          yield Nd4j.zeros(DataType.DOUBLE, big).get(every).assign(c);
        }
      };
    }
  }

  @Test
  void coefficientEvaluatesTheFunctionAtEachElementsTimestep() {
    assertThat(PerSample.coefficient(new int[] {0, 3, 7}, t -> 10.0 * t + 1))
        .containsExactly(1.0, 31.0, 71.0);
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

  /**
   * The three-term combine too, with d_b = 0 for every other batch element and z holding NaN
   * there: a value that would reach the output if z[b] were read where d_b = 0.
   */
  @Property(seed = "20240611", tries = 60)
  void scaleFillAndCombineMatchTheirDefinitionOnAnyShapeAndLayout(
      @ForAll("shapes") long[] shape,
      @ForAll Layout xLayout,
      @ForAll Layout yLayout,
      @ForAll Layout zLayout) {
    int batch = (int) shape[0];
    long per = Arrays.stream(shape).reduce(1, Math::multiplyExact) / batch;
    double[] a = coefficients(batch, 1);
    double[] c = coefficients(batch, 5);
    double[] d = coefficients(batch, 9);
    for (int b = 0; b < batch; b += 2) {
      d[b] = 0.0;
    }
    INDArray x = xLayout.of(shape, i -> (i % 29 - 14) / 4.0);
    INDArray y = yLayout.of(shape, i -> (i % 23 - 11) / 4.0);
    INDArray z =
        zLayout.of(shape, i -> d[(int) (i / per)] == 0.0 ? Double.NaN : (i % 19 - 9) / 4.0);
    INDArray xBefore = x.dup();
    INDArray yBefore = y.dup();

    INDArray scaled = PerSample.scale(a, x);
    INDArray filled = PerSample.fill(c, x);
    INDArray combined = PerSample.combine(a, x, c, y);
    INDArray combined3 = PerSample.combine(a, x, c, y, d, z);

    for (INDArray out : List.of(scaled, filled, combined, combined3)) {
      assertThat(out.shape()).containsExactly(shape);
      assertThat(out.dataType()).isEqualTo(DataType.DOUBLE);
    }
    NdIndexIterator it = new NdIndexIterator('c', shape);
    while (it.hasNext()) {
      long[] at = it.next();
      int b = (int) at[0];
      double xi = x.getDouble(at);
      double yi = y.getDouble(at);
      assertThat(scaled.getDouble(at)).isEqualTo(a[b] * xi);
      assertThat(filled.getDouble(at)).isEqualTo(c[b]);
      assertThat(combined.getDouble(at)).isEqualTo(a[b] * xi + c[b] * yi);
      double noise = d[b] == 0.0 ? 0.0 : d[b] * z.getDouble(at);
      assertThat(combined3.getDouble(at)).isEqualTo(a[b] * xi + c[b] * yi + noise);
    }
    assertThat(values(x)).as("x untouched").containsExactly(values(xBefore));
    assertThat(values(y)).as("y untouched").containsExactly(values(yBefore));
  }

  /** [B, …] with B in 1..4 and 0..3 trailing dimensions of 1..5 (length-1 dimensions included). */
  @Provide
  Arbitrary<long[]> shapes() {
    return Arbitraries.longs().between(1, 5).list().ofMaxSize(3).flatMap(trailing ->
        Arbitraries.longs().between(1, 4).map(batch -> {
          List<Long> dims = new ArrayList<>(trailing);
          dims.add(0, batch);
          return dims.stream().mapToLong(Long::longValue).toArray();
        }));
  }

  /** The layouts are what they claim (else the property could miss a case). */
  @Test
  void layoutsAreReadInPlaceOrCopiedAsIntended() {
    long[] shape = {3, 2, 4};
    INDArray slice = Layout.OFFSET_SLICE.of(shape, i -> i);
    assertThat(slice.offset()).isPositive();
    assertThat(PerSample.contiguous(slice)).isTrue();
    assertThat(PerSample.contiguous(Layout.C.of(shape, i -> i))).isTrue();
    assertThat(PerSample.contiguous(Layout.F.of(shape, i -> i))).isFalse();
    assertThat(PerSample.contiguous(Layout.STRIDED.of(shape, i -> i))).isFalse();
  }

  /** A length-1 dimension's stride never addresses a value, so it does not break contiguity. */
  @Test
  void aLengthOneDimensionWithAnyStrideIsStillContiguous() {
    INDArray x = Layout.C.of(new long[] {2, 3}, i -> i);
    INDArray unit = x.reshape('c', 2, 1, 3);
    INDArray oddStride = Nd4j.create(x.data(), new long[] {2, 1, 3}, new long[] {3, 7, 1}, 0, 'c');
    assertThat(PerSample.contiguous(unit)).isTrue();
    assertThat(PerSample.contiguous(oddStride)).isTrue();
    assertThat(values(PerSample.scale(new double[] {2, -1}, oddStride)))
        .containsExactly(0, 2, 4, -3, -4, -5);
  }

  /** On arbitrary doubles the layout changes nothing, to the last bit. */
  @Test
  void layoutDoesNotChangeAnyBitOnArbitraryDoubles() {
    long[] shape = {3, 2, 5, 7};
    PortableNoise noise = new PortableNoise(11L);
    INDArray x = noise.normal(shape);
    INDArray y = noise.normal(shape);
    double[] a = noise.normals(3);
    double[] c = noise.normals(3);
    INDArray xf = x.dup('f');
    INDArray yf = y.dup('f');
    assertThat(values(PerSample.combine(a, x, c, y)))
        .containsExactly(values(PerSample.combine(a, xf, c, yf)));
    assertThat(values(PerSample.scale(a, x))).containsExactly(values(PerSample.scale(a, xf)));
    assertThat(values(PerSample.fill(c, x))).containsExactly(values(PerSample.fill(c, xf)));
    assertThat(values(PerSample.combine(a, x, c, y, a, x)))
        .containsExactly(values(PerSample.combine(a, xf, c, yf, a, xf)));
  }

  @Test
  void outputIsFreshSoWritingItLeavesTheInputAlone() {
    INDArray x = Layout.C.of(new long[] {2, 3}, i -> i + 1);
    INDArray y = Layout.C.of(new long[] {2, 3}, i -> -i);
    for (INDArray out : List.of(PerSample.scale(new double[] {1, 1}, x),
        PerSample.combine(new double[] {1, 1}, x, new double[] {0, 0}, y),
        PerSample.fill(new double[] {1, 1}, x))) {
      out.assign(99);
    }
    assertThat(values(x)).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(values(y)).containsExactly(0, -1, -2, -3, -4, -5);
  }

  /**
   * PerSample reads its inputs through NIO views of their off-heap buffers, which do not keep the
   * arrays alive, while ND4J frees a buffer once the collector finds its array unreachable: an
   * input made only to be passed in (as a step's x̂_0 or ε̂ is), or the C-order copy of a strided
   * input, must stay alive until it has been read. Here another thread runs the collector and
   * allocates without pause while combine reads such temporaries; a freed buffer shows as values
   * overwritten by the allocator. A read without the guard went wrong in 27 of 20,000 rounds on a
   * loaded 2-core machine, so 5,000 rounds catch it with probability about 1 − e^−6.7; the test
   * stops at the first wrong value. Exact arithmetic (multiples of 1/4 and 1/8), so every value must
   * match its definition to the bit; a correct PerSample never fails this, whatever the timing.
   */
  @Test
  void inputsMadeOnlyToBePassedInStayAliveWhileTheCollectorRuns() throws InterruptedException {
    long[] shape = {2, 3, 4, 4};
    int n = 2 * 3 * 4 * 4;
    double[] xv = new double[n];
    double[] yv = new double[n];
    double[] zv = new double[n];
    for (int i = 0; i < n; i++) {
      xv[i] = (i % 29 - 14) / 4.0;
      yv[i] = (i % 23 - 11) / 4.0;
      zv[i] = (i % 19 - 9) / 4.0;
    }
    double[] a = coefficients(2, 1);
    double[] c = coefficients(2, 5);
    double[] d = coefficients(2, 9);
    double[] two = new double[n];
    double[] three = new double[n];
    for (int i = 0; i < n; i++) {
      int b = i / (n / 2);
      two[i] = a[b] * xv[i] + c[b] * yv[i];
      three[i] = a[b] * xv[i] + c[b] * yv[i] + d[b] * zv[i];
    }
    Thread collector = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        Nd4j.rand(DataType.DOUBLE, shape).muli(1000);
        System.gc();
      }
    });
    collector.setDaemon(true);
    collector.start();
    int wrong = 0;
    try {
      for (int k = 0; k < 5_000 && wrong == 0; k++) {
        double[] got2 = values(PerSample.combine(a, cOrder(shape, i -> xv[(int) i]), c,
            Layout.STRIDED.of(shape, i -> yv[(int) i])));
        double[] got3 = values(PerSample.combine(a, cOrder(shape, i -> xv[(int) i]), c,
            cOrder(shape, i -> yv[(int) i]), d, Layout.F.of(shape, i -> zv[(int) i])));
        if (!Arrays.equals(got2, two) || !Arrays.equals(got3, three)) {
          wrong++;
        }
      }
    } finally {
      collector.interrupt();
      collector.join();
    }
    assertThat(wrong).as("rounds that read a freed buffer").isZero();
  }

  @Test
  void aTensorOtherThanNonEmptyDoubleIsRejectedByName() {
    INDArray floats = Layout.C.of(new long[] {2, 2}, i -> i).castTo(DataType.FLOAT);
    INDArray doubles = Layout.C.of(new long[] {2, 2}, i -> i);
    double[] two = {1, 2};
    assertThatThrownBy(() -> PerSample.scale(two, floats))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("x must be a non-empty DOUBLE tensor, got FLOAT [2, 2]");
    assertThatThrownBy(() -> PerSample.combine(two, doubles, two, floats))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("y must be");
    assertThatThrownBy(() -> PerSample.fill(new double[0], Nd4j.create(DataType.DOUBLE, 0, 3)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("like must be");
  }

  @Test
  void aCoefficientCountOtherThanTheBatchIsRejectedByName() {
    INDArray x = Layout.C.of(new long[] {2, 3}, i -> i);
    double[] three = {1, 2, 3};
    double[] two = {1, 2};
    assertThatThrownBy(() -> PerSample.scale(three, x))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("c must hold")
        .hasMessageContaining("(2)").hasMessageContaining("3 coefficients");
    assertThatThrownBy(() -> PerSample.fill(null, x))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got null");
    assertThatThrownBy(() -> PerSample.combine(three, x, two, x))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a must hold");
    assertThatThrownBy(() -> PerSample.combine(two, x, two, x.reshape(2, 3, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("y must have the shape");
    assertThatThrownBy(() -> PerSample.combine(two, x, two, x, three, x))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("d must hold");
    assertThatThrownBy(() -> PerSample.combine(two, x, two, x, two, x.reshape(2, 3, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("z must have the shape");
  }

  /** The values in C order, whatever the layout. */
  private static double[] values(INDArray x) {
    return Nd4j.toFlattened('c', x).toDoubleVector();
  }

  private static INDArray cOrder(long[] shape, LongToDoubleFunction value) {
    long n = Arrays.stream(shape).reduce(1, Math::multiplyExact);
    double[] data = new double[Math.toIntExact(n)];
    for (int i = 0; i < data.length; i++) {
      data[i] = value.applyAsDouble(i);
    }
    return Nd4j.create(data, shape, 'c');
  }

  /** Distinct multiples of 1/8 in (−4, 4), different for each b and each {@code salt}. */
  private static double[] coefficients(int batch, int salt) {
    double[] out = new double[batch];
    for (int b = 0; b < batch; b++) {
      out[b] = ((b * 7 + salt * 3) % 61 - 30) / 8.0;
    }
    return out;
  }

  private static INDArrayIndex[] leading(int rank, INDArrayIndex first) {
    INDArrayIndex[] index = new INDArrayIndex[rank];
    Arrays.fill(index, NDArrayIndex.all());
    index[0] = first;
    return index;
  }
}
