package org.diffusiontck.golden.check;

/**
 * One check of a golden verification and what it observed.
 *
 * @param id a stable name, e.g. {@code GOLDEN-SAMPLE/ddim-50/seed-3} or {@code SOUND-INVERSION}
 * @param statement what it claims
 * @param passed its verdict
 * @param observed the value observed
 * @param allowed the tolerance or bound it was held to, with its argument where short
 * @param where where the worst case occurred (seed, pixel, timestep), or ""
 */
public record Check(
    String id, String statement, boolean passed, String observed, String allowed, String where) {
  /** Golden comparisons: recomputed or candidate numbers against the record. */
  public static final String GOLDEN = "GOLDEN";
  /** Checks any sound model must pass, whatever the record. */
  public static final String SOUND = "SOUND";

  /** GOLDEN or SOUND. */
  public String group() {
    return id.substring(0, id.indexOf('-'));
  }
}
