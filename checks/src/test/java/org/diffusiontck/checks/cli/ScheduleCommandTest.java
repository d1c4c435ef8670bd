package org.diffusiontck.checks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.schedule.LinearEndpoints;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code tck schedule} is a transport: every number it writes, in CSV and in JSON, reads back
 * (Double.parseDouble, Jackson) to exactly the reference's double, bit for bit.
 */
class ScheduleCommandTest {
  private static final List<String> COLUMNS =
      List.of("beta", "alpha_bar", "one_minus_alpha_bar", "snr", "log_snr");

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  static Stream<Arguments> schedules() {
    List<Arguments> cases = new ArrayList<>();
    Map<String, NoiseSchedule> defaults =
        Map.of(
            "linear", Schedules.linear(1000),
            "scaled-linear", Schedules.scaledLinear(1000),
            "cosine", Schedules.cosine(1000),
            "sigmoid", Schedules.sigmoid(1000));
    defaults.forEach(
        (name, schedule) -> {
          cases.add(Arguments.of(List.of(name, "--steps", "1000"), schedule));
          cases.add(
              Arguments.of(
                  List.of(name, "--steps", "1000", "--zero-terminal-snr"),
                  Schedules.zeroTerminalSnr(schedule)));
        });
    cases.add(
        Arguments.of(
            List.of("linear", "--steps", "500", "--beta-start", "0.001", "--beta-end", "0.03",
                "--linear-endpoints", "scaled-by-1000-over-t"),
            Schedules.linear(500, 0.001, 0.03, LinearEndpoints.SCALED_BY_1000_OVER_T)));
    cases.add(
        Arguments.of(
            List.of("scaled-linear", "--steps", "50", "--beta-start", "0.001", "--beta-end",
                "0.02"),
            Schedules.scaledLinear(50, 0.001, 0.02)));
    cases.add(
        Arguments.of(
            List.of("cosine", "--steps", "20", "--cosine-offset", "0.01", "--cosine-max-beta",
                "0.5", "--zero-terminal-snr"),
            Schedules.zeroTerminalSnr(Schedules.cosine(20, 0.01, 0.5))));
    cases.add(
        Arguments.of(
            List.of("sigmoid", "--steps", "30", "--beta-start", "0.0002", "--beta-end", "0.03"),
            Schedules.sigmoid(30, 0.0002, 0.03)));
    return cases.stream();
  }

  private static Cli.Result schedule(List<String> args, String... more) {
    List<String> all = new ArrayList<>(List.of("schedule"));
    all.addAll(args);
    all.addAll(List.of(more));
    Cli.Result result = Cli.run(all.toArray(String[]::new));
    assertThat(result.err()).isEmpty();
    assertThat(result.exitCode()).isEqualTo(ExitCode.OK);
    return result;
  }

  /** The reference's value of a column at t. */
  private static double expected(NoiseSchedule schedule, String column, int t) {
    return switch (column) {
      case "beta" -> schedule.beta(t);
      case "alpha_bar" -> schedule.alphaBar(t);
      case "one_minus_alpha_bar" -> schedule.oneMinusAlphaBar(t);
      case "snr" -> schedule.snr(t);
      case "log_snr" -> schedule.logSnr(t);
      default -> throw new AssertionError(column);
    };
  }

