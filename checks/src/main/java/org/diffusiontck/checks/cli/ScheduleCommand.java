package org.diffusiontck.checks.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleBiFunction;
import java.util.stream.IntStream;
import org.diffusiontck.checks.io.Json;
import org.diffusiontck.reference.schedule.LinearEndpoints;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tck schedule}: the reference's per-timestep tables of a noise schedule, t = 0..T. */
@Command(
    name = "schedule",
    sortOptions = false,
    description = {
      "Print a noise schedule's tables for t = 0..T.",
      "Columns: t, beta (β_t, with β_0 = 0), alpha_bar (ᾱ_t, with"
          + " ᾱ_0 = 1), one_minus_alpha_bar (1 − ᾱ_t), snr (ᾱ_t / (1 − ᾱ_t)) and log_snr.",
      "Numbers are written with Java's Double.toString, which reads back to the same double.",
      "",
      "Infinities: snr and log_snr are +∞ at t = 0, and under --zero-terminal-snr log_snr is −∞"
          + " at t = T (where snr is 0). CSV writes them as Infinity and -Infinity; JSON, which"
          + " has no infinities, as the strings \"Infinity\" and \"-Infinity\". Python's float(),"
          + " numpy and Java's Double.parseDouble read both back.",
      ""
    })
final class ScheduleCommand implements Callable<Integer> {
  /** The named schedules of {@link Schedules}. */
  enum Kind {
    LINEAR,
    SCALED_LINEAR,
    COSINE,
    SIGMOID;

    /** The schedule of this kind over T steps, with its defaults. */
    NoiseSchedule withDefaults(int T) {
      return switch (this) {
        case LINEAR -> Schedules.linear(T);
        case SCALED_LINEAR -> Schedules.scaledLinear(T);
        case COSINE -> Schedules.cosine(T);
        case SIGMOID -> Schedules.sigmoid(T);
      };
    }
  }

  enum Format {
    CSV,
    JSON
  }

  private static final String BETA_START = "--beta-start";
  private static final String BETA_END = "--beta-end";
  private static final String LINEAR_ENDPOINTS = "--linear-endpoints";
  private static final String COSINE_OFFSET = "--cosine-offset";
  private static final String COSINE_MAX_BETA = "--cosine-max-beta";
  private static final List<String> SCHEDULE_OPTIONS =
      List.of(BETA_START, BETA_END, LINEAR_ENDPOINTS, COSINE_OFFSET, COSINE_MAX_BETA);

  /** A column of the table: its name and its value at (schedule, t). */
  private record Column(String name, ToDoubleBiFunction<NoiseSchedule, Integer> value) {}

