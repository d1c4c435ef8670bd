package org.diffusiontck.reference.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.diffusiontck.checks.rules.TimestepDefinitions;
import org.junit.jupiter.api.Test;

/**
 * Exact timestep lists worked by hand from the source definitions (diffusers' {@code
 * set_timesteps}, improved-diffusion's {@code space_timesteps}), translated to t = i + 1.
 * Rounding is half to even (numpy's {@code round}, Python's {@code round}).
 */
class TimestepsTest {

  /** linspace(0, 9, 3) = [0, 4.5, 9] → round half-even [0, 4, 9] → t = [1, 5, 10], reversed. */
  @Test
  void linspaceTenThree() {
    assertThat(Timesteps.linspace(10, 3).values()).containsExactly(10, 5, 1);
  }

  /** linspace(0, 9, 4) = [0, 3, 6, 9] → t = [1, 4, 7, 10]; linspace(0, 9, 1) = [0] → t = [1]. */
  @Test
  void linspaceTenFourAndOne() {
    assertThat(Timesteps.linspace(10, 4).values()).containsExactly(10, 7, 4, 1);
    assertThat(Timesteps.linspace(10, 1).values()).containsExactly(1);
  }

  /** T // N = 3: i = [0, 3, 6] (+ offset), t = i + 1, reversed: [7, 4, 1], offset 1: [8, 5, 2]. */
  @Test
  void leadingTenThree() {
    assertThat(Timesteps.leading(10, 3, 0).values()).containsExactly(7, 4, 1);
    assertThat(Timesteps.leading(10, 3, 1).values()).containsExactly(8, 5, 2);
  }

  /** Stable Diffusion's set-up, T = 1000, N = 50, offset 1: i = 981, 961, …, 1, t = 982, …, 2. */
  @Test
  void leadingStableDiffusion() {
    int[] expected = IntStream.range(0, 50).map(k -> 982 - 20 * k).toArray();
    assertThat(Timesteps.leading(1000, 50, 1).values()).containsExactly(expected);
  }

  /**
   * arange(10, 0, −10/3) = [10, 6.67, 3.33] → round [10, 7, 3] → i = [9, 6, 2] → t = [10, 7, 3].
   * arange(10, 0, −2.5) = [10, 7.5, 5, 2.5] → round half-even [10, 8, 5, 2] → t = [10, 8, 5, 2].
   */
  @Test
  void trailingTenThreeAndFour() {
    assertThat(Timesteps.trailing(10, 3).values()).containsExactly(10, 7, 3);
    assertThat(Timesteps.trailing(10, 4).values()).containsExactly(10, 8, 5, 2);
  }

  /**
   * T = 17, N = 7, where numpy's arange would hold 8 elements (17 / fl(17/7) rounds above 7): the
   * first 7 are 17 − k·2.4286 = 17, 14.57, 12.14, 9.71, 7.29, 4.86, 2.43 → t = [17, 15, 12, 10, 7,
   * 5, 2], and no extra timestep 0.
   */
  @Test
  void trailingKeepsTheIntendedNElements() {
    assertThat(Timesteps.trailing(17, 7).values()).containsExactly(17, 15, 12, 10, 7, 5, 2);
    assertThat(Timesteps.trailing(1000, 61).size()).isEqualTo(61);
  }

  /** One section of 10 with 3 steps: f = 9/2 = 4.5, x = 0, 4.5, 9 → [0, 4, 9] → t = [10, 5, 1]. */
  @Test
  void sectionsOneSection() {
    assertThat(Timesteps.sections(10, "3").values()).containsExactly(10, 5, 1);
    assertThat(Timesteps.select(Spacing.SECTIONS, 10, 3, 0).values()).containsExactly(10, 5, 1);
  }

  /** "ddim3", T = 10: strides 1, 2, 3 give 10, 5, 4 steps; 4 gives 3: i = [0, 4, 8], t = [9, 5, 1].
   */
  @Test
  void sectionsDdimStride() {
    assertThat(Timesteps.sections(10, "ddim3").values()).containsExactly(9, 5, 1);
  }

  /** "ddim50", T = 1000: stride 20 (19 gives 53 steps): i = 0, 20, …, 980, t = 981, …, 1. */
  @Test
  void sectionsDdimFifty() {
    int[] expected = IntStream.range(0, 50).map(k -> 981 - 20 * k).toArray();
    assertThat(Timesteps.sections(1000, "ddim50").values()).containsExactly(expected);
  }

