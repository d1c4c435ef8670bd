package org.diffusiontck.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One reference method beside a plain double[] loop of the same formula, in the same run, on
 * tensors [B, C, H, W] of portable noise with one timestep per batch element (mixed over 1..T of
 * the linear schedule, T = 1000, unless a benchmark says otherwise). Both sides compute their per-element coefficients inside the
 * measured call and return a fresh array, as the reference does.
 *
 * <ul>
 *   <li>{@code reference}: the reference as a caller uses it; the output's off-heap buffer is freed
 *       when the garbage collector finds it dead.
 *   <li>{@code referenceReleased}: the same call, its output closed at once.
 *   <li>{@code plainLoop}: the yardstick.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(jvmArgsAppend = {"-Xmx1g", ReferenceVersusPlainLoop.MAX_PHYSICAL_BYTES})
public abstract class ReferenceVersusPlainLoop {
  /**
   * ND4J frees an array's off-heap buffer only once the garbage collector finds the array dead, and
   * the reference allocates little on the heap, so collections are rare and an [8, 3, 64, 64]
   * benchmark would grow the forked JVM by 786 KB per call, to gigabytes. Above this resident size
   * JavaCPP asks for a collection (and waits for it), which frees the dead outputs.
   */
  static final String MAX_PHYSICAL_BYTES = "-Dorg.bytedeco.javacpp.maxphysicalbytes=3g";

  /** Seed of the portable-noise streams of the inputs. */
  static final long SEED = 20240601L;

  /**
   * The largest |reference − plain| the set-up accepts. Both sides evaluate a·x + c·y (+ d·z) with
   * coefficients equal to a few ulps on inputs |x|, |y|, |z| ≲ 6 (standard normals) and |a|, |c|,
   * |d| ≤ 1, so they can differ by a few ulps of 6 (≈ 1e-15) at most. A step first forms x̂_0 =
   * p·x_t + q·ε̂, whose two terms reach 6/√ᾱ_t ≈ 500 at t = 937 (a few ulps: 1e-13), but x̂_0's
   * coefficient is then √ᾱ_{t−1} β_t/(1 − ᾱ_t) ≤ 3e-4 (DDPM), and at DDIM's t = 500 the terms
   * stay below 25: the step's values differ by about 1e-15 as well (1.8e-15 observed). 1e-12
   * allows that and still catches any wrong coefficient, timestep, index or batch element, which
   * moves values by orders of magnitude more (ᾱ_t put for ᾱ_{t−1} in a coefficient: 7e-5).
   */
  static final double AGREEMENT = 1e-12;

  @Param({"8x3x64x64", "1x4x64x64", "4x3x8x8"})
  public String shape;

  protected NoiseSchedule schedule;
  protected int[] t;
  /** Data x_0 and noise ε: portable noise streams 0 and 1, as tensors and as plain arrays. */
  protected INDArray x0;
  protected INDArray eps;
  protected double[] x0Plain;
  protected double[] epsPlain;

  @Setup
  public void setUp() {
    Tensors.useDoubles();
    schedule = Schedules.linear(1000);
    long[] dims = Arrays.stream(shape.split("x")).mapToLong(Long::parseLong).toArray();
    t = new int[(int) dims[0]];
    for (int b = 0; b < t.length; b++) {
      t[b] = 1 + (int) ((b + 0.5) * (schedule.T() - 1) / t.length);
    }
    x0 = new PortableNoise(SEED, 0).normal(dims);
    eps = new PortableNoise(SEED, 1).normal(dims);
    x0Plain = plain(x0);
    epsPlain = plain(eps);
    prepare();
    requireAgreement();
  }

  /** Frees the dead outputs of the iteration, outside the measured time. */
  @TearDown(Level.Iteration)
  public void collect() {
    System.gc();
  }

  @Benchmark
  public INDArray reference() {
    return byReference();
  }

  /**
   * The reference call whose caller frees the output at once, as a caller in a loop can (or an ND4J
   * workspace would): the next call then reuses memory whose pages are mapped already instead of
   * touching fresh ones, as the plain loop reuses the Java heap.
   */
  @Benchmark
  public void referenceReleased(Blackhole sink) {
    INDArray out = byReference();
    sink.consume(out);
    out.close();
  }

  @Benchmark
  public double[] plainLoop() {
    return byPlainLoop();
  }

  /** Makes what else the benchmark needs; the fields above are set already. */
  protected abstract void prepare();

  protected abstract INDArray byReference();

  protected abstract double[] byPlainLoop();

  /** The values of a tensor as a plain C-order double[]. */
  static double[] plain(INDArray x) {
    return x.dup('c').data().asDouble();
  }

  /** Fails the set-up unless the reference and the plain loop agree to {@link #AGREEMENT}. */
  private void requireAgreement() {
    double[] reference = plain(byReference());
    double[] plain = byPlainLoop();
    if (reference.length != plain.length) {
      throw new IllegalStateException(benchmark() + " " + shape + ": reference has "
          + reference.length + " values, plain loop " + plain.length);
    }
    double worst = 0;
    for (int i = 0; i < reference.length; i++) {
      worst = Math.max(worst, Math.abs(reference[i] - plain[i]));
    }
    if (!(worst <= AGREEMENT)) {
      throw new IllegalStateException(benchmark() + " " + shape
          + ": reference and plain loop differ by " + worst + " > " + AGREEMENT);
    }
    System.out.println("guard: " + benchmark() + " " + shape + ": reference and plain loop differ"
        + " by at most " + worst + " (OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + ")");
  }

  /** The benchmark class's name (JMH runs a generated subclass of it). */
  private String benchmark() {
    Class<?> c = getClass();
    while (c.getPackageName().endsWith("jmh_generated")) {
      c = c.getSuperclass();
    }
    return c.getSimpleName();
  }
}
