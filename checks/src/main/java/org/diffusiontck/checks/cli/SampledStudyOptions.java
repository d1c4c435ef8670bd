package org.diffusiontck.checks.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.diffusiontck.checks.io.Json;
import org.diffusiontck.reference.sampling.Spacing;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of the sample-based studies ({@code tck study points}, {@code tck study digits}),
 * their checks, and the files they write: DIR/&lt;name&gt;.csv and DIR/&lt;name&gt;.json.
 */
public final class SampledStudyOptions {
  @Option(
      names = "--samplers",
      defaultValue = "ddim:0,ddim:0.5,ddim:1,ddpm:large",
      split = ",",
      paramLabel = "SAMPLER",
      description = "ddim:η, ddpm:small or ddpm:large, comma-separated (default"
          + " ddim:0,ddim:0.5,ddim:1,ddpm:large; ddpm:small is the sampler ddim:1 is).")
  private List<String> samplers;

  @Option(
      names = "--steps",
      defaultValue = "2,5,10,20,50,100,200",
      split = ",",
      paramLabel = "N",
      description = "The numbers of steps N, each in 1..T (default 2,5,10,20,50,100,200).")
  private List<Integer> steps;

  @Option(
      names = "--spacing",
      defaultValue = "linspace",
      paramLabel = "SPACING",
      description = "How the N timesteps are chosen: linspace (default), leading, trailing or"
          + " sections.")
  private Spacing spacing;

  @Option(
      names = "--batch",
      defaultValue = "256",
      paramLabel = "B",
      description = "The number of seeds (samples per sampler) B (default 256).")
  private int batch;

  @Option(
      names = "--seed",
      defaultValue = "0",
      paramLabel = "S",
      converter = Word64.class,
      description = "The portable noise seed (default 0): x_T from stream 0, the steps from"
          + " stream 1, the reference replica's steps from stream 2.")
  private long seed;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "The directory to write to (created if missing; files there are replaced).")
  private Path out;

  @Option(names = "--quiet", description = "No progress on stderr.")
  private boolean quiet;

  /** The samplers, parsed; a usage error names the bad one. */
  public List<StudySampler> samplers(CommandSpec spec) {
    return parse(samplers, spec);
  }

  /** The numbers of steps, each checked to lie in 1..T; the batch is checked too. */
  public List<Integer> steps(CommandSpec spec, int T) {
    check(steps, T, spec);
    if (batch < 2) {
      throw new ParameterException(spec.commandLine(), "--batch must be at least 2, got "
          + batch);
    }
    return steps;
  }

  /** Each of --samplers parsed; a usage error names the bad one. */
  static List<StudySampler> parse(List<String> samplers, CommandSpec spec) {
    List<StudySampler> parsed = new ArrayList<>();
    for (String text : samplers) {
      try {
        parsed.add(StudySampler.parse(text));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    return parsed;
  }

  /** A usage error unless each N of --steps is in 1..T. */
  static void check(List<Integer> steps, int T, CommandSpec spec) {
    for (int N : steps) {
      if (N < 1 || N > T) {
        throw new ParameterException(spec.commandLine(),
            "--steps: each N must be in 1.." + T + " (T), got " + N);
      }
    }
  }

  public Spacing spacing() {
    return spacing;
  }

  public int batch() {
    return batch;
  }

  public long seed() {
    return seed;
  }

  /** Progress lines to stderr unless --quiet. */
  public Consumer<String> progress(CommandSpec spec) {
    PrintWriter err = spec.commandLine().getErr();
    return line -> {
      if (!quiet) {
        err.println(line);
        err.flush();
      }
    };
  }

  /**
   * Writes DIR/name.csv and DIR/name.json (the setting, then the rows), and prints their paths
   * on stdout.
   *
   * @param setting what the study ran on, as JSON fields
   */
  public void write(CommandSpec spec, String name, ObjectNode setting,
      List<SampledStudy.Row> rows) throws IOException {
    Files.createDirectories(out);
    Path csv = out.resolve(name + ".csv");
    Files.writeString(csv, SampledStudy.csv(rows), StandardCharsets.UTF_8);
    ObjectNode root = Json.object();
    root.put("command", "study " + name);
    root.setAll(setting);
    root.put("spacing", KebabCase.of(spacing));
    root.put("batch", batch);
    root.put("seed", new BigInteger(Long.toUnsignedString(seed)));
    root.put("bootstrap_resamples", SampledStudy.BOOTSTRAP);
    ArrayNode table = root.putArray("rows");
    for (SampledStudy.Row r : rows) {
      ObjectNode node = table.addObject();
      node.put("sampler", r.sampler());
      node.put("steps", r.steps());
      node.put("evaluations", r.steps());
      node.set("fd", Json.array(r.fd()).get(0));
      node.set("fd_error", Json.array(r.fdError()).get(0));
      if (!Double.isNaN(r.hit())) {
        node.put("hit", r.hit());
        node.put("hit_low", r.hitLow());
        node.put("hit_high", r.hitHigh());
        node.put("nearest_rms", r.nearest());
        node.put("points_p", r.pointsP());
      }
    }
    ArrayNode versions = root.putArray("versions");
    for (String line : new VersionProvider().getVersion()) {
      versions.add(line);
    }
    StringWriter text = new StringWriter();
    Json.write(text, root);
    Path json = out.resolve(name + ".json");
    Files.writeString(json, text.toString(), StandardCharsets.UTF_8);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println(csv);
    stdout.println(json);
    stdout.flush();
  }
}
