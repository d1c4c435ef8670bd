package org.diffusiontck.reference.elbo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.diffusiontck.reference.elbo.Fixtures.tensor;

import java.util.Arrays;
import java.util.Random;
import java.util.function.BiFunction;
import org.apache.commons.math3.special.Erf;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.param.Prediction;
import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.reverse.VarianceChoice;
import org.diffusiontck.reference.sampling.NoisePredictor;
import org.diffusiontck.reference.sampling.VariancePredictor;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The whole bound L_T + Σ_{t=2}^{T} L_{t−1} + L_0 for hand-made models, term by term. */
class WholeBoundTest {
  /** Cosine schedule, T = 10: β_1 ≈ 0.028, β̃_t ≥ 0.02 for t ≥ 2, ᾱ_T ≈ 2.4e-5. */
  private static final NoiseSchedule SCHEDULE = Schedules.cosine(10);
  private static final int T = 10;
  private static final long[] SHAPE = {2, 3, 2, 2};
  private static final int D = 12;

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  /** 8-bit data with both edge levels present in each batch element. */
  private static INDArray data(Random random) {
    INDArray x0 = Fixtures.gridData(random, SHAPE);
    x0.putScalar(new long[] {0, 0, 0, 0}, 1.0);
    x0.putScalar(new long[] {1, 2, 1, 1}, -1.0);
    x0.putScalar(new long[] {0, 1, 1, 0}, -1.0);
    x0.putScalar(new long[] {1, 0, 0, 1}, 1.0);
    return x0;
  }

  /** Data x_0 and the noise ε_1..ε_T, from one seed. */
  private record Draw(INDArray x0, INDArray[] eps) {
    static Draw of(long seed) {
      Random random = new Random(seed);
      INDArray x0 = data(random);
      INDArray[] eps = new INDArray[T];
      for (int t = 1; t <= T; t++) {
        eps[t - 1] = Fixtures.gaussian(random, SHAPE);
      }
      return new Draw(x0, eps);
    }
  }

  /** The model ε_θ = 0. */
  private static final NoisePredictor ZERO = model(Prediction.EPSILON, (xt, t) -> xt.like());

  /** σ_1² = β̃_2 = (1 − ᾱ_1)/(1 − ᾱ_2) β_2, the default t = 1 convention. */
  private static double betaTilde2() {
    return SCHEDULE.oneMinusAlphaBar(1) / SCHEDULE.oneMinusAlphaBar(2) * SCHEDULE.beta(2);
  }

  private static NoisePredictor model(Prediction prediction,
      BiFunction<INDArray, int[], INDArray> output) {
    return new NoisePredictor() {
      @Override
      public Prediction prediction() {
        return prediction;
      }

      @Override
      public INDArray predict(INDArray xt, int[] t) {
        return output.apply(xt, t);
      }
    };
  }

  private static VariationalBound bound(VarianceChoice choice) {
    return new VariationalBound(SCHEDULE, choice, T1LogVariance.CLIP_TO_BETA_TILDE_2,
        NormalCdf.EXACT);
  }

  /** KL(N(√ᾱ_T x_0, 1 − ᾱ_T) ‖ N(0, 1)) = ½ Σ (v + m² − 1 − log v), the textbook form. */
  private static double[] handPrior(INDArray x0) {
    double a = SCHEDULE.alphaBar(T);
    double v = SCHEDULE.oneMinusAlphaBar(T);
    double[] out = new double[2];
    for (int b = 0; b < 2; b++) {
      for (double x : x0.slice(b).dup().data().asDouble()) {
        out[b] += 0.5 * (v + a * x * x - 1 - Math.log(v));
      }
    }
    return out;
  }

