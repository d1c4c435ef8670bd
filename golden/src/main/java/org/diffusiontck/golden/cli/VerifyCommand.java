package org.diffusiontck.golden.cli;

import java.util.concurrent.Callable;
import org.diffusiontck.golden.Golden;
import org.diffusiontck.golden.report.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tck golden verify}: recomputes a record with a model and compares. */
@Command(
    name = "verify",
    sortOptions = false,
    description = {
      "Recompute a golden record with a model and compare: per sample the worst absolute error"
          + " and the PSNR, the loss at every t and the bound, under the record's tolerances for"
          + " the environment; and check what any sound model satisfies (DDIM at σ = 0 is"
          + " deterministic, seeds differ, DDIM inversion returns the sample, the loss beats"
          + " predicting zero, ε̂(x_T, T) ≈ x_T, samples stay in the data's range).",
      "Without options: the shipped checkpoint against its record (golden/digits).",
      "Exit code 1 if a check fails; 2 if a golden file is missing or changed (named).",
      ""
    })
final class VerifyCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private RecordOptions record;

  @Option(names = "--model", paramLabel = "MODEL",
      description = "The model to verify: an ONNX file, oracle:<name>, or \"process:<command"
          + " line>\", a process serving the protocol's eps operation (spec/PROTOCOL.md, section"
          + " 8) (default: the recorded one).")
  private String model;

  @Option(names = "--trust-record-model",
      description = "Without --model, run the model the record names even when it is a command"
          + " (process:<command line>); a record is data, so this is refused by default.")
  private boolean trustRecordModel;

  @Mixin private ModelOptions modelOptions;

  @Override
  public Integer call() throws Exception {
    Verdict v = Golden.verify(record.golden(), model, modelOptions::input,
        modelOptions.runtime(), record.environment, record.report, trustRecordModel);
    return GoldenCommand.print(v, record, spec.commandLine().getOut());
  }
}