  /**
   * "1,1,1", T = 10: sections of sizes 4, 3, 3 starting at 0, 4, 7, one step each at its start: i =
   * [0, 4, 7], t = [8, 5, 1]. "2,1": sizes 5, 5; section 0 takes 0 and 0 + 4 (f = 4); section 1
   * takes 5: t = [6, 5, 1].
   */
  @Test
  void sectionsSeveral() {
    assertThat(Timesteps.sections(10, "1,1,1").values()).containsExactly(8, 5, 1);
    assertThat(Timesteps.sections(10, "2,1").values()).containsExactly(6, 5, 1);
  }

  /**
   * improved-diffusion's docstring example, 300 steps as "10,10,10": three sections of 100, f =
   * 99/9 = 11, i = 0, 11, …, 99 in each (all sums exact in binary).
   */
  @Test
  void sectionsDocstringExample() {
    int[] expected =
        IntStream.range(0, 30).map(k -> (2 - k / 10) * 100 + (9 - k % 10) * 11 + 1).toArray();
    assertThat(Timesteps.sections(300, "10,10,10").values()).containsExactly(expected);
  }

  /**
   * "10,10,10" with T = 1000: sizes 334, 333, 333. The middle section (start 334, f = 332/9 =
   * 36.89) takes x = 0, 36.89, 73.78, 110.67, 147.56, 184.44, 221.33, 258.22, 295.11, 332 →
   * offsets 0, 37, 74, 111, 148, 184, 221, 258, 295, 332.
   */
  @Test
  void sectionsUnevenSizes() {
    int[] t = Timesteps.sections(1000, "10,10,10").values();
    assertThat(t).hasSize(30);
    int[] middle = new int[10];
    for (int k = 0; k < 10; k++) {
      middle[k] = t[19 - k] - 1 - 334;
    }
    assertThat(middle).containsExactly(0, 37, 74, 111, 148, 184, 221, 258, 295, 332);
    assertThat(t[0]).isEqualTo(1000);
    assertThat(t[29]).isEqualTo(1);
  }

