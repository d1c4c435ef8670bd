#!/usr/bin/env python3
"""diffusers' DDPMScheduler, DDIMScheduler and DDIMInverseScheduler as a Diffusion TCK child
(spec/PROTOCOL.md). Every number comes from the library's own functions; this file only converts
timesteps (the papers' t = diffusers' index + 1), reshapes tensors, injects the kit's noise and
refuses inputs the protocol calls invalid.

    ./tck conform --impl "/usr/bin/python3 spec/examples/diffusers/adapter.py"

Environment: DIFFUSION_TCK_DTYPE=float32 (default; diffusers' own) or float64 (samples and model
outputs in float64; diffusers keeps its schedule tables in float32 whatever the samples' dtype);
DIFFUSERS_LOG_VARIANCES=1 runs the kit's fixed_small / fixed_large as diffusers'
"fixed_small_log" / "fixed_large_log". See README.md beside this file.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import tck_child  # noqa: E402
from tck_child import Refusal, require, index_of  # noqa: E402

# diffusers' package __init__ imports the Hugging Face hub client and safetensors, which have
# nothing to do with the schedulers' math; where they are not installed they are stubbed.
tck_child.stub_missing = [m for m in ("huggingface_hub", "safetensors")
                          if __import__("importlib.util").util.find_spec(m) is None]
tck_child.stub_modules(tck_child.stub_missing)

import torch  # noqa: E402
import diffusers  # noqa: E402
from diffusers.schedulers import scheduling_ddpm  # noqa: E402
from diffusers.schedulers.scheduling_ddim import DDIMScheduler  # noqa: E402
from diffusers.schedulers.scheduling_ddim_inverse import DDIMInverseScheduler  # noqa: E402
from diffusers.schedulers.scheduling_ddpm import DDPMScheduler  # noqa: E402

DTYPE = tck_child.dtype_name()
TORCH_DTYPE = torch.float64 if DTYPE == "float64" else torch.float32
LOG_VARIANCES = os.environ.get("DIFFUSERS_LOG_VARIANCES", "") == "1"

DECLARATION = {
    "name": f"diffusers {diffusers.__version__} schedulers (torch {torch.__version__}, {DTYPE}"
            + (", fixed_*_log variances" if LOG_VARIANCES else "") + ")",
    "dtype": DTYPE,
    "protocol": 2,
    "operations": ["schedule", "forward_sample", "posterior", "reverse_log_variance",
                   "ddpm_step", "ddim_step", "ddim_invert_step", "timesteps"],
    "schedules": ["linear", "scaled_linear", "cosine", "sigmoid", "betas"],
    "zeroTerminalSnr": True,
    "predictions": ["epsilon", "x0", "v"],
    "varianceChoices": ["fixed_small", "fixed_large", "learned_variance", "learned_range"],
    "spacings": ["linspace", "leading", "trailing"],
    "clippings": ["none", "clip", "dynamic"],
    # protocol version 2: add_noise samples q(x_t | x_0) only; DDIMInverseScheduler has no
    # dynamic thresholding
    "forwardSampleFrom": "data",
    "clippingsPerOperation": {"ddim_invert_step": ["none", "clip"]},
    "conventions": {
        "linearEndpoints": "fixed",
        "t1LogVariance": "clamp_1e_20",
        "ddimEpsilon": "model",
        "finalAlphaBar": "one",
        "previousTimestep": "fixed_stride",
        "inversionModelTime": "target",
        "decoderCdf": "exact",
    },
}

PREDICTION = {"epsilon": "epsilon", "x0": "sample", "v": "v_prediction"}
VARIANCE = {"fixed_small": "fixed_small_log" if LOG_VARIANCES else "fixed_small",
            "fixed_large": "fixed_large_log" if LOG_VARIANCES else "fixed_large",
            "learned_variance": "learned", "learned_range": "learned_range"}
COSINE = (0.008, 0.999)  # the only cosine schedule diffusers builds: "squaredcos_cap_v2"


def schedule_kwargs(spec, scheduler=DDPMScheduler):
    """diffusers' constructor arguments for a wire schedule."""
    kind, T = spec["kind"].lower(), spec["steps"]
    require(isinstance(T, int) and T >= 1, f"T must be at least 1, got {T}")
    kw = {"num_train_timesteps": T, "rescale_betas_zero_snr": bool(spec.get("zeroTerminalSnr"))}
    if kind in ("linear", "scaled_linear", "sigmoid"):
        kw.update(beta_schedule=kind, beta_start=spec["betaStart"], beta_end=spec["betaEnd"])
        if kind == "sigmoid" and scheduler is not DDPMScheduler:
            # DDIM's constructors lack "sigmoid": DDPMScheduler's own sigmoid betas, as trained_betas
            ddpm = DDPMScheduler(num_train_timesteps=T, beta_schedule="sigmoid",
                                 beta_start=spec["betaStart"], beta_end=spec["betaEnd"])
            kw = {"num_train_timesteps": T, "trained_betas": ddpm.betas.tolist(),
                  "rescale_betas_zero_snr": kw["rescale_betas_zero_snr"]}
    elif kind == "cosine":
        got = (spec.get("cosineOffset"), spec.get("cosineMaxBeta"))
        require(got == COSINE, f"diffusers builds the cosine schedule with (s, max beta) = "
                               f"{COSINE} only, got {got}")
        kw.update(beta_schedule="squaredcos_cap_v2")
    elif kind == "betas":
        betas = spec.get("betas") or []
        require(len(betas) == T, f"betas must hold T = {T} values, got {len(betas)}")
        kw.update(trained_betas=list(betas))
    else:
        raise Refusal(f"unknown schedule kind {kind}")
    return kw


