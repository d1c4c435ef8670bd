package org.diffusiontck.reference.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.dfp.Dfp;
import org.apache.commons.math3.dfp.DfpField;
import org.apache.commons.math3.dfp.DfpMath;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.param.Prediction;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class FiniteDataTest {
  private static final NoiseSchedule LINEAR = Schedules.linear(1000);

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  /** x_t = √ᾱ_t y + √(1 − ᾱ_t) ε for one batch element per row of y and eps. */
  private static INDArray noised(INDArray y, int[] t, INDArray eps) {
    INDArray xt = y.dup();
    for (int b = 0; b < t.length; b++) {
      INDArray row = xt.get(NDArrayIndex.point(b));
      row.muli(Math.sqrt(LINEAR.alphaBar(t[b])))
          .addi(eps.get(NDArrayIndex.point(b)).mul(Math.sqrt(LINEAR.oneMinusAlphaBar(t[b]))));
    }
    return xt;
  }

  /**
   * ε* and the weights against Bayes' rule in 40-digit {@link Dfp} arithmetic, written without
   * log-sum-exp and by another route: p(x_t | k) = (2π(1 − a))^{−D/2} exp(−‖x_t − √a y_k‖² /
   * (2(1 − a))) in full, P(k | x_t) = π_k p(x_t | k) / Σ_j π_j p(x_t | j), and E[ε | x_t] = Σ_k
   * P(k | x_t) E[ε | x_t, k] with E[ε | x_t, k] = (x_t − √a y_k)/√(1 − a). Three points in D = 4,
   * weights 1 : 2 : 3, t ∈ {100, 400, 800}, x_t near each point and between them.
   *
   * <p>Tolerance 2e-12: here the logits are at most 100 in magnitude, so their rounding (≤ 100 ·
   * 4u ≈ 1e-13 absolute) becomes ≤ 1e-13 relative error in the weights; E[x_0 | x_t] then errs by
   * ≤ 1e-13 · max|y| ≤ 4e-13 and dividing by √(1 − ᾱ_t) ≥ 0.3 gives ≤ 1.5e-12.
   */
  @Test
  void matchesBayesRuleInHighPrecision() {
    INDArray y = new PortableNoise(21).normal(3, 4);
    double[] weights = {1.0, 2.0, 3.0};
    FiniteData oracle = new FiniteData(LINEAR, y, weights);
    int[] steps = {100, 400, 800};
    PortableNoise noise = new PortableNoise(22);
    DfpField field = new DfpField(40);
    for (int t : steps) {
      int[] tt = {t, t, t, t, t, t};
      INDArray centres = Nd4j.vstack(y, y.get(NDArrayIndex.interval(0, 2)).add(y.get(
          NDArrayIndex.interval(1, 3))).muli(0.5), y.get(NDArrayIndex.point(0)).reshape(1, 4));
      INDArray xt = noised(centres, tt, noise.normal(6, 4));
      INDArray eps = oracle.predict(xt, tt);
      INDArray w = oracle.weights(xt, tt);
      Dfp a = field.newDfp(LINEAR.alphaBar(t));
      Dfp oneMinusA = field.newDfp(LINEAR.oneMinusAlphaBar(t));
      Dfp sqrtA = a.sqrt();
      Dfp sigma = oneMinusA.sqrt();
      Dfp twoPiVariance = field.getPi().multiply(2).multiply(oneMinusA);
      Dfp norm = field.getOne().divide(twoPiVariance.multiply(twoPiVariance));
      for (int b = 0; b < 6; b++) {
        Dfp[] joint = new Dfp[3];
        Dfp evidence = field.getZero();
        for (int k = 0; k < 3; k++) {
          Dfp squared = field.getZero();
          for (int i = 0; i < 4; i++) {
            Dfp d = field.newDfp(xt.getDouble(b, i)).subtract(sqrtA.multiply(y.getDouble(k, i)));
            squared = squared.add(d.multiply(d));
          }
          Dfp prior = field.newDfp(weights[k]).divide(6);
          joint[k] = prior.multiply(norm)
              .multiply(DfpMath.exp(squared.negate().divide(oneMinusA.multiply(2))));
          evidence = evidence.add(joint[k]);
        }
        for (int i = 0; i < 4; i++) {
          Dfp expected = field.getZero();
          for (int k = 0; k < 3; k++) {
            Dfp epsK = field.newDfp(xt.getDouble(b, i))
                .subtract(sqrtA.multiply(y.getDouble(k, i))).divide(sigma);
            expected = expected.add(joint[k].divide(evidence).multiply(epsK));
          }
          assertThat(eps.getDouble(b, i)).as("t=%d b=%d i=%d", t, b, i)
              .isCloseTo(expected.toDouble(), within(2e-12));
        }
        for (int k = 0; k < 3; k++) {
          assertThat(w.getDouble(b, k)).isCloseTo(joint[k].divide(evidence).toDouble(),
              within(2e-13));
        }
      }
    }
  }

  /**
   * Points far apart at t = 1 (1 − ᾱ_1 = 1e-4): x_t = 0.5 in every coordinate, y_1 = 0 and y_2 =
   * 10. The logits are −5000 and about −2e6, so the naive exp underflows to 0 for both and the
   * plain ratio is 0/0; the oracle gives the one-hot weights (1, 0) and ε* = 0.5/√(1e-4) = 50 in
   * every coordinate. Tolerance: a few roundings of 50 → 1e-12.
   */
  @Test
  void staysFiniteWhereNaiveExpUnderflows() {
    INDArray y = Nd4j.createFromArray(new double[][] {{0, 0, 0, 0}, {10, 10, 10, 10}});
    FiniteData oracle = new FiniteData(LINEAR, y);
    INDArray xt = Nd4j.createFromArray(new double[][] {{0.5, 0.5, 0.5, 0.5}});
    double naive = Math.exp(-4 * 0.25 / (2 * LINEAR.oneMinusAlphaBar(1)));
    assertThat(naive / (naive + 0.0)).as("the naive route").isNaN();
    assertThat(oracle.weights(xt, new int[] {1}).toDoubleVector()).containsExactly(1.0, 0.0);
    double expected = 0.5 / Math.sqrt(LINEAR.oneMinusAlphaBar(1));
    for (double e : oracle.predict(xt, new int[] {1}).toDoubleVector()) {
      assertThat(e).isCloseTo(expected, within(1e-12));
    }
  }

  /**
   * On the built-in images at t = 1 the posterior is one-hot on the image that was noised, and ε*
   * recovers the noise that made x_t. Tolerance: ε* = (x_t − √a y)/√(1 − a) with |x_t| ≤ 6 and
   * √(1 − a) = 0.01 loses a few ulps of 600 → 1e-12.
   */
  @Test
  void recoversTheNoiseOfTinyImagesAtTheFirstStep() {
    FiniteData oracle = FiniteData.tinyImages(LINEAR);
    INDArray images = TinyImage.dataSet();
    int[] t = {1, 1, 1, 1, 1};
    INDArray noise = new PortableNoise(23).normal(5, 1, 8, 8);
    INDArray xt = noised(images, t, noise);
    INDArray w = oracle.weights(xt, t);
    assertThat(w.equals(Nd4j.eye(5))).isTrue();
    INDArray eps = oracle.predict(xt, t);
    assertThat(eps.shape()).containsExactly(5, 1, 8, 8);
    assertThat(eps.sub(noise).amaxNumber().doubleValue()).isLessThan(1e-12);
  }

  /**
   * The weights are a probability vector: in [0, 1], summing to 1 within K = 5 terms of a few
   * ulps each (≤ 5 · 3u ≈ 1.7e-15 → 1e-14), across t from 1 to T.
   */
  @Test
  void weightsSumToOne() {
    FiniteData oracle = FiniteData.tinyImages(LINEAR);
    int[] t = {1, 10, 100, 300, 600, 1000};
    INDArray xt = new PortableNoise(24).normal(6, 1, 8, 8);
    INDArray w = oracle.weights(xt, t);
    assertThat(w.shape()).containsExactly(6, 5);
    for (int b = 0; b < 6; b++) {
      double sum = 0.0;
      for (int k = 0; k < 5; k++) {
        assertThat(w.getDouble(b, k)).isBetween(0.0, 1.0);
        sum += w.getDouble(b, k);
      }
      assertThat(sum).isCloseTo(1.0, within(1e-14));
    }
  }

  /** Two points ±v and x_t = 0: equal distances, so weights (½, ½), E[x_0 | x_t] = 0, ε* = 0. */
  @Test
  void symmetricPointsShareTheWeight() {
    FiniteData oracle = new FiniteData(LINEAR,
        Nd4j.createFromArray(new double[][] {{0.3, -0.7, 1.1}, {-0.3, 0.7, -1.1}}));
    INDArray xt = Nd4j.zeros(1, 3);
    assertThat(oracle.weights(xt, new int[] {200}).toDoubleVector()).containsExactly(0.5, 0.5);
    assertThat(oracle.x0Mean(xt, new int[] {200}).toDoubleVector()).containsExactly(0, 0, 0);
    assertThat(oracle.predict(xt, new int[] {200}).toDoubleVector()).containsExactly(0, 0, 0);
  }

  /**
   * Zero terminal SNR: at T every distance is ‖x_T‖², so the weights are the prior π (within the
   * rounding of log π and exp: 1e-15) and ε* = x_T exactly ((x − 0 · x̂_0)/1).
   */
  @Test
  void zeroTerminalSnrGivesThePriorAndTheInput() {
    FiniteData oracle = new FiniteData(Schedules.zeroTerminalSnr(LINEAR),
        new PortableNoise(25).normal(4, 3), new double[] {1, 1, 2, 4});
    INDArray xt = new PortableNoise(26).normal(2, 3);
    int[] t = {1000, 1000};
    INDArray w = oracle.weights(xt, t);
    double[] pi = {0.125, 0.125, 0.25, 0.5};
    for (int b = 0; b < 2; b++) {
      for (int k = 0; k < 4; k++) {
        assertThat(w.getDouble(b, k)).isCloseTo(pi[k], within(1e-15));
      }
    }
    assertThat(oracle.predict(xt, t)).isEqualTo(xt);
  }

  /**
   * A zero weight removes its point: with weights (0, 1) the posterior is one-hot on the second
   * point whatever x_t, so the oracle is the one-point oracle of that point.
   */
  @Test
  void zeroWeightRemovesItsPoint() {
    INDArray y = new PortableNoise(27).normal(2, 3);
    FiniteData weighted = new FiniteData(LINEAR, y, new double[] {0.0, 1.0});
    FiniteData single = new FiniteData(LINEAR, y.get(NDArrayIndex.interval(1, 2)));
    INDArray xt = noised(y.get(NDArrayIndex.interval(0, 1)), new int[] {50},
        new PortableNoise(28).normal(1, 3));
    assertThat(weighted.weights(xt, new int[] {50}).toDoubleVector()).containsExactly(0.0, 1.0);
    assertThat(weighted.predict(xt, new int[] {50})).isEqualTo(single.predict(xt, new int[] {50}));
  }

  /**
   * One point y_1 is the Gaussian with μ = y_1 and s = 0: the two oracles agree. E[x_0 | x_t] is
   * exactly y_1 in both; ε* is computed as √(1 − a)(x − √a μ)/(1 − a) against (x − √a y)/√(1 − a),
   * which differ by a few ulps of (|x| + |y|)/√(1 − a) ≤ 1e3 (√(1 − ᾱ_1) = 0.01) → 1e-12.
   */
  @Test
  void onePointAgreesWithTheGaussianOfZeroWidth() {
    INDArray y1 = new PortableNoise(29).normal(1, 2, 3);
    FiniteData finite = new FiniteData(LINEAR, y1);
    GaussianData gaussian = new GaussianData(LINEAR, y1.reshape(2, 3), Nd4j.zeros(2, 3));
    int[] t = {1, 10, 500, 1000};
    INDArray xt = new PortableNoise(30).normal(4, 2, 3);
    assertThat(finite.x0Mean(xt, t)).isEqualTo(gaussian.x0Mean(xt, t));
    assertThat(finite.predict(xt, t).sub(gaussian.predict(xt, t)).amaxNumber().doubleValue())
        .isLessThan(1e-12);
  }

  /** A batch with a timestep per element gives what each element gives alone; input untouched. */
  @Test
  void batchedTimestepsMatchOneAtATime() {
    FiniteData oracle = FiniteData.tinyImages(LINEAR);
    assertThat(oracle.prediction()).isEqualTo(Prediction.EPSILON);
    int[] t = {3, 250, 999};
    INDArray xt = new PortableNoise(31).normal(3, 1, 8, 8);
    INDArray copy = xt.dup();
    INDArray eps = oracle.predict(xt, t);
    for (int b = 0; b < 3; b++) {
      INDArray alone = oracle.predict(xt.get(NDArrayIndex.interval(b, b + 1)), new int[] {t[b]});
      assertThat(alone).isEqualTo(eps.get(NDArrayIndex.interval(b, b + 1)));
    }
    assertThat(xt).isEqualTo(copy);
  }

  @Test
  void badInputsAreRejectedNamingTheParameter() {
    FiniteData oracle = FiniteData.tinyImages(LINEAR);
    INDArray xt = Nd4j.zeros(2, 1, 8, 8);
    assertThatThrownBy(() -> oracle.predict(xt, new int[] {0, 5}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t must be in 1..1000")
        .hasMessageContaining("t = 0");
    assertThatThrownBy(() -> oracle.weights(xt, new int[] {5, 1001}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1001");
    assertThatThrownBy(() -> oracle.predict(Nd4j.zeros(2, 8, 8), new int[] {5, 5}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("xt")
        .hasMessageContaining("[2, 8, 8]");
    assertThatThrownBy(() -> oracle.x0Mean(xt, new int[] {5}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t must hold");
    INDArray points = Nd4j.zeros(3, 2);
    assertThatThrownBy(() -> new FiniteData(LINEAR, points, new double[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one weight per point");
    assertThatThrownBy(() -> new FiniteData(LINEAR, points, new double[] {1, -1, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weights 1");
    assertThatThrownBy(() -> new FiniteData(LINEAR, points, new double[] {0, 0, 0}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sum of the weights");
    assertThatThrownBy(() -> new FiniteData(LINEAR, Nd4j.createFromArray(new double[][] {
        {0, 1}, {Double.NaN, 0}})))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("points batch element 1");
    assertThatThrownBy(() -> new FiniteData(LINEAR, Nd4j.createFromArray(1.0, 2.0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one dimension");
  }
}
