package org.diffusiontck.checks.conform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.diffusiontck.checks.child.ChildLimits;
import org.diffusiontck.checks.child.ChildProcessImplementation;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.Dtype;
import org.diffusiontck.checks.report.Run;
import org.diffusiontck.checks.rules.ImplementationError;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleInfo;
import org.diffusiontck.checks.rules.RuleResult;
import org.diffusiontck.checks.rules.RuleRunner;
import org.diffusiontck.checks.rules.RuleSelection;
import org.diffusiontck.checks.rules.RunSettings;
import org.diffusiontck.checks.rules.Status;
import org.diffusiontck.checks.rules.catalogue.Catalogue;
import org.diffusiontck.checks.vectors.Intercept;
import org.diffusiontck.checks.vectors.VectorCase;
import org.diffusiontck.checks.vectors.VectorFiles;
import org.diffusiontck.checks.vectors.VectorRule;

/**
 * A conformance run: the recorded vectors and the property rules of the catalogue against one
 * implementation, as {@code ./tck conform} does it for a child process. Each rule {@code ID} is
 * followed by {@code ID/vectors}, its recorded cases, when it has any.
 */
public final class Conformance {
  /**
   * What to run and how.
   *
   * @param settings seed, tries factor, tolerance overrides
   * @param dtype the dtype whose tolerances apply, or null for the declared one
   * @param rules the rule IDs to run, as comma-separated globs (e.g. {@code DDIM-*,POST-1}); null
   *     for all
   * @param vectors the directory of the vectors, or null to run the property rules alone
   * @param limits a child process's handshake and request timeouts and longest answer line
   */
  public record Options(RunSettings settings, Dtype dtype, String rules, Path vectors,
      ChildLimits limits) {
    /**
     * The defaults.
     *
     * @return every rule, the kit's vectors, default settings and limits
     */
    public static Options defaults() {
      return new Options(RunSettings.defaults(), null, null, KitPaths.vectors(),
          ChildLimits.defaults());
    }

    /**
     * Selects rules.
     *
     * @param globs rule IDs as comma-separated globs, or null for all
     * @return these options with that selection
     */
    public Options withRules(String globs) {
      return new Options(settings, dtype, globs, vectors, limits);
    }

    /**
     * Sets seed, tries and tolerance overrides.
     *
     * @param s the settings
     * @return these options with those settings
     */
    public Options withSettings(RunSettings s) {
      return new Options(s, dtype, rules, vectors, limits);
    }

    /**
     * Chooses the vectors.
     *
     * @param dir the directory of the vectors, or null for the property rules alone
     * @return these options with those vectors
     */
    public Options withVectors(Path dir) {
      return new Options(settings, dtype, rules, dir, limits);
    }

    /**
     * Sets the time one request to a child process may take.
     *
     * @param t the timeout
     * @return these options with that request timeout
     */
    public Options withTimeout(Duration t) {
      return withLimits(limits.withRequest(t));
    }

    /**
     * Sets the limits of a child process.
     *
     * @param l the handshake and request timeouts and the longest answer line
     * @return these options with those limits
     */
    public Options withLimits(ChildLimits l) {
      return new Options(settings, dtype, rules, vectors, l);
    }
  }

  private Conformance() {}

  /**
   * Runs {@code commandLine} as a child process speaking {@code spec/PROTOCOL.md} against the
   * selected rules and vectors; the child's process tree is ended when the run ends. A child that
   * fails its handshake gets every selected rule marked ERROR with the reason.
   *
   * @param commandLine the child's command line, run by {@code /bin/sh -c}
   * @param options the rules, vectors, settings and timeout
   * @param listener told as each rule starts and finishes
   * @return the results
   * @throws IOException if the vectors cannot be read
   */
  public static Run run(String commandLine, Options options, RuleRunner.Listener listener)
      throws IOException {
    List<Rule> rules = rules(options);
    Instant started = Instant.now();
    try (ChildProcessImplementation child =
        new ChildProcessImplementation(commandLine, null, options.limits())) {
      Declaration declared;
      try {
        declared = child.declaration();
      } catch (ImplementationError e) {
        return handshakeFailed(commandLine, rules, options, started, e.getMessage(), listener);
      }
      RuleRunner.Listener restarting = new RuleRunner.Listener() {
        @Override
        public void started(RuleInfo info, int index, int total) {
          child.nextRule();
          listener.started(info, index, total);
        }

        @Override
        public void finished(RuleResult result, int index, int total) {
          listener.finished(result, index, total);
        }
      };
      return run(child, declared, rules, options, started, restarting);
    }
  }

  /**
   * Runs the selected rules and vectors against a JVM implementation.
   *
   * @param impl the implementation
   * @param options the rules, vectors and settings (the timeout does not apply)
   * @param listener told as each rule starts and finishes
   * @return the results
   * @throws IOException if the vectors cannot be read
   */
  public static Run run(DiffusionImplementation impl, Options options,
      RuleRunner.Listener listener) throws IOException {
    return run(impl, impl.declaration(), rules(options), options, Instant.now(), listener);
  }

  private static Run run(DiffusionImplementation impl, Declaration declared, List<Rule> rules,
      Options options, Instant started, RuleRunner.Listener listener) {
    Declaration d = options.dtype() == null ? declared : declared.withDtype(options.dtype());
    DiffusionImplementation target = d == declared ? impl : Intercept.redeclared(impl, d);
    List<RuleResult> results = new RuleRunner(options.settings()).run(target, rules, listener);
    return new Run(d.name(), d.dtype().label(), options.settings(), results, started,
        Duration.between(started, Instant.now()).toMillis());
  }

  /**
   * Every rule of the catalogue, each followed by its recorded cases in {@code vectors}: what a
   * JVM implementation's {@code DiffusionTck} subclass returns from {@code rules()} to replay the
   * vectors too.
   *
   * @param vectors the directory of the vectors, e.g. the kit's {@code spec/vectors}
   * @return the rules
   * @throws IOException if the vectors cannot be read
   */
  public static List<Rule> catalogueWithVectors(Path vectors) throws IOException {
    return rules(Options.defaults().withVectors(vectors));
  }

  /** The catalogue's rules selected by the globs, each followed by its vectors. */
  static List<Rule> rules(Options options) throws IOException {
    List<Rule> selected = RuleSelection.matching(Catalogue.all(), options.rules());
    if (options.vectors() == null) {
      return selected;
    }
    if (!Files.exists(options.vectors().resolve(VectorFiles.MANIFEST))) {
      throw new IOException("no vectors in " + options.vectors() + " (no "
          + VectorFiles.MANIFEST + "); generate them with ./tck vectors --out "
          + options.vectors());
    }
    List<VectorCase> cases = VectorFiles.read(options.vectors());
    return VectorRule.interleave(selected, cases, KitPaths.shown(options.vectors()));
  }

  private static Run handshakeFailed(String commandLine, List<Rule> rules, Options options,
      Instant started, String reason, RuleRunner.Listener listener) {
    List<RuleResult> results = new ArrayList<>();
    String message = "the implementation did not complete the handshake: " + reason;
    for (int i = 0; i < rules.size(); i++) {
      listener.started(rules.get(i).info(), i, rules.size());
      RuleResult r = new RuleResult(rules.get(i).info(), Status.ERROR, message, null, 0, 0, 0,
          "", null, 0, 0);
      results.add(r);
      listener.finished(r, i, rules.size());
    }
    String dtype = options.dtype() == null ? "undeclared" : options.dtype().label();
    return new Run(commandLine, dtype, options.settings(), results, started,
        Duration.between(started, Instant.now()).toMillis());
  }
}
