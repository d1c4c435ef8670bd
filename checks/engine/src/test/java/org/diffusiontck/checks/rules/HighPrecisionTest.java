package org.diffusiontck.checks.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

class HighPrecisionTest {
  /**
   * A constant β: ᾱ_t = (1 − β)^t, here by BigDecimal's exact integer power (another arithmetic
   * library) rounded to 60 digits; 1 − ᾱ_1 = β exactly, without the cancellation of 1 − (1 − β)
   * in double; β_{t|s} = 1 − (1 − β)^{t−s}; SNR(0) = +∞. Both round once to double.
   */
  @Test
  void constantBetaByTheExactPower() {
    double beta = 1e-4;
    double[] betas = new double[1001];
    java.util.Arrays.fill(betas, 1, betas.length, beta);
    HighPrecision hp = new HighPrecision(betas);
    BigDecimal alpha = BigDecimal.ONE.subtract(new BigDecimal(beta));
    MathContext mc = new MathContext(60);
    for (int t : new int[] {0, 1, 2, 17, 500, 1000}) {
      assertThat(hp.alphaBar(t)).as("t = %d", t).isEqualTo(alpha.pow(t, mc).doubleValue());
      assertThat(hp.oneMinusAlphaBar(t)).as("t = %d", t)
          .isEqualTo(BigDecimal.ONE.subtract(alpha.pow(t, mc)).doubleValue());
    }
    assertThat(hp.oneMinusAlphaBar(1)).isEqualTo(beta);
    assertThat(hp.betaBetween(700, 600))
        .isEqualTo(BigDecimal.ONE.subtract(alpha.pow(100, mc)).doubleValue());
    assertThat(hp.alphaBarRatio(5, 5)).isEqualTo(1.0);
    assertThat(hp.snr(0)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(hp.T()).isEqualTo(1000);
    assertThat(HighPrecision.alphaBars(new double[] {0.5, 0.5})[2].toString()).startsWith("0.25");
  }

  /** Errors are measured in high precision: 1 + u against 1 is u relative and absolute. */
  @Test
  void errorsAreMeasuredBeforeRounding() {
    double up = Math.nextUp(1.0);
    assertThat(HighPrecision.relativeError(up, HighPrecision.of(1.0))).isEqualTo(2 * HighPrecision.U);
    assertThat(HighPrecision.absoluteError(up, HighPrecision.of("1"))).isEqualTo(2 * HighPrecision.U);
    assertThat(HighPrecision.toDouble(HighPrecision.of("0.1"))).isEqualTo(0.1);
    assertThat(HighPrecision.toDouble(HighPrecision.FIELD.getZero())).isZero();
  }
}