  /**
   * The model ε_θ = 0. Expected terms by independent routes: L_{t−1} = w_t ‖ε_t‖² with w_t = β_t /
   * (2 α_t (1 − ᾱ_{t−1})), Ho et al.'s eq. 12 simplified by hand for σ_t² = β̃_t; L_0 from the
   * quadrature of N(x̂_0, β̃_2) over each data value's bin, x̂_0 = x_1/√ᾱ_1, x_1 = √ᾱ_1 x_0 + √(1 −
   * ᾱ_1) ε_1; L_T by the textbook KL. Tolerances: a step term is a sum of D KLs each within ~1e-14
   * (SimpleLossTest), 1e-12·(D + |L|); a decoder log-mass within 1e-12 per coordinate.
   */
  @Test
  void zeroModelTermsMatchIndependentRoutes() {
    Draw draw = Draw.of(2006_11239L);
    INDArray x0 = draw.x0();
    INDArray[] eps = draw.eps();
    BoundTerms terms = bound(VarianceChoice.FIXED_SMALL).terms(x0, ZERO, eps);

    assertThat(terms.T()).isEqualTo(T);
    assertThat(terms.dimensions()).isEqualTo(D);
    double[] prior = handPrior(x0);
    double[] total = prior.clone();
    for (int b = 0; b < 2; b++) {
      assertThat(terms.prior()[b]).isCloseTo(prior[b], within(1e-14 * D));
    }
    for (int t = 2; t <= T; t++) {
      double w = SCHEDULE.beta(t) / (2 * SCHEDULE.alpha(t) * SCHEDULE.oneMinusAlphaBar(t - 1));
      for (int b = 0; b < 2; b++) {
        double norm = eps[t - 1].slice(b).dup().norm2Number().doubleValue();
        double expected = w * norm * norm;
        assertThat(terms.term(t)[b]).as("t = %d, element %d", t, b)
            .isCloseTo(expected, within(1e-12 * (D + expected)));
        total[b] += expected;
      }
    }
    double a1 = SCHEDULE.alphaBar(1);
    double sigma1 = Math.sqrt(betaTilde2());
    for (int b = 0; b < 2; b++) {
      double[] x = x0.slice(b).dup().data().asDouble();
      double[] e = eps[0].slice(b).dup().data().asDouble();
      double expected = 0;
      for (int i = 0; i < D; i++) {
        double x0Hat = (Math.sqrt(a1) * x[i] + Math.sqrt(1 - a1) * e[i]) / Math.sqrt(a1);
        double lower = x[i] == -1.0 ? Double.NEGATIVE_INFINITY : x[i] - 1.0 / 255;
        double upper = x[i] == 1.0 ? Double.POSITIVE_INFINITY : x[i] + 1.0 / 255;
        double mass = Fixtures.gaussianMass(lower, upper, x0Hat, sigma1);
        expected -= Math.log(Math.max(mass, DiscretizedGaussian.PROBABILITY_FLOOR));
      }
      assertThat(terms.decoder()[b]).as("L_0, element %d", b)
          .isCloseTo(expected, within(1e-12 * D));
      total[b] += expected;
      assertThat(terms.nats()[b]).isCloseTo(total[b], within(1e-11 * (D + total[b])));
      assertThat(terms.bitsPerDimension()[b])
          .isCloseTo(total[b] / (D * Math.log(2)), within(1e-11 * (1 + total[b])));
    }
  }

  /**
   * A one-point data set: the exact model knows x_0, and returns it as x_0, as ε = (x_t − √ᾱ_t
   * x_0)/√(1 − ᾱ_t) or as v = √ᾱ_t ε − √(1 − ᾱ_t) x_0 (computed here from the schedule's tables).
   * Then x̂_0 = x_0 up to rounding, every L_{t−1} vanishes for σ_t² = β̃_t (the mean difference,
   * ~1e-15, squared over β̃_t ≥ 0.02: below 1e-20 summed), and L_0 = −Σ log p with p = erf(h/(σ√2))
   * inside and ½(1 + erf(h/(σ√2))) at the edges, h = 1/255, σ² = β̃_2 (rounding of the bin edges:
   * 3e-13 per coordinate, see VariationalBoundTest). The bound is L_T + L_0.
   */
  @Test
  void exactModelOfAOnePointDataSetLeavesPriorAndDecoder() {
    Draw draw = Draw.of(42L);
    INDArray x0 = draw.x0();
    NoisePredictor[] models = {
      model(Prediction.X0, (xt, t) -> x0.dup()),
      model(Prediction.EPSILON, (xt, t) -> trueEps(xt, t, x0)),
      model(Prediction.V, (xt, t) -> {
        double a = SCHEDULE.alphaBar(t[0]);
        return trueEps(xt, t, x0).muli(Math.sqrt(a)).subi(x0.mul(Math.sqrt(1 - a)));
      }),
    };
    double sigma1 = Math.sqrt(betaTilde2());
    double inside = Erf.erf(1.0 / 255 / (sigma1 * Math.sqrt(2)));
    double[] prior = handPrior(x0);
    for (NoisePredictor model : models) {
      BoundTerms terms = bound(VarianceChoice.FIXED_SMALL).terms(x0, model, draw.eps());
      for (int b = 0; b < 2; b++) {
        for (int t = 2; t <= T; t++) {
          assertThat(terms.term(t)[b]).as("%s, t = %d", model.prediction(), t)
              .isBetween(0.0, 1e-20);
        }
        double decoder = 0;
        for (double x : x0.slice(b).dup().data().asDouble()) {
          decoder -= Math.abs(x) == 1.0 ? Math.log(0.5 * (1 + inside)) : Math.log(inside);
        }
        assertThat(terms.decoder()[b]).isCloseTo(decoder, within(3e-13 * D));
        assertThat(terms.nats()[b]).isCloseTo(prior[b] + decoder, within(3e-13 * D));
      }
    }
  }

