package org.diffusiontck.checks.child;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.diffusiontck.checks.conform.Conformance;
import org.diffusiontck.checks.conform.KitPaths;
import org.diffusiontck.checks.report.Reports;
import org.diffusiontck.checks.report.Run;
import org.diffusiontck.checks.rules.RuleResult;
import org.diffusiontck.checks.rules.RuleRunner;
import org.diffusiontck.checks.rules.Status;
import org.diffusiontck.checks.wire.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;

/**
 * The hostile-child catalogue: children that crash, hang, write garbage, answer NaN, the wrong
 * shape, the wrong id, both a result and an error, a 50 MB line or an endless one, leave an orphan,
 * a daemon or a double-forked grandchild behind, flood stderr, close their output, or declare an
 * incomplete handshake. For each, every rule it touches is an ERROR carrying the reason, the run
 * goes on to the end, the three reports are well-formed, and no process it started survives. The
 * children are {@code children/broken_child.py} in its modes.
 *
 * <p>A child that closes its output and lives on is seen as one that does not answer: the shell
 * running its command line ({@code /bin/sh -c}) holds the output open too.
 *
 * <p>No test here depends on a child answering quickly: the handshake keeps its generous default,
 * and only children that never answer get a short request timeout (2 s, the safety net that ends
 * them); a child that exits is noticed by its exit, not by a timeout.
 */
class BrokenChildrenTest {
  /** The request timeout for the children that never answer. */
  private static final Duration NEVER_ANSWERS = Duration.ofSeconds(2);
  private static final Set<String> SILENT = Set.of("hang", "grandchild", "closed-stdout");
  /** The longest answer line for the endless-line child: reached in a moment. */
  private static final long SHORT_LINE = 1 << 20;

  @TempDir Path tmp;

  /** The command line of the broken child in {@code mode}, recording its pids in {@code pids}. */
  static String child(String mode, Path pids) throws URISyntaxException {
    Path script = Path.of(BrokenChildrenTest.class.getResource("/children/broken_child.py").toURI());
    return "BROKEN_CHILD_PIDS='" + pids + "' python3 '" + script + "' " + mode;
  }

  /** NOISE-1 and its vectors, against the child: two rules, so that a restart is needed. */
  static Run conform(String command, ChildLimits limits) throws Exception {
    return Conformance.run(command, Conformance.Options.defaults().withRules("NOISE-1")
        .withLimits(limits), new RuleRunner.Listener() {});
  }