  private static final List<Column> COLUMNS =
      List.of(
          new Column("beta", NoiseSchedule::beta),
          new Column("alpha_bar", NoiseSchedule::alphaBar),
          new Column("one_minus_alpha_bar", NoiseSchedule::oneMinusAlphaBar),
          new Column("snr", NoiseSchedule::snr),
          new Column("log_snr", NoiseSchedule::logSnr));

  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "SCHEDULE",
      description = "linear (Ho et al. 2020), scaled-linear (Stable Diffusion), cosine (Nichol &"
          + " Dhariwal 2021) or sigmoid (GeoDiff).")
  private Kind kind;

  @Option(
      names = "--steps",
      required = true,
      paramLabel = "T",
      description = "The number of diffusion steps T, at least 1.")
  private int steps;

  @Option(
      names = "--zero-terminal-snr",
      description = "Rescale to zero terminal SNR (Lin et al. 2024, Algorithm 1); needs T ≥ 2.")
  private boolean zeroTerminalSnr;

  @Option(
      names = "--format",
      defaultValue = "csv",
      paramLabel = "FORMAT",
      description = "csv (default; a header line, then one row per t) or json (the columns as"
          + " arrays, with the schedule's name and parameters).")
  private Format format;

  @Option(
      names = BETA_START,
      paramLabel = "B",
      description = "β_1 of linear and sigmoid (default 1e-4) and of scaled-linear"
          + " (default 0.00085).")
  private Double betaStart;

  @Option(
      names = BETA_END,
      paramLabel = "B",
      description = "β_T of linear and sigmoid (default 0.02) and of scaled-linear"
          + " (default 0.012).")
  private Double betaEnd;

  @Option(
      names = LINEAR_ENDPOINTS,
      paramLabel = "E",
      description = "linear only: fixed (default; β_1 and β_T as given, Ho et al.) or"
          + " scaled-by-1000-over-t (both times 1000/T, improved-diffusion).")
  private LinearEndpoints linearEndpoints;

  @Option(
      names = COSINE_OFFSET,
      paramLabel = "S",
      description = "cosine only: the offset s, in [0, 1) (default 0.008).")
  private Double cosineOffset;

  @Option(
      names = COSINE_MAX_BETA,
      paramLabel = "M",
      description = "cosine only: the cap on β_t, in (0, 1] (default 0.999).")
  private Double cosineMaxBeta;

  /** The parameters the schedule was built with, by JSON key, defaults included. */
  private final ObjectNode parameters = Json.object();

  @Override
  public Integer call() throws IOException {
    // the schedule's tables (a dozen of T + 1 values) and their printed form
    MemoryBudget.require(16.0 * (steps + 1.0), "--steps " + steps);
    NoiseSchedule base = base();
    for (String option : SCHEDULE_OPTIONS) {
      if (spec.commandLine().getParseResult().hasMatchedOption(option)
          && !parameters.has(key(option))) {
        throw new ParameterException(
            spec.commandLine(),
            option + " does not apply to the " + KebabCase.of(kind) + " schedule");
      }
    }
    NoiseSchedule schedule = zeroTerminalSnr ? Schedules.zeroTerminalSnr(base) : base;
    PrintWriter out = spec.commandLine().getOut();
    if (format == Format.CSV) {
      writeCsv(schedule, out);
    } else {
      Json.write(out, json(schedule));
    }
    return ExitCode.OK;
  }

  private NoiseSchedule base() {
    return switch (kind) {
      case LINEAR -> Schedules.linear(
          steps,
          parameter(BETA_START, betaStart, Schedules.LINEAR_BETA_START),
          parameter(BETA_END, betaEnd, Schedules.LINEAR_BETA_END),
          parameter(LINEAR_ENDPOINTS, linearEndpoints, LinearEndpoints.FIXED));
      case SCALED_LINEAR -> Schedules.scaledLinear(
          steps,
          parameter(BETA_START, betaStart, Schedules.SCALED_LINEAR_BETA_START),
          parameter(BETA_END, betaEnd, Schedules.SCALED_LINEAR_BETA_END));
      case COSINE -> Schedules.cosine(
          steps,
          parameter(COSINE_OFFSET, cosineOffset, Schedules.COSINE_OFFSET),
          parameter(COSINE_MAX_BETA, cosineMaxBeta, Schedules.COSINE_MAX_BETA));
      case SIGMOID -> Schedules.sigmoid(
          steps,
          parameter(BETA_START, betaStart, Schedules.LINEAR_BETA_START),
          parameter(BETA_END, betaEnd, Schedules.LINEAR_BETA_END));
    };
  }

  /** The given value, or the default if the option was not given; recorded in parameters. */
  private double parameter(String option, Double given, double defaultValue) {
    double value = given != null ? given : defaultValue;
    parameters.put(key(option), value);
    return value;
  }

  private LinearEndpoints parameter(String option, LinearEndpoints given, LinearEndpoints dflt) {
    LinearEndpoints value = given != null ? given : dflt;
    parameters.put(key(option), KebabCase.of(value));
    return value;
  }

  /** The JSON key of an option: {@code --beta-start} is {@code beta_start}. */
  private static String key(String option) {
    return option.substring(2).replace('-', '_');
  }

  private static void writeCsv(NoiseSchedule schedule, PrintWriter out) {
    StringBuilder csv = new StringBuilder("t");
    COLUMNS.forEach(c -> csv.append(',').append(c.name()));
    csv.append('\n');
    for (int t = 0; t <= schedule.T(); t++) {
      csv.append(t);
      for (Column c : COLUMNS) {
        csv.append(',').append(Double.toString(c.value().applyAsDouble(schedule, t)));
      }
      csv.append('\n');
    }
    out.print(csv);
  }

  private ObjectNode json(NoiseSchedule schedule) {
    ObjectNode root = Json.object();
    root.put("schedule", KebabCase.of(kind));
    root.put("T", schedule.T());
    root.put("zero_terminal_snr", zeroTerminalSnr);
    root.set("parameters", parameters);
    ArrayNode t = root.putArray("t");
    IntStream.rangeClosed(0, schedule.T()).forEach(t::add);
    for (Column c : COLUMNS) {
      root.set(
          c.name(),
          Json.array(
              IntStream.rangeClosed(0, schedule.T())
                  .mapToDouble(s -> c.value().applyAsDouble(schedule, s))
                  .toArray()));
    }
    return root;
  }
}