  /** ε = (x_t − √ᾱ_t x_0)/√(1 − ᾱ_t) for a batch at one t. */
  private static INDArray trueEps(INDArray xt, int[] t, INDArray x0) {
    double a = SCHEDULE.alphaBar(t[0]);
    return xt.sub(x0.mul(Math.sqrt(a))).divi(Math.sqrt(1 - a));
  }

  /**
   * Learned variances reproduce the fixed ones when they output them: LEARNED_RANGE with u = −1 is
   * FIXED_SMALL at every t (the interpolation's lower end), and LEARNED_LOG_VARIANCE outputting log
   * β_t for t ≥ 2 and log β̃_2 at t = 1 is FIXED_LARGE as Ho et al.'s code defines it. Same
   * operations up to the interpolation's rounding: 1e-13 relative.
   */
  @Test
  void learnedVariancesThatOutputTheFixedOnesGiveTheFixedBound() {
    Draw draw = Draw.of(7L);
    BiFunction<INDArray, int[], INDArray> range = (xt, t) -> xt.like().addi(-1.0);
    BiFunction<INDArray, int[], INDArray> logBeta = (xt, t) ->
        xt.like().addi(Math.log(t[0] == 1 ? betaTilde2() : SCHEDULE.beta(t[0])));
    assertSameTerms(bound(VarianceChoice.LEARNED_RANGE).terms(draw.x0(), learned(ZERO, range), draw.eps()),
        bound(VarianceChoice.FIXED_SMALL).terms(draw.x0(), ZERO, draw.eps()));
    assertSameTerms(
        bound(VarianceChoice.LEARNED_LOG_VARIANCE).terms(draw.x0(), learned(ZERO, logBeta), draw.eps()),
        bound(VarianceChoice.FIXED_LARGE).terms(draw.x0(), ZERO, draw.eps()));
  }

  private static void assertSameTerms(BoundTerms actual, BoundTerms expected) {
    for (int t = 1; t <= T; t++) {
      for (int b = 0; b < 2; b++) {
        assertThat(actual.term(t)[b]).as("t = %d", t)
            .isCloseTo(expected.term(t)[b], within(1e-13 * (1 + expected.term(t)[b])));
      }
    }
  }

  /** nats / (D ln 2), by hand: 12 ln 2 nats over 12 dimensions is one bit per dimension. */
  @Test
  void bitsPerDimensionConvertsNats() {
    assertThat(BoundTerms.bitsPerDimension(12 * Math.log(2), 12)).isCloseTo(1.0, within(1e-15));
    assertThat(BoundTerms.bitsPerDimension(3072 * 3.5 * Math.log(2), 3072))
        .isCloseTo(3.5, within(1e-14));
    assertThatThrownBy(() -> BoundTerms.bitsPerDimension(1.0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimensions");
  }

  @Test
  void rejectsBadInput() {
    Draw draw = Draw.of(3L);
    INDArray x0 = draw.x0();
    INDArray[] eps = draw.eps();
    assertThatThrownBy(() -> bound(VarianceChoice.LEARNED_RANGE).terms(x0, ZERO, eps))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LEARNED_RANGE");
    assertThatThrownBy(() -> bound(VarianceChoice.FIXED_SMALL)
            .terms(x0, ZERO, Arrays.copyOf(eps, T - 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got " + (T - 1));
    INDArray[] wrongShape = eps.clone();
    wrongShape[4] = tensor(new double[] {0.0, 0.0}, 2, 1);
    assertThatThrownBy(() -> bound(VarianceChoice.FIXED_SMALL).terms(x0, ZERO, wrongShape))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eps[4]");
    INDArray offGrid = x0.add(0.001);
    assertThatThrownBy(() -> bound(VarianceChoice.FIXED_SMALL).terms(offGrid, ZERO, eps))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x0");
  }

  /** The model {@code model} with the variance output {@code variance}. */
  private static VariancePredictor learned(
      NoisePredictor model, BiFunction<INDArray, int[], INDArray> variance) {
    return new VariancePredictor() {
      @Override
      public Prediction prediction() {
        return model.prediction();
      }

      @Override
      public INDArray predict(INDArray xt, int[] t) {
        return model.predict(xt, t);
      }

      @Override
      public INDArray predictVariance(INDArray xt, int[] t) {
        return variance.apply(xt, t);
      }
    };
  }
}
