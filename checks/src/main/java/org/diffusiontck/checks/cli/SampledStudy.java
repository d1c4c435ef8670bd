package org.diffusiontck.checks.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.sampling.NoisePredictor;
import org.diffusiontck.reference.sampling.Spacing;
import org.diffusiontck.reference.sampling.StepNoise;
import org.diffusiontck.reference.sampling.Timesteps;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The steps study with samples, for models whose output law is not in closed form (the
 * finite-set oracle, a trained checkpoint). Every sampler starts from the same B seeds: x_T =
 * PortableNoise(seed, stream 0).normal(B, …), and its steps draw from stream 1. The reference set
 * is DDPM with the small variance over all T steps; a replica of it with the steps' noise from
 * stream 2 (same x_T) gives the Monte Carlo floor of the distance.
 *
 * <p>Distance to the reference set: the 2-Wasserstein distance between the per-pixel Gaussian fits
 * of the two sets, per dimension, FD = √(mean_i [(m_i − m'_i)² + (sd_i − sd'_i)²]) (a diagonal
 * Fréchet distance on pixels), with its Monte Carlo error as the bootstrap standard error over the
 * seeds (200 resamples of the B seeds, each pair of samples kept together, generator seeded with
 * the study's seed). With a training set, the fraction of samples whose root-mean-square distance
 * to the nearest training point is at most r, with its 95 % Wilson interval, and Pearson's χ²
 * test of how often each training point is the nearest against equal probabilities (the data's,
 * for an equally likely set).
 */
public final class SampledStudy {
  /** The number of bootstrap resamples. */
  public static final int BOOTSTRAP = 200;

  /** The stream of the reference set's step noise in the replica. */
  static final long REPLICA_STREAM = 2;

  /**
   * One row.
   *
   * @param sampler the sampler's label; "ddpm:small" and "ddpm:small-replica" for the references
   * @param steps N
   * @param fd the diagonal Fréchet distance per dimension to the reference set
   * @param fdError its bootstrap standard error
   * @param hit the fraction of samples within r of a training point (NaN without a training set)
   * @param hitLow the lower end of its 95 % Wilson interval
   * @param hitHigh the upper end
   * @param nearest the mean RMS distance to the nearest training point (NaN without a set)
   * @param pointsP the p-value of Pearson's χ² test of the counts of nearest training points
   *     against equal probabilities (NaN without a set)
   */
  public record Row(String sampler, int steps, double fd, double fdError, double hit,
      double hitLow, double hitHigh, double nearest, double pointsP) {}

  /** The CSV columns. */
  public static final List<String> COLUMNS = List.of("sampler", "steps", "evaluations", "fd",
      "fd_error", "hit", "hit_low", "hit_high", "nearest_rms", "points_p");

  private SampledStudy() {}

  /**
   * Runs every sampler at every N, and the two reference sets.
   *
   * @param shape the shape of one sample
   * @param training the training points as rows of D values, or null
   * @param radius r, the RMS distance that counts as landing on a training point
   */
  public static List<Row> rows(NoisePredictor model, NoiseSchedule schedule, long[] shape,
      Spacing spacing, List<StudySampler> samplers, List<Integer> steps, int batch, long seed,
      double[][] training, double radius, Consumer<String> progress) {
    long[] full = new long[shape.length + 1];
    full[0] = batch;
    System.arraycopy(shape, 0, full, 1, shape.length);
    INDArray xT = new PortableNoise(seed, 0).normal(full);
    int T = schedule.T();
    StudySampler ddpm = StudySampler.parse(StepsStudy.DDPM_ALL);
    double[][] reference = sample(ddpm, model, schedule, Timesteps.all(T), xT, seed, 1);
    double[][] replica = sample(ddpm, model, schedule, Timesteps.all(T), xT, seed,
        REPLICA_STREAM);
    progress.accept("tck study: the reference sets, DDPM over all " + T + " steps, twice");
    List<Row> rows = new ArrayList<>();
    rows.add(row(StepsStudy.DDPM_ALL, T, reference, reference, training, radius, seed));
    rows.add(row(StepsStudy.DDPM_ALL + "-replica", T, replica, reference, training, radius,
        seed));
    int done = 0;
    for (StudySampler sampler : samplers) {
      for (int N : steps) {
        double[][] x = sample(sampler, model, schedule, Timesteps.select(spacing, T, N, 0), xT,
            seed, 1);
        rows.add(row(sampler.label(), N, x, reference, training, radius, seed));
        done++;
        progress.accept(String.format(Locale.ROOT, "tck study: %d/%d %s N = %d", done,
            samplers.size() * steps.size(), sampler.label(), N));
      }
    }
    return rows;
  }

  /** The CSV table, numbers as Double.toString writes them. */
  public static String csv(List<Row> rows) {
    StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append('\n');
    for (Row r : rows) {
      out.append(r.sampler()).append(',').append(r.steps()).append(',').append(r.steps());
      for (double v : new double[] {r.fd(), r.fdError(), r.hit(), r.hitLow(), r.hitHigh(),
          r.nearest(), r.pointsP()}) {
        out.append(',').append(v);
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static double[][] sample(StudySampler sampler, NoisePredictor model,
      NoiseSchedule schedule, Timesteps timesteps, INDArray xT, long seed, long stream) {
    INDArray x = sampler.sampler(schedule, timesteps).sample(model, xT,
        StepNoise.from(new PortableNoise(seed, stream)));
    return Nd4j.toFlattened('c', x).reshape(x.size(0), x.length() / x.size(0))
        .toDoubleMatrix();
  }

  private static Row row(String label, int N, double[][] x, double[][] reference,
      double[][] training, double radius, long seed) {
    int B = x.length;
    double fd = fd(x, reference, identity(B));
    SplittableRandom random = new SplittableRandom(seed);
    double sum = 0;
    double squares = 0;
    for (int r = 0; r < BOOTSTRAP; r++) {
      int[] pick = new int[B];
      for (int b = 0; b < B; b++) {
        pick[b] = random.nextInt(B);
      }
      double v = fd(x, reference, pick);
      sum += v;
      squares += v * v;
    }
    double mean = sum / BOOTSTRAP;
    double error = Math.sqrt(Math.max(squares / BOOTSTRAP - mean * mean, 0)
        * BOOTSTRAP / (BOOTSTRAP - 1));
    if (training == null) {
      return new Row(label, N, fd, error, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          Double.NaN);
    }
    int hits = 0;
    double nearestSum = 0;
    long[] counts = new long[training.length];
    for (double[] sample : x) {
      double nearest = Double.POSITIVE_INFINITY;
      int which = 0;
      for (int k = 0; k < training.length; k++) {
        double d = 0;
        for (int i = 0; i < training[k].length; i++) {
          d += (sample[i] - training[k][i]) * (sample[i] - training[k][i]);
        }
        if (Math.sqrt(d / training[k].length) < nearest) {
          nearest = Math.sqrt(d / training[k].length);
          which = k;
        }
      }
      counts[which]++;
      nearestSum += nearest;
      hits += nearest <= radius ? 1 : 0;
    }
    double[] wilson = wilson(hits, B);
    return new Row(label, N, fd, error, (double) hits / B, wilson[0], wilson[1],
        nearestSum / B, ChiSquareTest.withDefaults().test(counts).getPValue());
  }

  /** FD between the sets x[pick] and reference[pick] (pairs kept together). */
  private static double fd(double[][] x, double[][] reference, int[] pick) {
    int D = x[0].length;
    double total = 0;
    for (int i = 0; i < D; i++) {
      double[] a = moments(x, pick, i);
      double[] b = moments(reference, pick, i);
      total += (a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]);
    }
    return Math.sqrt(total / D);
  }

  /** Mean and population standard deviation of column i over the picked rows. */
  private static double[] moments(double[][] x, int[] pick, int i) {
    double m = 0;
    for (int b : pick) {
      m += x[b][i];
    }
    m /= pick.length;
    double v = 0;
    for (int b : pick) {
      v += (x[b][i] - m) * (x[b][i] - m);
    }
    return new double[] {m, Math.sqrt(v / pick.length)};
  }

  /** The 95 % Wilson score interval of k successes in n (z = 1.959964). */
  static double[] wilson(int k, int n) {
    double z = 1.959963984540054;
    double p = (double) k / n;
    double centre = (p + z * z / (2.0 * n)) / (1 + z * z / n);
    double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / (1 + z * z / n);
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }

  private static int[] identity(int n) {
    int[] out = new int[n];
    for (int b = 0; b < n; b++) {
      out[b] = b;
    }
    return out;
  }
}