  @Test
  void badSectionStringsAreErrors() {
    for (String bad : new String[] {"", " ", "ddim", "ddimx", "ddim7", "a,b", "5,-1", "1,,1",
        "11", "0", "0,0", "ddim-3"}) {
      assertThatThrownBy(() -> Timesteps.sections(10, bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("sections");
    }
    assertThatThrownBy(() -> Timesteps.sections(1, "ddim1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void countsOutsideOneToTAreErrors() {
    for (Spacing spacing : Spacing.values()) {
      assertThatThrownBy(() -> Timesteps.select(spacing, 10, 11, 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("11");
      assertThatThrownBy(() -> Timesteps.select(spacing, 10, 0, 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("0");
    }
  }

  @Test
  void leadingOffsetIsCheckedAndOnlyForLeading() {
    assertThatThrownBy(() -> Timesteps.leading(10, 10, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("11");
    assertThatThrownBy(() -> Timesteps.leading(10, 3, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset");
    assertThatThrownBy(() -> Timesteps.select(Spacing.TRAILING, 10, 3, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leadingOffset");
  }

  @Test
  void userListsMustBeInRangeDistinctAndDecreasing() {
    assertThat(Timesteps.of(10, 9, 4, 1).values()).containsExactly(9, 4, 1);
    assertThatThrownBy(() -> Timesteps.of(10, 9, 4, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("repeat");
    assertThatThrownBy(() -> Timesteps.of(10, 11, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("11");
    assertThatThrownBy(() -> Timesteps.of(10, 4, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
    assertThatThrownBy(() -> Timesteps.of(10, 4, 9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("decreasing");
    assertThatThrownBy(() -> Timesteps.of(10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * LINSPACE [10, 5, 1] of T = 10: NEXT_SELECTED steps 10 → 5 → 1 → 0; FIXED_STRIDE (⌊10/3⌋ = 3)
   * steps 10 → 7, 5 → 2, 1 → max(−2, 0) = 0.
   */
  @Test
  void previousTimestepRules() {
    Timesteps t = Timesteps.linspace(10, 3);
    int[] next = new int[3];
    int[] stride = new int[3];
    for (int k = 0; k < 3; k++) {
      next[k] = t.previous(k, PreviousTimestep.NEXT_SELECTED);
      stride[k] = t.previous(k, PreviousTimestep.FIXED_STRIDE);
    }
    assertThat(next).containsExactly(5, 1, 0);
    assertThat(stride).containsExactly(7, 2, 0);
    assertThatThrownBy(() -> t.previous(3, PreviousTimestep.NEXT_SELECTED))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property(seed = "20240611", tries = 60)
  void everyCountModeGivesNStrictlyDecreasingTimestepsInRange(
      @ForAll @IntRange(min = 1, max = 1200) int T, @ForAll @IntRange(min = 1, max = 1200) int n) {
    int N = Math.min(n, T);
    for (Spacing spacing : Spacing.values()) {
      int[] t = Timesteps.select(spacing, T, N, 0).values();
      assertThat(t).as(spacing + " T=" + T + " N=" + N).hasSize(N);
      assertThat(t[0]).isLessThanOrEqualTo(T);
      assertThat(t[N - 1]).isGreaterThanOrEqualTo(1);
      for (int k = 1; k < N; k++) {
        assertThat(t[k]).isLessThan(t[k - 1]);
      }
    }
  }

  /**
   * SECTIONS agrees exactly with the engine's definition ({@code TimestepDefinitions.sections},
   * held to the known answers of {@code spec/timesteps/sections-kat.json}, which {@code
   * spec/timesteps/make_kat.py} wrote in Python from improved-diffusion's stated definition): for
   * section lists of 1 to 4 counts, each count at most its section's size, and "ddimN" strings;
   * where the engine finds no stride for "ddimN", the reference refuses the string.
   */
  @Property(seed = "20261206", tries = 300)
  void sectionsAgreeWithTheEngineDefinition(
      @ForAll @IntRange(min = 2, max = 1500) int T, @ForAll @IntRange(min = 1, max = 4) int m,
      @ForAll("counts") int[] counts, @ForAll @IntRange(min = 1, max = 1500) int ddimN) {
    StringBuilder spec = new StringBuilder();
    boolean any = false;
    for (int j = 0; j < m; j++) {
      int size = T / m + (j < T % m ? 1 : 0);
      int c = Math.min(counts[j], size);
      any |= c > 0;
      spec.append(j == 0 ? "" : ",").append(j == m - 1 && !any ? Math.max(c, 1) : c);
    }
    if (T / m >= 1) {
      assertThat(Timesteps.sections(T, spec.toString()).values()).as("T=%d '%s'", T, spec)
          .containsExactly(TimestepDefinitions.sections(T, spec.toString()));
    }
    String ddim = "ddim" + Math.min(ddimN, T);
    int[] expected = TimestepDefinitions.sections(T, ddim);
    if (expected == null) {
      assertThatThrownBy(() -> Timesteps.sections(T, ddim)).as("T=%d '%s'", T, ddim)
          .isInstanceOf(IllegalArgumentException.class);
    } else {
      assertThat(Timesteps.sections(T, ddim).values()).as("T=%d '%s'", T, ddim)
          .containsExactly(expected);
    }
  }

  @Provide
  Arbitrary<int[]> counts() {
    return Arbitraries.integers().between(0, 40).array(int[].class).ofSize(4);
  }

  /**
   * The count modes agree exactly with the engine's definitions ({@link TimestepDefinitions}, the
   * route of the spacing rules, written from diffusers' numpy expressions): two codings of one
   * definition, kept apart because the reference is the implementation the rules check, each
   * exact in integers or in the same double operations, so they must agree to the integer.
   */
  @Property(seed = "20261205", tries = 200)
  void countModesAgreeWithTheEngineDefinitions(
      @ForAll @IntRange(min = 1, max = 1200) int T, @ForAll @IntRange(min = 1, max = 1200) int n,
      @ForAll @IntRange(min = 0, max = 1) int offset) {
    int N = Math.min(n, T);
    assertThat(Timesteps.linspace(T, N).values()).as("linspace T=%d N=%d", T, N)
        .containsExactly(TimestepDefinitions.linspace(T, N));
    assertThat(Timesteps.trailing(T, N).values()).as("trailing T=%d N=%d", T, N)
        .containsExactly(TimestepDefinitions.trailing(T, N));
    if ((N - 1) * (T / N) + offset < T) {
      assertThat(Timesteps.leading(T, N, offset).values())
          .as("leading T=%d N=%d offset=%d", T, N, offset)
          .containsExactly(TimestepDefinitions.leading(T, N, offset));
    }
  }
}
