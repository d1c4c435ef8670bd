package org.diffusiontck.golden.report;

import java.util.List;
import org.diffusiontck.golden.check.Check;
import org.diffusiontck.golden.check.SampleDiff;
import org.diffusiontck.golden.model.Environment;
import org.diffusiontck.golden.record.Tolerance;

/**
 * The result of {@code golden verify} or {@code golden compare}, as the reports show it.
 *
 * @param command "verify" or "compare"
 * @param record the record's name
 * @param model the model verified (verify) or the candidate folder (compare)
 * @param environment where the recomputation or the candidate ran (its key selected the
 *     tolerance)
 * @param tolerance the tolerance held to
 * @param dataRange the data's range [lo, hi]
 * @param checks every check, in order
 * @param diffs every sample compared
 * @param recordedLoss the record's loss curve, t = 1..T
 * @param loss the recomputed or candidate loss curve, or null
 * @param zeroLoss the loss of predicting zero, or null
 * @param notes remarks for the reader (e.g. that the model's file differs from the recorded one)
 * @param millis the wall time of the command
 * @param modelMillis the time spent in the model (0 for compare)
 * @param modelCalls the number of model calls (0 for compare)
 */
public record Verdict(
    String command,
    String record,
    String model,
    Environment environment,
    Tolerance tolerance,
    double[] dataRange,
    List<Check> checks,
    List<SampleDiff> diffs,
    double[] recordedLoss,
    double[] loss,
    double[] zeroLoss,
    List<String> notes,
    long millis,
    long modelMillis,
    long modelCalls) {

  /** Whether every check passed. */
  public boolean passed() {
    return checks.stream().allMatch(Check::passed);
  }

  /** How many checks failed. */
  public long failures() {
    return checks.stream().filter(c -> !c.passed()).count();
  }

  /** "golden verify digits: PASSED, 30 checks, 0 failed (12.3 s, model 4.5 s = 37%)". */
  public String summary() {
    StringBuilder b = new StringBuilder("golden ").append(command).append(' ').append(record)
        .append(": ").append(passed() ? "PASSED" : "FAILED").append(", ").append(checks.size())
        .append(" checks, ").append(failures()).append(" failed (")
        .append(String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0));
    if (modelCalls > 0) {
      b.append(String.format(java.util.Locale.ROOT, ", model %.1f s = %.0f%% in %d calls",
          modelMillis / 1000.0, 100.0 * modelMillis / Math.max(millis, 1), modelCalls));
    }
    return b.append(')').toString();
  }
}
