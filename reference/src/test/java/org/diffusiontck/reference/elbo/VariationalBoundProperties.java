package org.diffusiontck.reference.elbo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.forward.ForwardProcess;
import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.reverse.VarianceChoice;
import org.diffusiontck.reference.schedule.LinearEndpoints;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

class VariationalBoundProperties {
  private static final NoiseSchedule SCHEDULE = Schedules.linear(30, 1e-3, 0.2,
      LinearEndpoints.FIXED);

  @BeforeContainer
  static void doubles() {
    Tensors.useDoubles();
  }

  /**
   * L_{t−1} ≥ 0 for any model output: random x̂_0 and, for the learned choices, a random variance
   * output (log σ² ∈ [−6, 0], σ² = its exponential, or u ∈ [−1, 1]). A true 0 may round to −4 ulps
   * of each coordinate's largest term, at most (1 + 6 + e⁶)(1 + Δμ²) ≈ 4e3·10 here: −1e-10 over D
   * = 12 coordinates.
   */
  @Property(seed = "2102", tries = 40)
  void stepTermIsNonNegative(
      @ForAll VarianceChoice choice, @ForAll @IntRange(min = 2, max = 30) int t,
      @ForAll long seed) {
    Random random = new Random(seed);
    long[] shape = {1, 3, 2, 2};
    INDArray x0 = Fixtures.gaussian(random, shape);
    INDArray xt = new ForwardProcess(SCHEDULE)
        .sample(x0, new int[] {t}, Fixtures.gaussian(random, shape));
    INDArray x0Hat = Fixtures.gaussian(random, shape);
    INDArray uniform = Fixtures.gaussian(random, shape);
    uniform = Transforms.tanh(uniform, false);
    INDArray output = switch (choice) {
      case FIXED_SMALL, FIXED_LARGE -> null;
      case LEARNED_LOG_VARIANCE -> uniform.add(1.0).muli(-3.0);
      case LEARNED_VARIANCE -> Transforms.exp(uniform.add(1.0).muli(-3.0), false);
      case LEARNED_RANGE -> uniform;
    };
    double term = new VariationalBound(SCHEDULE, choice, T1LogVariance.CLIP_TO_BETA_TILDE_2,
        NormalCdf.EXACT).stepTerm(x0, xt, new int[] {t}, x0Hat, output)[0];
    assertThat(term).isGreaterThanOrEqualTo(-1e-10);
  }
}
