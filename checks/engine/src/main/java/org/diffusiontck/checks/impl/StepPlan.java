package org.diffusiontck.checks.impl;

/**
 * The timesteps a sampler visits, t_1 &gt; … &gt; t_N in 1..T, and for each the timestep its step
 * lands on (the next selected one, or t − T/N, per the declared {@code PreviousTimestep}; 0 after
 * the last).
 */
public record StepPlan(int[] timesteps, int[] previous) {}