def clipping_kwargs(clipping, thresholding=True):
    kind = (clipping or {}).get("kind", "none").lower()
    if kind == "none":
        return {"clip_sample": False}
    if kind == "clip":
        return {"clip_sample": True, "clip_sample_range": 1.0}
    require(kind == "dynamic", f"unknown clipping {kind}")
    require(thresholding, "DDIMInverseScheduler has no dynamic thresholding")
    return {"clip_sample": False, "thresholding": True,
            "dynamic_thresholding_ratio": clipping["percentile"],
            "sample_max_value": clipping["maxValue"]}


def tables(spec):
    s = DDPMScheduler(**schedule_kwargs(spec))
    return s.betas.double().tolist(), s.alphas_cumprod.double().tolist()


def op_schedule(r):
    betas, alpha_bar = tables(r["schedule"])
    snr = [float("inf")] + [a / (1.0 - a) if a < 1.0 else float("inf") for a in alpha_bar]
    return {"beta": [0.0] + betas, "alphaBar": [1.0] + alpha_bar, "snr": snr}


def op_forward_sample(r):
    """DDPMScheduler.add_noise: q(x_t | x_0), from the data only."""
    require(all(s == 0 for s in r["s"]), "add_noise samples q(x_t | x_0) only (s = 0)")
    x0, eps = (tck_child.to_torch(torch, r[k], TORCH_DTYPE) for k in ("xs", "eps"))
    sch = DDPMScheduler(**schedule_kwargs(r["schedule"]))
    T = sch.config.num_train_timesteps
    require(all(1 <= t <= T for t in r["t"]), f"t must be in 1..{T}, got {r['t']}")
    t = torch.tensor([index_of(t) for t in r["t"]], dtype=torch.long)
    return tck_child.from_torch(sch.add_noise(x0, eps, t), r["xs"]["shape"])


def check_pair(T, t, s):
    require(isinstance(t, int) and 1 <= t <= T, f"t must be in 1..{T}, got {t}")
    require(isinstance(s, int) and 0 <= s < t, f"s must be in 0..{t - 1}, got {s}")


def ddpm_scheduler(spec, t, s, **kw):
    """A DDPMScheduler whose chain steps from t straight to s: custom timesteps [t, s] as indices."""
    sch = DDPMScheduler(**schedule_kwargs(spec), **kw)
    check_pair(sch.config.num_train_timesteps, t, s)
    sch.set_timesteps(timesteps=[index_of(t)] + ([index_of(s)] if s >= 1 else []))
    return sch


def op_posterior(r):
    """Mean: DDPMScheduler.step with prediction_type="sample" (x_0 itself) and zero noise; variance:
    DDPMScheduler._get_variance, both on the chain t -> s."""
    x0, xt = (tck_child.to_torch(torch, r[k], TORCH_DTYPE) for k in ("x0", "xt"))
    mean, variance = [], []
    for b, (t, s) in enumerate(zip(r["t"], r["s"])):
        sch = ddpm_scheduler(r["schedule"], t, s, prediction_type="sample", clip_sample=False)
        zero = torch.zeros_like(xt[b:b + 1])
        with tck_child.InjectedNoise(scheduling_ddpm, "randn_tensor", zero):
            mean.append(sch.step(x0[b:b + 1], index_of(t), xt[b:b + 1]).prev_sample)
        variance.append(float(sch._get_variance(index_of(t))) if s >= 1 else 0.0)
    return {"mean": tck_child.from_torch(torch.cat(mean), r["xt"]["shape"]), "variance": variance}


def log_variance_of(sch, t, predicted):
    """log sigma_t^2 from DDPMScheduler._get_variance, which returns sigma^2 ("fixed_small",
    "fixed_large", "learned"), sigma ("fixed_small_log"), or log sigma^2 ("learned_range",
    "fixed_large_log")."""
    v = sch._get_variance(index_of(t), predicted_variance=predicted)
    kind = sch.config.variance_type
    if kind in ("learned_range", "fixed_large_log"):
        return v
    if kind == "fixed_small_log":
        return 2 * torch.log(v)
    return torch.log(v)


