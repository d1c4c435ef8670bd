package org.diffusiontck.golden.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.diffusiontck.golden.Golden;
import org.diffusiontck.golden.report.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tck golden compare}: another pipeline's samples against a record. */
@Command(
    name = "compare",
    sortOptions = false,
    description = {
      "Compare a candidate folder — another pipeline (a GPU sampler, float16, another framework)"
          + " sampled from the same portable noise — with a golden record, under the record's"
          + " tolerances for the candidate's environment (golden/README.md, \"Candidates\").",
      ""
    })
final class CompareCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private RecordOptions record;

  @Option(names = "--candidate", required = true, paramLabel = "DIR",
      description = "The candidate folder: candidate.json and samples/<sampler>.npy.")
  private Path candidate;

  @Override
  public Integer call() throws Exception {
    Verdict v = Golden.compare(record.golden(), candidate, record.environment, record.report);
    return GoldenCommand.print(v, record, spec.commandLine().getOut());
  }
}
