package org.diffusiontck.golden.record;

import java.util.Arrays;

/**
 * One sampler of a golden record: DDIM at σ = 0 or DDPM, over an explicit list of timesteps, and
 * the file its samples are stored in.
 *
 * @param name e.g. "ddim-50"
 * @param kind "ddim" or "ddpm"
 * @param eta DDIM's η (0: deterministic); 1 for DDPM, whose variance is the posterior's β̃
 * @param timesteps the selected timesteps, decreasing, in the papers' t
 * @param file the samples [S, C, H, W], one per seed, float64 .npy, relative to the record
 * @param image the PNG grid of the samples, relative to the record
 */
public record SamplerSpec(
    String name, String kind, double eta, int[] timesteps, String file, String image) {
  public static final String DDIM = "ddim";
  public static final String DDPM = "ddpm";

  public SamplerSpec {
    if (!DDIM.equals(kind) && !DDPM.equals(kind)) {
      throw new IllegalArgumentException("sampler " + name + ": kind must be ddim or ddpm, got "
          + kind);
    }
    if (timesteps == null || timesteps.length == 0) {
      throw new IllegalArgumentException("sampler " + name + ": timesteps must not be empty");
    }
  }

  /** A sampler named {@code kind-N}, with its files under samples/. */
  public static SamplerSpec of(String kind, double eta, int[] timesteps) {
    String name = kind + "-" + timesteps.length;
    return new SamplerSpec(name, kind, eta, timesteps, "samples/" + name + ".npy",
        "samples/" + name + ".png");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SamplerSpec s && name.equals(s.name) && kind.equals(s.kind)
        && Double.compare(eta, s.eta) == 0 && Arrays.equals(timesteps, s.timesteps)
        && file.equals(s.file) && image.equals(s.image);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(timesteps);
  }

  @Override
  public String toString() {
    return name + " (" + kind + ", eta " + eta + ", " + timesteps.length + " timesteps from "
        + timesteps[0] + ")";
  }
}