def op_reverse_log_variance(r):
    xt = tck_child.to_torch(torch, r["xt"], TORCH_DTYPE)
    out = r.get("varianceOutput")
    predicted = tck_child.to_torch(torch, out, TORCH_DTYPE) if out else None
    kind = VARIANCE[r["choice"].lower()]
    rows = []
    for b, t in enumerate(r["t"]):
        sch = DDPMScheduler(**schedule_kwargs(r["schedule"]), variance_type=kind)
        check_pair(sch.config.num_train_timesteps, t, t - 1)
        v = log_variance_of(sch, t, predicted[b:b + 1] if predicted is not None else None)
        rows.append(torch.ones_like(xt[b:b + 1]) * v)
    return tck_child.from_torch(torch.cat(rows), r["xt"]["shape"])


def op_ddpm_step(r):
    xt, out, z = (tck_child.to_torch(torch, r[k], TORCH_DTYPE) for k in ("xt", "modelOutput", "noise"))
    kind = VARIANCE[r["choice"].lower()]
    if kind in ("learned", "learned_range"):
        out = torch.cat([out, tck_child.to_torch(torch, r["varianceOutput"], TORCH_DTYPE)], dim=1)
    sch = ddpm_scheduler(r["schedule"], r["t"], r["s"], variance_type=kind,
                         prediction_type=PREDICTION[r["prediction"].lower()],
                         **clipping_kwargs(r["clipping"]))
    with tck_child.InjectedNoise(scheduling_ddpm, "randn_tensor", z):
        x = sch.step(out, index_of(r["t"]), xt).prev_sample
    return tck_child.from_torch(x, r["xt"]["shape"])


def strided(sch, t, s):
    """Sets the number of inference steps N whose stride T // N takes t to s: the only steps
    DDIMScheduler.step and DDIMInverseScheduler.step take (previous = t - T // N, any index below
    0 being the final alphaBar, s = 0; N = 1 has the stride T, which always lands there)."""
    T = sch.config.num_train_timesteps
    check_pair(T, t, s)
    if s == 0:
        sch.set_timesteps(1)
        return
    n = T // (t - s)
    require(n >= 1 and T // n == t - s,
            f"no number of steps N has the stride T // N = {t - s} at T = {T}")
    sch.set_timesteps(n)


def op_ddim_step(r):
    xt, out, z = (tck_child.to_torch(torch, r[k], TORCH_DTYPE) for k in ("xt", "modelOutput", "noise"))
    sch = DDIMScheduler(**schedule_kwargs(r["schedule"], DDIMScheduler), set_alpha_to_one=True,
                        prediction_type=PREDICTION[r["prediction"].lower()],
                        **clipping_kwargs(r["clipping"]))
    strided(sch, r["t"], r["s"])
    eta = r["eta"]
    x = sch.step(out, index_of(r["t"]), xt, eta=eta,
                 variance_noise=z if eta > 0 else None).prev_sample
    return tck_child.from_torch(x, r["xt"]["shape"])


def op_ddim_invert_step(r):
    xs, out = (tck_child.to_torch(torch, r[k], TORCH_DTYPE) for k in ("xs", "modelOutput"))
    sch = DDIMInverseScheduler(**schedule_kwargs(r["schedule"], DDIMInverseScheduler),
                               set_alpha_to_one=True,
                               prediction_type=PREDICTION[r["prediction"].lower()],
                               **clipping_kwargs(r["clipping"], thresholding=False))
    strided(sch, r["t"], r["s"])
    # step(timestep) is the target; the source is timestep - T // N (CONVENTIONS.md sec. 15)
    x = sch.step(out, index_of(r["t"]), xs).prev_sample
    return tck_child.from_torch(x, r["xs"]["shape"])


def op_timesteps(r):
    """DDIMScheduler.set_timesteps; each step lands where DDIMScheduler.step goes,
    timestep - T // N (any index < 0 is the final alphaBar, t = 0)."""
    T, N, spacing = r["steps"], r["count"], r["spacing"].lower()
    require(isinstance(T, int) and T >= 1, f"T must be at least 1, got {T}")
    require(isinstance(N, int) and 1 <= N <= T, f"N must be in 1..{T}, got {N}")
    require(spacing in ("linspace", "leading", "trailing"), f"unknown spacing {spacing}")
    sch = DDIMScheduler(num_train_timesteps=T, timestep_spacing=spacing,
                        steps_offset=r.get("leadingOffset") or 0)
    sch.set_timesteps(N)
    indices = [int(i) for i in sch.timesteps.tolist()]
    stride = T // sch.num_inference_steps
    return {"timesteps": [tck_child.t_of(i) for i in indices],
            "previous": [tck_child.t_of(i - stride) for i in indices]}


OPERATIONS = {
    "schedule": op_schedule, "forward_sample": op_forward_sample, "posterior": op_posterior,
    "reverse_log_variance": op_reverse_log_variance, "ddpm_step": op_ddpm_step,
    "ddim_step": op_ddim_step, "ddim_invert_step": op_ddim_invert_step,
    "timesteps": op_timesteps,
}

if __name__ == "__main__":
    tck_child.serve(DECLARATION, OPERATIONS)
