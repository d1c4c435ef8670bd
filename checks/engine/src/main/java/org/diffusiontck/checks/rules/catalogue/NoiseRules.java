package org.diffusiontck.checks.rules.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.rules.Ask;
import org.diffusiontck.checks.rules.CaseRule;
import org.diffusiontck.checks.rules.Level;
import org.diffusiontck.checks.rules.Measurement;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleInfo;
import org.diffusiontck.checks.rules.Statistics;
import org.diffusiontck.checks.rules.Tolerance;
import org.diffusiontck.checks.rules.Tolerances;

/** NOISE: the portable noise of spec/NOISE.md. */
final class NoiseRules {
  private NoiseRules() {}

  private static final int N = 1 << 18;

  static List<Rule> all() {
    return List.of(knownAnswers(), moments());
  }

  /** One case of the known-answer file: a key and the normals of successive calls. */
  record KnownAnswer(long seed, long stream, List<double[]> calls) {
    @Override
    public String toString() {
      return "{seed: " + Long.toUnsignedString(seed) + ", stream: "
          + Long.toUnsignedString(stream) + ", calls: " + calls.stream().map(c -> c.length).toList()
          + "}";
    }
  }

  /** The cases of spec/noise/portable-noise-kat.json, generated with numpy. */
  static List<KnownAnswer> knownAnswerFile() {
    try (InputStream in = NoiseRules.class.getResourceAsStream(KAT)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + KAT);
      }
      List<KnownAnswer> out = new ArrayList<>();
      for (JsonNode c : new ObjectMapper().readTree(in).get("cases")) {
        List<double[]> calls = new ArrayList<>();
        for (JsonNode call : c.get("normal_calls")) {
          double[] z = new double[call.get("z").size()];
          for (int i = 0; i < z.length; i++) {
            z[i] = call.get("z").get(i).asDouble();
          }
          calls.add(z);
        }
        out.add(new KnownAnswer(Long.parseUnsignedLong(c.get("seed").asText().substring(2), 16),
            Long.parseUnsignedLong(c.get("stream").asText().substring(2), 16), calls));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String KAT = "/spec/noise/portable-noise-kat.json";

  static Rule knownAnswers() {
    List<KnownAnswer> cases = knownAnswerFile();
    return CaseRule.of(new RuleInfo("NOISE-1",
            "The portable noise of (seed, stream) reproduces the known answers computed with "
                + "numpy's Philox4x64-10, including successive calls of odd length.",
            "spec/NOISE.md",
            "published values: spec/noise/portable-noise-kat.json, written by numpy "
                + "(an independent implementation) through spec/noise/make_kat.py",
            Level.REQUIRED, new Tolerances(
                new Tolerance(4e-15, 0, "the raw words and uniforms are exact; log, cos and sin "
                    + "may differ by 1 ulp between math libraries, which moves z = r cos(theta) "
                    + "by a few ulps of r <= 8.6: 8.6 * 4.4e-16 = 4e-15"),
                new Tolerance(1e-6, 2e-7, "float32: the float64 normal rounded to float32 "
                    + "(6e-8 relative), plus 1e-6 absolute for a float32 Box-Muller"))),
        1, List.of(Operation.NOISE), (r, d) -> cases, c -> List.of(), (impl, file, m) -> {
          for (KnownAnswer c : file) {
            check(impl, c, m);
          }
        });
  }

  /** Asks for the calls' values in one request: a call consumes whole Box-Muller pairs. */
  private static void check(DiffusionImplementation impl, KnownAnswer c, Measurement m) {
    int total = 0;
    for (double[] call : c.calls()) {
      total += call.length + call.length % 2;
    }
    double[] z = Ask.noise(impl, c.seed(), c.stream(), new long[] {total}).data();
    int at = 0;
    for (int k = 0; k < c.calls().size(); k++) {
      double[] call = c.calls().get(k);
      for (int i = 0; i < call.length; i++) {
        m.close(c + " call " + (k + 1) + " z[" + i + "]", call[i], z[at + i]);
      }
      at += call.length + call.length % 2;
    }
  }

  static Rule moments() {
    double alpha = Statistics.FALSE_ALARM / 5;
    double z = Statistics.z(alpha);
    double varBound = Statistics.varianceRatioBound(N, alpha);
    return CaseRule.of(new RuleInfo("NOISE-2",
            "A long portable-noise stream has mean 0, variance 1, no lag-1 correlation (within "
                + "and across Box-Muller pairs) and passes a Kolmogorov-Smirnov test against "
                + "N(0, 1).",
            "spec/NOISE.md (Box & Muller 1958)",
            "Monte Carlo on " + N + " consecutive values of one stream",
            Level.STATISTICAL, Tolerances.both(new Tolerance(z, 0,
                "false-alarm 1e-6 split over 5 tests: |mean| and |correlations| <= " + (float) z
                    + " standard errors, |S^2 - 1| <= " + (float) varBound + ", KS p-value >= "
                    + "2e-7; detects a mean of 0.01, a variance off by 2%, a correlation of 0.01"))),
        1, List.of(Operation.NOISE), (r, d) -> r.nextLong(), seed -> List.of(), (impl, seed, m) -> {
          Tensor noise = Ask.noise(impl, seed, 0, new long[] {1, N});
          double[] x = noise.data();
          m.close("mean in standard errors", 0, Statistics.mean(x) * Math.sqrt(N));
          m.close("variance", 1, Statistics.variance(x), new Tolerance(varBound, 0, "chi-square"));
          double[] even = new double[N / 2];
          double[] odd = new double[N / 2];
          double[] across = new double[N / 2 - 1];
          double[] next = new double[N / 2 - 1];
          for (int i = 0; i < N / 2; i++) {
            even[i] = x[2 * i];
            odd[i] = x[2 * i + 1];
            if (i + 1 < N / 2) {
              across[i] = x[2 * i + 1];
              next[i] = x[2 * i + 2];
            }
          }
          m.close("correlation within pairs * sqrt(n)", 0,
              Statistics.correlation(even, odd) * Math.sqrt(N / 2.0));
          m.close("correlation across pairs * sqrt(n)", 0,
              Statistics.correlation(across, next) * Math.sqrt(N / 2.0 - 1));
          double p = Statistics.normalityPValue(x);
          m.require(p >= alpha, "Kolmogorov-Smirnov p-value >= " + alpha,
              () -> "p = " + p + " for seed " + seed);
        });
  }
}
