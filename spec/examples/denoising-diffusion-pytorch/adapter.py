#!/usr/bin/env python3
"""denoising-diffusion-pytorch's GaussianDiffusion (lucidrains) as a Diffusion TCK child
(spec/PROTOCOL.md). Every number comes from the library's own functions and tables; this file
only converts timesteps (the papers' t = the index + 1), reshapes tensors and refuses what the
protocol calls invalid.

    ./tck conform --impl "/usr/bin/python3 spec/examples/denoising-diffusion-pytorch/adapter.py"

The library's samplers are whole loops that draw their own starting noise (p_sample_loop,
ddim_sample), and its one-step p_sample always clips x0-hat and steps t -> t - 1 only, so no step
operation is declared. Environment: DIFFUSION_TCK_DTYPE=float32 (default) or float64.
"""
import importlib.util
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import tck_child  # noqa: E402
from tck_child import Refusal, require, index_of  # noqa: E402

# The module imports a training stack that has nothing to do with the diffusion math: image
# transforms (torchvision), EMA weights (ema_pytorch), distributed training (accelerate), tensor
# rearrangement for the U-Net and losses (einops), and scipy's assignment solver for "immiscible"
# noise (off by default). Where missing, they are stubbed.
STUBBED = [m for m in ("torchvision", "einops", "ema_pytorch", "accelerate", "scipy")
           if importlib.util.find_spec(m) is None]
tck_child.stub_modules(STUBBED)

import torch  # noqa: E402


def _library_module():
    """denoising_diffusion_pytorch.denoising_diffusion_pytorch without running the package's
    __init__, which imports every other model of the package."""
    spec = importlib.util.find_spec("denoising_diffusion_pytorch")
    require(spec is not None, "denoising_diffusion_pytorch is not installed or on PYTHONPATH")
    package = types.ModuleType("denoising_diffusion_pytorch")
    package.__path__ = list(spec.submodule_search_locations)
    sys.modules["denoising_diffusion_pytorch"] = package
    import denoising_diffusion_pytorch.denoising_diffusion_pytorch as ddp
    return ddp


ddp = _library_module()

DTYPE = tck_child.dtype_name()
TORCH_DTYPE = torch.float64 if DTYPE == "float64" else torch.float32

DECLARATION = {
    "name": f"denoising-diffusion-pytorch {ddp.__version__} GaussianDiffusion "
            f"(torch {torch.__version__}, {DTYPE})",
    "dtype": DTYPE,
    "protocol": 2,
    "operations": ["schedule", "forward_sample", "convert", "reverse_log_variance"],
    "schedules": ["linear", "cosine"],
    "zeroTerminalSnr": False,
    "predictions": ["epsilon", "x0", "v"],
    "varianceChoices": ["fixed_small"],
    "spacings": [],
    "clippings": ["none"],
    # protocol version 2: q_sample is q(x_t | x_0) only; predict_start_from_noise,
    # predict_noise_from_start and predict_start_from_v are its conversions
    "forwardSampleFrom": "data",
    "conversions": [["epsilon", "x0"], ["x0", "epsilon"], ["v", "x0"]],
    "conventions": {
        "linearEndpoints": "scaled_by_1000_over_t",
        "t1LogVariance": "clamp_1e_20",
        "ddimEpsilon": "recomputed_from_clipped_x0",
        "finalAlphaBar": "one",
        "previousTimestep": "next_selected",
        "inversionModelTime": "source",
        "decoderCdf": "exact",
    },
}


class NoModel(torch.nn.Module):
    """GaussianDiffusion needs a network to be built; the operations declared never call it."""
    channels = 1
    out_dim = 1
    self_condition = False

    def forward(self, *args):
        raise Refusal("the network was called")


def diffusion(spec):
    kind, T = spec["kind"].lower(), spec["steps"]
    require(isinstance(T, int) and T >= 1, f"T must be at least 1, got {T}")
    require(not spec.get("zeroTerminalSnr"), "denoising-diffusion-pytorch has no zero terminal SNR")
    if kind == "linear":
        got = (spec.get("betaStart"), spec.get("betaEnd"))
        require(got == (1e-4, 0.02), f"linear_beta_schedule has the endpoints (1e-4, 0.02) times "
                                     f"1000/T only, got {got}")
        kw = {}
    elif kind == "cosine":
        require(spec.get("cosineMaxBeta") == 0.999,
                f"cosine_beta_schedule caps beta at 0.999 only, got {spec.get('cosineMaxBeta')}")
        kw = {"s": spec["cosineOffset"]}
    else:
        raise Refusal(f"denoising-diffusion-pytorch builds linear and cosine schedules by name "
                      f"only, got {kind}")
    return ddp.GaussianDiffusion(NoModel(), image_size=1, timesteps=T, beta_schedule=kind,
                                 schedule_fn_kwargs=kw, objective="pred_noise")


def timesteps(r, T):
    require(all(isinstance(t, int) and 1 <= t <= T for t in r["t"]),
            f"t must be in 1..{T}, got {r['t']}")
    return torch.tensor([index_of(t) for t in r["t"]], dtype=torch.long)


def tensor(r, key):
    return tck_child.to_torch(torch, r[key], TORCH_DTYPE)


def op_schedule(r):
    d = diffusion(r["schedule"])
    a = [1.0] + d.alphas_cumprod.double().tolist()
    snr = [float("inf")] + [x / (1.0 - x) if x < 1.0 else float("inf") for x in a[1:]]
    return {"beta": [0.0] + d.betas.double().tolist(), "alphaBar": a, "snr": snr}


def op_forward_sample(r):
    """q_sample: from the data only (s = 0)."""
    require(all(s == 0 for s in r["s"]), "q_sample samples q(x_t | x_0) only (s = 0)")
    d = diffusion(r["schedule"])
    x = d.q_sample(tensor(r, "xs"), timesteps(r, d.num_timesteps), noise=tensor(r, "eps"))
    return tck_child.from_torch(x, r["xs"]["shape"])


def op_convert(r):
    pair = (r["from"].lower(), r["to"].lower())
    d = diffusion(r["schedule"])
    xt, value, t = tensor(r, "xt"), tensor(r, "value"), timesteps(r, d.num_timesteps)
    if pair == ("epsilon", "x0"):
        out = d.predict_start_from_noise(xt, t, value)
    elif pair == ("x0", "epsilon"):
        out = d.predict_noise_from_start(xt, t, value)
    elif pair == ("v", "x0"):
        out = d.predict_start_from_v(xt, t, value)
    else:
        raise Refusal(f"no conversion {pair[0]} -> {pair[1]} in denoising-diffusion-pytorch")
    return tck_child.from_torch(out, r["xt"]["shape"])


def op_reverse_log_variance(r):
    """q_posterior's posterior_log_variance_clipped, which p_mean_variance returns."""
    require(r["choice"].lower() == "fixed_small", f"only fixed_small, got {r['choice']}")
    d = diffusion(r["schedule"])
    xt = tensor(r, "xt")
    _, _, log_variance = d.q_posterior(torch.zeros_like(xt), xt, timesteps(r, d.num_timesteps))
    return tck_child.from_torch(log_variance.expand_as(xt), r["xt"]["shape"])


OPERATIONS = {
    "schedule": op_schedule, "forward_sample": op_forward_sample, "convert": op_convert,
    "reverse_log_variance": op_reverse_log_variance,
}

if __name__ == "__main__":
    tck_child.serve(DECLARATION, OPERATIONS)
