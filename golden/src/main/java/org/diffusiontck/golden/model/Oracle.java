package org.diffusiontck.golden.model;

import java.util.Arrays;
import java.util.Locale;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.oracle.ExactOracle;
import org.diffusiontck.reference.oracle.FiniteData;
import org.diffusiontck.reference.oracle.GaussianData;
import org.diffusiontck.reference.oracle.TinyImage;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reference's exact oracles as golden models, named {@code oracle:<name>}: models whose output
 * is the exact optimum for their data, so that a golden record made with one has a known right
 * answer. Their data are one-channel 8×8 images.
 */
public enum Oracle {
  /**
   * The five {@link TinyImage}s, equally likely ({@link FiniteData#tinyImages}). Every sampler must
   * land on one of the five images.
   */
  TINY_IMAGES(-1.0, 1.0) {
    @Override
    public ExactOracle model(NoiseSchedule schedule) {
      return FiniteData.tinyImages(schedule);
    }

    @Override
    public INDArray evaluationBatch(long seed) {
      INDArray data = TinyImage.dataSet();
      return onGrid(data.dup('c').data().asDouble(), data.shape());
    }
  },
  /**
   * Gaussian data N(μ, s²) with μ = ½·{@link TinyImage#CROSS} and s = {@value #GAUSSIAN_SD} in
   * every pixel ({@link GaussianData}): its probability-flow map is known in closed form. The data
   * range is μ ± 6s, [−2, 2].
   */
  GAUSSIAN(-2.0, 2.0) {
    @Override
    public ExactOracle model(NoiseSchedule schedule) {
      INDArray mu = TinyImage.CROSS.image().mul(0.5);
      return new GaussianData(schedule, mu, Nd4j.zeros(mu.shape()).addi(GAUSSIAN_SD));
    }

    /** 16 draws μ + s z, z from portable noise (seed, 0), put on the 8-bit grid in [−1, 1]. */
    @Override
    public INDArray evaluationBatch(long seed) {
      double[] mu = TinyImage.CROSS.image().mul(0.5).dup('c').data().asDouble();
      double[] x = new PortableNoise(seed, 0).normals(16 * mu.length);
      for (int i = 0; i < x.length; i++) {
        x[i] = Math.min(Math.max(mu[i % mu.length] + GAUSSIAN_SD * x[i], -1.0), 1.0);
      }
      return onGrid(x, new long[] {16, 1, TinyImage.SIZE, TinyImage.SIZE});
    }
  };

  /** The standard deviation s of {@link #GAUSSIAN}'s pixels. */
  public static final double GAUSSIAN_SD = 0.25;

  /** The prefix of an oracle's model name. */
  public static final String PREFIX = "oracle:";

  private final double lo;
  private final double hi;

  Oracle(double lo, double hi) {
    this.lo = lo;
    this.hi = hi;
  }

  /** The oracle for {@code schedule}. */
  public abstract ExactOracle model(NoiseSchedule schedule);

  /**
   * The evaluation batch of a record made with this oracle: data on the 8-bit grid of the bound's
   * decoder (Ho et al. 2020, eq. 13), [B, 1, 8, 8].
   */
  public abstract INDArray evaluationBatch(long seed);

  /** The range the oracle's data lies in, [lo, hi]. */
  public double[] dataRange() {
    return new double[] {lo, hi};
  }

  /** The shape of one data point, [1, 8, 8]. */
  public long[] sampleShape() {
    return new long[] {1, TinyImage.SIZE, TinyImage.SIZE};
  }

  /** The model name, {@code oracle:tiny-images} or {@code oracle:gaussian}. */
  public String spec() {
    return PREFIX + name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The oracle named by {@code spec} ({@code oracle:…}). */
  public static Oracle of(String spec) {
    for (Oracle o : values()) {
      if (o.spec().equals(spec)) {
        return o;
      }
    }
    throw new IllegalArgumentException("model " + spec + " is not an oracle; the oracles are "
        + Arrays.stream(values()).map(Oracle::spec).toList());
  }

  /** The values {@code v} (in C order) rounded to the nearest level of the 8-bit grid k/127.5 − 1. */
  static INDArray onGrid(double[] v, long[] shape) {
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.rint((v[i] + 1.0) * 127.5) / 127.5 - 1.0;
    }
    return Nd4j.create(v, shape, 'c');
  }
}
