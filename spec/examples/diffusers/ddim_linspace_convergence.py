#!/usr/bin/env python3
"""DDIM-6 on diffusers' DDIMScheduler through its public API alone: the eta = 0 chain over
`timestep_spacing` "leading", "linspace" and "trailing", with an exact model (Gaussian data
x_0 ~ N(mu, s^2) per coordinate, so E[x_0 | x_t] is closed-form), against the exact
probability-flow map to alphaBar = 1 (spec/derivations/gaussian-oracle.md).

`step` moves the sample to alphas_cumprod[t - T // N] while the next call comes at the next listed
timestep: over "leading" the two agree and the error falls like Euler's (order about 1); over
"linspace" (and "trailing" where N does not divide T) the error does not fall with N (N = 80 ->
100, 333 -> 400 it grows). A control chain written out here (eq. 12 at eta = 0, landing on the
next listed timestep) over the same "linspace" timesteps converges like "leading".

    PYTHONPATH=/path/to/diffusers/src /usr/bin/python3 ddim_linspace_convergence.py
"""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import tck_child  # noqa: E402

tck_child.stub_modules([m for m in ("huggingface_hub", "safetensors")
                        if __import__("importlib.util").util.find_spec(m) is None])
import torch  # noqa: E402
from diffusers.schedulers.scheduling_ddim import DDIMScheduler  # noqa: E402

torch.set_default_dtype(torch.float64)
MU = torch.tensor([0.2155, -0.4564, -0.3023, 0.6933])
SD = torch.tensor([0.6083, 0.4711, 0.6109, 0.3705])
Z = torch.tensor([1.3, -0.7, 0.4, 2.0])
COUNTS = [10, 20, 40, 80, 100, 125, 200, 250, 333, 400, 500]


def scheduler(spacing, n):
    s = DDIMScheduler(num_train_timesteps=1000, beta_schedule="scaled_linear", beta_start=8.5e-4,
                      beta_end=0.012, prediction_type="sample", clip_sample=False,
                      set_alpha_to_one=True, timestep_spacing=spacing)
    s.set_timesteps(n)
    return s


def x0_hat(alpha_bar, x):
    """E[x_0 | x_t] for Gaussian data."""
    return MU + alpha_bar.sqrt() * SD**2 / (alpha_bar * SD**2 + 1 - alpha_bar) * (
        x - alpha_bar.sqrt() * MU)


def error(spacing, n, control=False):
    s = scheduler(spacing, n)
    ab = s.alphas_cumprod.double()
    ts = [int(t) for t in s.timesteps]
    a0 = ab[ts[0]]
    start = a0.sqrt() * MU + (a0 * SD**2 + 1 - a0).sqrt() * Z
    x = start
    for k, t in enumerate(ts):
        x0 = x0_hat(ab[t], x)
        if control:
            eps = (x - ab[t].sqrt() * x0) / (1 - ab[t]).sqrt()
            a = ab[ts[k + 1]] if k + 1 < len(ts) else torch.tensor(1.0)
            x = a.sqrt() * x0 + (1 - a).sqrt() * eps
        else:
            x = s.step(x0, t, x, eta=0.0).prev_sample.double()
    exact = MU + SD / (a0 * SD**2 + 1 - a0).sqrt() * (start - a0.sqrt() * MU)
    return (x - exact).abs().max().item()


for name, spacing, control in [("DDIMScheduler, leading", "leading", False),
                               ("DDIMScheduler, linspace", "linspace", False),
                               ("DDIMScheduler, trailing", "trailing", False),
                               ("control over linspace timesteps", "linspace", True)]:
    print(name)
    previous = None
    for n in COUNTS:
        e = error(spacing, n, control)
        order = "" if previous is None else \
            f"  order {math.log(previous[1] / e) / math.log(n / previous[0]):6.2f}"
        print(f"  N = {n:3d}  T // N = {1000 // n:3d}  error {e:.3e}{order}")
        previous = (n, e)
