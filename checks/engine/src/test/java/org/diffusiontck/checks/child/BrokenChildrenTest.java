package org.diffusiontck.checks.child;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.diffusiontck.checks.conform.Conformance;
import org.diffusiontck.checks.conform.KitPaths;
import org.diffusiontck.checks.report.Run;
import org.diffusiontck.checks.rules.RuleResult;
import org.diffusiontck.checks.rules.RuleRunner;
import org.diffusiontck.checks.rules.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Children that crash, hang, write garbage, answer NaN or the wrong shape, or never shake hands:
 * each rule they touch is an ERROR carrying the reason, the run goes on to the end, and no process
 * of theirs survives it. The children are {@code children/broken_child.py} in its modes.
 */
class BrokenChildrenTest {
  /** A hang is noticed after this long (the default is 30 s; the children here answer at once). */
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  static String child(String mode) throws URISyntaxException {
    Path script = Path.of(BrokenChildrenTest.class.getResource("/children/broken_child.py").toURI());
    return "python3 '" + script + "' " + mode;
  }

  /** NOISE-1 and its vectors, against the child: two rules, so that a restart is needed. */
  static Run conform(String command) throws Exception {
    return Conformance.run(command, Conformance.Options.defaults().withRules("NOISE-1")
        .withTimeout(TIMEOUT), new RuleRunner.Listener() {});
  }

  @AfterEach
  void noProcessOfTheChildSurvives() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    List<ProcessHandle> alive = List.of();
    while (System.nanoTime() < deadline) {
      alive = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
      if (alive.isEmpty()) {
        return;
      }
      Thread.sleep(50);
    }
    assertThat(alive).as("processes left behind by the child").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "crash       | the child closed its output without answering (exit status 3)",
    "crash       | simulated crash on request",
    "hang        | no answer within 2.0 s",
    "grandchild  | no answer within 2.0 s",
    "garbage     | not a JSON object: this is not JSON",
    "nan         | NaN in the answer at result.data[0]",
    "wrong-shape | expected shape [",
    "no-hello    | the implementation did not complete the handshake",
    "no-hello    | giving up before the handshake"
  })
  void eachRuleItBreaksIsAnErrorWithTheReasonAndTheRunGoesOn(String mode, String reason)
      throws Exception {
    Run run = conform(child(mode));
    assertThat(run.results()).extracting(r -> r.info().id())
        .containsExactly("NOISE-1", "NOISE-1/vectors");
    for (RuleResult r : run.results()) {
      assertThat(r.status()).as(r.info().id()).isEqualTo(Status.ERROR);
      assertThat(r.message()).as(r.info().id()).contains(reason);
    }
    assertThat(run.passed()).isFalse();
  }

  @Test
  void aCrashEndsOnlyItsRuleTheNextOneGetsAFreshChild(@TempDir Path markers) throws Exception {
    Path example = KitPaths.pythonExample().getParent();
    Run run = conform(child("crash-once '" + markers + "' '" + example + "'"));
    assertThat(run.results()).extracting(RuleResult::status)
        .containsExactly(Status.ERROR, Status.PASS);
    assertThat(run.results().get(0).message()).contains("crashing once");
  }

  @Test
  void closingEndsTheChildAndItsDescendants() throws Exception {
    try (ChildProcessImplementation child =
        new ChildProcessImplementation(child("grandchild"), null, TIMEOUT)) {
      assertThat(child.declaration().name()).isEqualTo("broken child (grandchild)");
      ProcessHandle handle = child.handle();
      assertThat(handle.isAlive()).isTrue();
      child.close();
      assertThat(handle.isAlive()).isFalse();
      assertThat(child.starts()).isEqualTo(1);
    }
  }
}