  /** Bit-for-bit equality (Double.equals), so that -0.0 ≠ 0.0 and ∞ = ∞. */
  private static void assertSameDouble(double actual, double expected, String where) {
    assertThat((Object) actual).as(where).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schedules")
  void csvRowsReadBackToTheReferenceValuesExactly(List<String> args, NoiseSchedule expected) {
    List<String> lines = schedule(args, "--format", "csv").out().lines().toList();

    assertThat(lines.get(0)).isEqualTo("t," + String.join(",", COLUMNS));
    assertThat(lines).hasSize(expected.T() + 2);
    for (int t = 0; t <= expected.T(); t++) {
      String[] cells = lines.get(t + 1).split(",", -1);
      assertThat(cells).hasSize(COLUMNS.size() + 1);
      assertThat(cells[0]).isEqualTo(Integer.toString(t));
      for (int c = 0; c < COLUMNS.size(); c++) {
        String column = COLUMNS.get(c);
        assertSameDouble(
            Double.parseDouble(cells[c + 1]), expected(expected, column, t), column + " at " + t);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schedules")
  void jsonColumnsReadBackToTheReferenceValuesExactly(List<String> args, NoiseSchedule expected)
      throws Exception {
    JsonNode root = new ObjectMapper().readTree(schedule(args, "--format", "json").out());

    assertThat(root.get("T").intValue()).isEqualTo(expected.T());
    assertThat(root.get("zero_terminal_snr").booleanValue())
        .isEqualTo(args.contains("--zero-terminal-snr"));
    JsonNode t = root.get("t");
    assertThat(t).hasSize(expected.T() + 1);
    for (int i = 0; i <= expected.T(); i++) {
      assertThat(t.get(i).isInt()).isTrue();
      assertThat(t.get(i).intValue()).isEqualTo(i);
    }
    for (String column : COLUMNS) {
      JsonNode values = root.get(column);
      assertThat(values).as(column).hasSize(expected.T() + 1);
      for (int i = 0; i <= expected.T(); i++) {
        assertSameDouble(number(values.get(i)), expected(expected, column, i), column + " at " + i);
      }
    }
  }

  /** A JSON number, or one of the two strings that stand for the infinities. */
  private static double number(JsonNode node) {
    if (node.isNumber()) {
      return node.doubleValue();
    }
    assertThat(node.textValue()).isIn("Infinity", "-Infinity");
    return Double.parseDouble(node.textValue());
  }

  /**
   * ᾱ_0 = 1 makes SNR(0) = +∞ and log SNR(0) = +∞; zero terminal SNR makes ᾱ_T = 0, so SNR(T) =
   * 0 and log SNR(T) = −∞. CSV writes Infinity and -Infinity, JSON the same words as strings.
   */
  @Test
  void infinitiesAreWrittenAsDocumented() throws Exception {
    List<String> base = List.of("linear", "--steps", "10", "--zero-terminal-snr");
    List<String> csv = schedule(base).out().lines().toList();
    assertThat(csv.get(1)).startsWith("0,0.0,1.0,0.0,").endsWith(",Infinity,Infinity");
    assertThat(csv.get(11)).startsWith("10,1.0,0.0,1.0,").endsWith(",0.0,-Infinity");

    JsonNode json = new ObjectMapper().readTree(schedule(base, "--format", "json").out());
    assertThat(json.get("snr").get(0).isTextual()).isTrue();
    assertThat(json.get("snr").get(0).textValue()).isEqualTo("Infinity");
    assertThat(json.get("log_snr").get(0).textValue()).isEqualTo("Infinity");
    assertThat(json.get("log_snr").get(10).textValue()).isEqualTo("-Infinity");
    assertThat(json.get("snr").get(10).isNumber()).isTrue();
    assertThat(json.get("snr").get(10).doubleValue()).isZero();
  }

  /** The JSON names the schedule and every parameter it used, defaults from the papers. */
  @Test
  void jsonRecordsTheScheduleAndItsEffectiveParameters() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    JsonNode linear =
        mapper.readTree(schedule(List.of("linear", "--steps", "4", "--format", "json")).out());
    assertThat(linear.get("schedule").textValue()).isEqualTo("linear");
    assertThat(linear.get("parameters"))
        .isEqualTo(mapper.readTree(
            "{\"beta_start\": 1e-4, \"beta_end\": 0.02, \"linear_endpoints\": \"fixed\"}"));

    JsonNode cosine =
        mapper.readTree(
            schedule(List.of("cosine", "--steps", "4", "--cosine-max-beta", "0.5", "--format",
                "json")).out());
    assertThat(cosine.get("schedule").textValue()).isEqualTo("cosine");
    assertThat(cosine.get("parameters"))
        .isEqualTo(mapper.readTree("{\"cosine_offset\": 0.008, \"cosine_max_beta\": 0.5}"));

    JsonNode scaled =
        mapper.readTree(
            schedule(List.of("scaled-linear", "--steps", "4", "--format", "json")).out());
    assertThat(scaled.get("parameters"))
        .isEqualTo(mapper.readTree("{\"beta_start\": 0.00085, \"beta_end\": 0.012}"));
  }

  @Test
  void csvIsTheDefaultFormat() {
    List<String> args = List.of("cosine", "--steps", "5");
    assertThat(schedule(args).out()).isEqualTo(schedule(args, "--format", "csv").out());
  }
}
