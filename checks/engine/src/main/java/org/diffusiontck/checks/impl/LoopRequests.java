package org.diffusiontck.checks.impl;

import java.util.List;

/**
 * The loop operations ({@code spec/PROTOCOL.md}, section 9): an implementation runs its own
 * sampling or inversion loop over the timesteps it selects for (T, {@code count}, {@code spacing},
 * {@code leadingOffset}, {@code sections}), under its declared conventions, and calls the kit's
 * model once per step. Every random input is in the request.
 */
public final class LoopRequests {
  private LoopRequests() {}

  /**
   * DDPM ancestral sampling (Ho et al. 2020, Algorithm 2) from x at the first selected timestep
   * t_1 down to x_0: step k goes t_k → s_k (the next selected timestep, or t_k − ⌊T/N⌋, per the
   * declared {@code PreviousTimestep}; 0 after the last) with the model at t_k and {@code
   * noise.get(k)}; no noise is added on the step to 0. A fixed variance choice only.
   */
  public record DdpmSample(ScheduleSpec schedule, Prediction prediction, VarianceChoice choice,
      Clipping clipping, int count, Spacing spacing, Integer leadingOffset, String sections,
      Tensor x, List<Tensor> noise) implements LoopRequest {
    /**
     * Copies the step noise, so the request cannot change under the implementation.
     *
     * @param schedule the noise schedule
     * @param prediction what the model predicts
     * @param choice the fixed variance choice
     * @param clipping the treatment of x̂_0
     * @param count N, the number of selected timesteps
     * @param spacing how they are selected
     * @param leadingOffset the offset of leading spacing, or null
     * @param sections the sections of sections spacing, or null
     * @param x the start, at the first selected timestep
     * @param noise one tensor per step
     */
    public DdpmSample {
      noise = List.copyOf(noise);
    }

    @Override
    public Operation operation() {
      return Operation.DDPM_SAMPLE;
    }

    @Override
    public Requests.Timesteps selection() {
      return new Requests.Timesteps(schedule.steps(), count, spacing, leadingOffset, sections);
    }

    @Override
    public Tensor applyTo(DiffusionImplementation impl, Model model) {
      return impl.ddpmSample(this, model);
    }
  }

  /**
   * DDIM sampling (Song et al. 2021, eqs. 12 and 16) from x at t_1 down to the final ᾱ: step k
   * goes t_k → s_k with the model at t_k and {@code noise.get(k)} (used where σ &gt; 0).
   */
  public record DdimSample(ScheduleSpec schedule, Prediction prediction, double eta,
      Clipping clipping, int count, Spacing spacing, Integer leadingOffset, String sections,
      Tensor x, List<Tensor> noise) implements LoopRequest {
    /**
     * Copies the step noise, so the request cannot change under the implementation.
     *
     * @param schedule the noise schedule
     * @param prediction what the model predicts
     * @param eta η of σ_t(η)
     * @param clipping the treatment of x̂_0
     * @param count N, the number of selected timesteps
     * @param spacing how they are selected
     * @param leadingOffset the offset of leading spacing, or null
     * @param sections the sections of sections spacing, or null
     * @param x the start, at the first selected timestep
     * @param noise one tensor per step
     */
    public DdimSample {
      noise = List.copyOf(noise);
    }

    @Override
    public Operation operation() {
      return Operation.DDIM_SAMPLE;
    }

    @Override
    public Requests.Timesteps selection() {
      return new Requests.Timesteps(schedule.steps(), count, spacing, leadingOffset, sections);
    }

    @Override
    public Tensor applyTo(DiffusionImplementation impl, Model model) {
      return impl.ddimSample(this, model);
    }
  }

  /**
   * DDIM inversion (Song et al. 2021, §4.3; σ = 0) from x at {@code from} up the selected
   * timesteps: {@code from} is 0 (the data; the first step is 0 → t_N) or t_N, the smallest
   * selected timestep; then t_N → t_{N−1} → … → t_1. Each step s → t reads x̂_0 and ε̂ at s (ᾱ_1
   * for s = 0 under {@code FinalAlphaBar.FIRST_SELECTED}) from the model evaluated at the declared
   * {@code InversionModelTime}; returns x at t_1.
   */
  public record DdimInvert(ScheduleSpec schedule, Prediction prediction, Clipping clipping,
      int count, Spacing spacing, Integer leadingOffset, String sections, Tensor x, int from)
      implements LoopRequest {
    @Override
    public Operation operation() {
      return Operation.DDIM_INVERT;
    }

    @Override
    public Requests.Timesteps selection() {
      return new Requests.Timesteps(schedule.steps(), count, spacing, leadingOffset, sections);
    }

    @Override
    public Tensor applyTo(DiffusionImplementation impl, Model model) {
      return impl.ddimInvert(this, model);
    }
  }
}