  static ChildLimits limits(String mode) {
    ChildLimits limits = ChildLimits.defaults();
    if (SILENT.contains(mode)) {
      limits = limits.withRequest(NEVER_ANSWERS);
    }
    return mode.equals("endless-line") ? limits.withMaxLineBytes(SHORT_LINE) : limits;
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
    "crash            | the child exited without answering (exit status 3)",
    "crash            | simulated crash on request",
    "hang             | no answer within 2.0 s",
    "grandchild       | no answer within 2.0 s",
    "garbage          | not a JSON object: this is not JSON",
    "nan              | NaN in the answer at result.data[0]",
    "wrong-shape      | expected shape [",
    "wrong-id         | expected the answer to id ",
    "result-and-error | the answer has both \"result\" and \"error\"",
    "long-line        | the child wrote a line that is not a JSON object: xxxxxxxx",
    "endless-line     | answer line longer than 1048576 bytes",
    "orphan           | the child exited without answering (exit status 3)",
    "setsid-daemon    | the child exited without answering (exit status 3)",
    "double-fork      | the child exited without answering (exit status 3)",
    "stderr-flood     | the child exited without answering (exit status 3)",
    "stderr-flood     | broken child: the last line after the flood",
    "closed-stdout    | no answer within 2.0 s",
    "no-hello         | the implementation did not complete the handshake",
    "no-hello         | giving up before the handshake",
    "no-conventions   | the declaration has no \"conventions\"",
    "no-dtype         | the declaration has no \"dtype\"",
    "no-name          | the declaration has no \"name\"",
    "no-operations    | the declaration's \"operations\" is empty",
  })
  void eachRuleItBreaksIsAnErrorWithTheReasonAndNothingSurvives(String mode, String reason)
      throws Exception {
    Path pids = tmp.resolve("pids");
    Run run = conform(child(mode, pids), limits(mode));
    assertThat(run.results()).extracting(r -> r.info().id())
        .containsExactly("NOISE-1", "NOISE-1/vectors");
    for (RuleResult r : run.results()) {
      assertThat(r.status()).as(r.info().id()).isEqualTo(Status.ERROR);
      assertThat(r.message()).as(r.info().id()).contains(reason);
    }
    assertThat(run.passed()).isFalse();
    assertReportsAreWellFormed(run, tmp.resolve("reports"));
    assertNoneSurvives(pids);
  }

  @Test
  void aCrashEndsOnlyItsRuleTheNextOneGetsAFreshChild(@TempDir Path markers) throws Exception {
    Path example = KitPaths.pythonExample().getParent();
    Path pids = tmp.resolve("pids");
    Run run = conform(child("crash-once '" + markers + "' '" + example + "'", pids),
        ChildLimits.defaults());
    assertThat(run.results()).extracting(RuleResult::status)
        .containsExactly(Status.ERROR, Status.PASS);
    assertThat(run.results().get(0).message()).contains("crashing once");
    assertNoneSurvives(pids);
  }

  @Test
  void closingEndsTheChildAndItsDescendants() throws Exception {
    Path pids = tmp.resolve("pids");
    try (ChildProcessImplementation child = new ChildProcessImplementation(
        child("grandchild", pids), null, limits("grandchild"))) {
      assertThat(child.declaration().name()).isEqualTo("broken child (grandchild)");
      ProcessHandle handle = child.handle();
      assertThat(handle.isAlive()).isTrue();
      child.close();
      assertThat(handle.isAlive()).isFalse();
      assertThat(child.starts()).isEqualTo(1);
    }
    assertNoneSurvives(pids);
  }

  /** The JUnit XML parses with one errored test case per rule; the JSON and Markdown agree. */
  static void assertReportsAreWellFormed(Run run, Path dir) throws Exception {
    Reports.writeAll(run, dir);
    Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(dir.resolve(Reports.JUNIT_XML).toFile());
    assertThat(xml.getElementsByTagName("testcase").getLength()).isEqualTo(run.results().size());
    assertThat(xml.getElementsByTagName("error").getLength()).isEqualTo(run.results().size());
    JsonNode json = Wire.mapper().readTree(dir.resolve(Reports.JSON).toFile());
    assertThat(json.get("rules")).hasSize(run.results().size());
    json.get("rules").forEach(r -> assertThat(r.get("result").asText()).isEqualTo("error"));
    String markdown = Files.readString(dir.resolve(Reports.MARKDOWN), StandardCharsets.UTF_8);
    for (RuleResult r : run.results()) {
      assertThat(markdown).contains(r.info().id());
    }
  }

  /**
   * No process the child recorded, nor any descendant of this JVM, is alive (a zombie, dead but
   * not yet reaped by its new parent, counts as gone). The kill is done when the run returns; the
   * wait only lets the kernel finish it.
   */
  static void assertNoneSurvives(Path pids) throws IOException, InterruptedException {
    List<Long> recorded = Files.exists(pids)
        ? Files.readAllLines(pids).stream().filter(s -> !s.isBlank()).map(Long::parseLong).toList()
        : List.of();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<Long> alive;
    do {
      alive = recorded.stream().filter(BrokenChildrenTest::alive).toList();
      if (alive.isEmpty()
          && ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive)) {
        return;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    assertThat(alive).as("processes left behind by the child").isEmpty();
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList())
        .as("descendants left behind").isEmpty();
  }

  private static boolean alive(long pid) {
    if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return !Files.isDirectory(Path.of("/proc")); // gone, or no /proc to ask
    }
  }
}
