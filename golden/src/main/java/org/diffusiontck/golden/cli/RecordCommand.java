package org.diffusiontck.golden.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusiontck.checks.cli.ExitCode;
import org.diffusiontck.golden.Golden;
import org.diffusiontck.golden.check.Check;
import org.diffusiontck.golden.model.ModelInput;
import org.diffusiontck.golden.record.RecordFiles;
import org.diffusiontck.golden.record.SamplerSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tck golden record}: samples a model with the reference and writes a golden record. */
@Command(
    name = "record",
    sortOptions = false,
    description = {
      "Sample a model with the reference from portable-noise seeds (DDIM at σ = 0 with 10 and 50"
          + " steps, and DDPM), evaluate its per-timestep loss and its bound on a fixed batch, and"
          + " write a golden record: samples (.npy and PNG), loss, bound, and a manifest with the"
          + " SHA-256 of every file, the environment and the tolerances.",
      ""
    })
final class RecordCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "MODEL",
      description = "An ONNX file; an exact oracle: oracle:tiny-images, oracle:gaussian; or a"
          + " model process speaking the protocol's eps operation: \"process:<command line>\""
          + " (spec/PROTOCOL.md, section 8).")
  private String model;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "The record's folder (created; its files are overwritten).")
  private Path out;

  @Option(names = "--name", paramLabel = "NAME",
      description = "The record's name (default: the folder's name).")
  private String name;

  @Mixin private ScheduleOptions schedule;

  @Mixin private ModelOptions modelOptions;

  @Option(names = "--eval-data", paramLabel = "FILE",
      description = "The evaluation batch: float64 .npy [B, C, H, W] on the 8-bit grid in"
          + " [-1, 1] (needed for an ONNX or process model; an oracle has its own).")
  private Path evalData;

  @Option(names = "--seeds", defaultValue = "0-7", paramLabel = "SEEDS",
      description = "The portable-noise seeds, one sample each: a list such as 0,1,5 or a range"
          + " such as 0-7 (default).")
  private String seeds;

  @Option(names = "--ddim-steps", defaultValue = "10,50", split = ",", paramLabel = "N",
      description = "The step counts of the DDIM samplers at σ = 0 (default 10,50).")
  private int[] ddimSteps;

  @Option(names = "--eval-seed", defaultValue = "1", paramLabel = "S",
      description = "The seed of the evaluation noise ε_t = PortableNoise(S, t) (default 1).")
  private long evalSeed;

  @Option(names = "--data-range", split = ",", paramLabel = "LO,HI",
      description = "The range of the data (default -1,1; an oracle's own for an oracle).")
  private double[] dataRange;

  @Override
  public Integer call() throws Exception {
    if (dataRange != null && (dataRange.length != 2 || !(dataRange[0] < dataRange[1]))) {
      throw new IllegalArgumentException("--data-range must be LO,HI with LO < HI, got "
          + Arrays.toString(dataRange));
    }
    INDArray batch = evalData == null ? null : RecordFiles.readNpy(evalData);
    String recordName = name != null ? name : out.toAbsolutePath().normalize().getFileName()
        .toString();
    Golden.Recorded r = Golden.record(new Golden.Request(recordName, model,
        modelOptions.input(ModelInput.COMMON_EXPORT), modelOptions.runtime(), schedule.spec(),
        Seeds.parse(seeds), ddimSteps, batch, evalSeed, dataRange), out);
    PrintWriter w = spec.commandLine().getOut();
    for (Check c : r.sound()) {
      w.printf("%-4s %-20s %s%n", c.passed() ? "ok" : "FAIL", c.id(), c.observed());
    }
    w.printf(Locale.ROOT, "recorded %s in %s: %s, %d seeds, %s (%.1f s, model %.1f s)%n",
        r.manifest().name(), out, r.manifest().samplers().stream().map(SamplerSpec::name)
            .toList(), r.manifest().seeds().length, r.manifest().environment().key(),
        r.millis() / 1000.0, r.modelMillis() / 1000.0);
    boolean sound = r.sound().stream().allMatch(Check::passed);
    if (!sound) {
      w.println("warning: the model fails a check every sound model passes (above)");
    }
    w.flush();
    return sound ? ExitCode.OK : ExitCode.CHECK_FAILED;
  }
}
