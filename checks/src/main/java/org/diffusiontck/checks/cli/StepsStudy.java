package org.diffusiontck.checks.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.diffusiontck.reference.oracle.GaussianData;
import org.diffusiontck.reference.oracle.IndependentGaussian;
import org.diffusiontck.reference.oracle.LawDistance;
import org.diffusiontck.reference.sampling.Spacing;
import org.diffusiontck.reference.sampling.Timesteps;
import org.diffusiontck.reference.schedule.NoiseSchedule;

/**
 * The steps study on the Gaussian oracle: for each spacing, sampler and number of steps N, the
 * exact law of the sampler's output ({@link SamplerLaw}) and its exact distances to the data law
 * ({@link LawDistance}); plus three reference rows: the start mismatch (N(0, I) against q(x_T)),
 * the exact probability flow from N(0, I) (the limit of DDIM at η = 0), and DDPM with all T steps
 * and the small variance (Ho et al. 2020's sampler, the level the claim is measured against).
 */
final class StepsStudy {
  /**
   * One row of the table: the distances of a sampler's output (or a reference law) to the data.
   *
   * @param spacing the spacing's kebab-case name, or "-" for a reference row
   * @param sampler the sampler's label, or the reference's name
   * @param steps N, or 0 for the start mismatch and the flow (no network evaluations counted)
   */
  record Row(String spacing, String sampler, int steps, LawDistance distance) {
    /** One network evaluation per step for every sampler of the study. */
    int evaluations() {
      return steps;
    }
  }

  /** The CSV header, and the columns of the JSON rows. */
  static final List<String> COLUMNS = List.of("spacing", "sampler", "steps", "evaluations",
      "kl_sample_data", "kl_data_sample", "w2", "tv_lower", "tv_upper");

  /** The reference row names. */
  static final String START = "start-mismatch";

  static final String FLOW = "exact-flow";
  static final String DDPM_ALL = "ddpm:small";

  private StepsStudy() {}

  /**
   * Every row: the three reference rows first, then spacing by spacing, sampler by sampler, N
   * increasing; {@code progress} hears one line per (spacing, sampler).
   */
  static List<Row> rows(GaussianData data, List<Spacing> spacings, List<StudySampler> samplers,
      List<Integer> steps, Consumer<String> progress) {
    NoiseSchedule schedule = data.schedule();
    int T = schedule.T();
    IndependentGaussian target = data.law();
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("-", START, 0, LawDistance.between(
        IndependentGaussian.standard(target.dimension()), data.marginalLaw(T))));
    rows.add(new Row("-", FLOW, 0, LawDistance.between(data.flowLaw(T), target)));
    rows.add(new Row("-", DDPM_ALL, T, LawDistance.between(
        StudySampler.parse(DDPM_ALL).law(data, Timesteps.all(T)), target)));
    int total = spacings.size() * samplers.size();
    int done = 0;
    for (Spacing spacing : spacings) {
      for (StudySampler sampler : samplers) {
        for (int N : steps) {
          Timesteps timesteps = Timesteps.select(spacing, T, N, 0);
          rows.add(new Row(KebabCase.of(spacing), sampler.label(), N,
              LawDistance.between(sampler.law(data, timesteps), target)));
        }
        done++;
        progress.accept(String.format(Locale.ROOT, "tck study steps: %d/%d %s %s", done, total,
            KebabCase.of(spacing), sampler.label()));
      }
    }
    return rows;
  }

  /** The CSV table: a header, then one line per row, numbers as Double.toString writes them. */
  static String csv(List<Row> rows) {
    StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append('\n');
    for (Row row : rows) {
      LawDistance d = row.distance();
      out.append(String.join(",", row.spacing(), row.sampler(), Integer.toString(row.steps()),
          Integer.toString(row.evaluations()), Double.toString(d.klPQ()),
          Double.toString(d.klQP()), Double.toString(d.w2()), Double.toString(d.tvLower()),
          Double.toString(d.tvUpper()))).append('\n');
    }
    return out.toString();
  }
}
