#!/usr/bin/env python3
"""improved-diffusion's GaussianDiffusion and SpacedDiffusion (gaussian_diffusion.py, respace.py,
losses.py) as a Diffusion TCK child (spec/PROTOCOL.md). Every number comes from the library's own
functions; this file only converts timesteps (the papers' t = the index + 1), reshapes tensors,
serves the given model output as "the model", injects the kit's noise where the library calls
th.randn_like, converts its bits-per-dimension means back to nats summed per sample, and refuses
what the protocol calls invalid.

    ./tck conform --impl "/usr/bin/python3 spec/examples/improved-diffusion/adapter.py"

A step t -> s that skips timesteps runs on SpacedDiffusion(use_timesteps={s - 1, t - 1}), the
library's own respacing. Environment: DIFFUSION_TCK_DTYPE=float32 (default) or float64.
"""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import tck_child  # noqa: E402
from tck_child import Refusal, require, index_of  # noqa: E402

import numpy as np  # noqa: E402
import torch as th  # noqa: E402
from improved_diffusion import gaussian_diffusion as gd  # noqa: E402
from improved_diffusion import losses  # noqa: E402
from improved_diffusion.respace import SpacedDiffusion, space_timesteps  # noqa: E402

DTYPE = tck_child.dtype_name()
TORCH_DTYPE = th.float64 if DTYPE == "float64" else th.float32

DECLARATION = {
    "name": f"improved-diffusion (torch {th.__version__}, {DTYPE})",
    "dtype": DTYPE,
    "protocol": 2,
    "operations": ["schedule", "forward_sample", "posterior", "convert", "reverse_log_variance",
                   "kl",
                   "prior_term", "step_term", "decoder_nll", "ddpm_step", "ddim_step",
                   "ddim_invert_step", "timesteps"],
    "schedules": ["linear", "cosine", "betas"],
    "zeroTerminalSnr": False,
    "predictions": ["epsilon", "x0"],
    "varianceChoices": ["fixed_small", "fixed_large", "learned_log_variance", "learned_range"],
    "spacings": ["sections"],
    "clippings": ["none", "clip"],
    # protocol version 2: GaussianDiffusion reads posterior_variance[1], so T >= 2; q_sample is
    # q(x_t | x_0) only; it converts between eps and x_0 only
    "minSteps": 2,
    "forwardSampleFrom": "data",
    "conversions": [["epsilon", "x0"], ["x0", "epsilon"]],
    "conventions": {
        "linearEndpoints": "scaled_by_1000_over_t",
        "t1LogVariance": "clip_to_beta_tilde_2",
        "ddimEpsilon": "recomputed_from_clipped_x0",
        "finalAlphaBar": "one",
        "previousTimestep": "next_selected",
        "inversionModelTime": "source",
        "decoderCdf": "tanh_approximation",
    },
}

MEAN = {"epsilon": gd.ModelMeanType.EPSILON, "x0": gd.ModelMeanType.START_X}
VARIANCE = {"fixed_small": gd.ModelVarType.FIXED_SMALL, "fixed_large": gd.ModelVarType.FIXED_LARGE,
            "learned_log_variance": gd.ModelVarType.LEARNED,
            "learned_range": gd.ModelVarType.LEARNED_RANGE}
LEARNED = (gd.ModelVarType.LEARNED, gd.ModelVarType.LEARNED_RANGE)


def betas_of(spec):
    """The library's betas for a wire schedule: get_named_beta_schedule or explicit betas."""
    kind, T = spec["kind"].lower(), spec["steps"]
    require(isinstance(T, int) and T >= 2, f"T must be at least 2 (GaussianDiffusion reads "
                                           f"posterior_variance[1]), got {T}")
    require(not spec.get("zeroTerminalSnr"), "improved-diffusion has no zero terminal SNR")
    if kind == "linear":
        got = (spec.get("betaStart"), spec.get("betaEnd"))
        require(got == (1e-4, 0.02), f"improved-diffusion's linear schedule has the endpoints "
                                     f"(1e-4, 0.02) times 1000/T only, got {got}")
        return gd.get_named_beta_schedule("linear", T)
    if kind == "cosine":
        got = (spec.get("cosineOffset"), spec.get("cosineMaxBeta"))
        require(got == (0.008, 0.999), f"improved-diffusion's cosine schedule has (s, max beta) = "
                                       f"(0.008, 0.999) only, got {got}")
        return gd.get_named_beta_schedule("cosine", T)
    if kind == "betas":
        betas = spec.get("betas") or []
        require(len(betas) == T, f"betas must hold T = {T} values, got {len(betas)}")
        return np.array(betas, dtype=np.float64)
    raise Refusal(f"unknown schedule kind {kind}")


def diffusion(spec, prediction="epsilon", choice="fixed_small", keep=None):
    """GaussianDiffusion, or SpacedDiffusion keeping the given 0-based indices."""
    kw = dict(betas=betas_of(spec), model_mean_type=MEAN[prediction.lower()],
              model_var_type=VARIANCE[choice.lower()], loss_type=gd.LossType.MSE)
    if keep is None:
        return gd.GaussianDiffusion(**kw)
    return SpacedDiffusion(use_timesteps=keep, **kw)


def chain(spec, t, s, **kw):
    """(diffusion, index) whose step from index goes from the papers' t to s: the base diffusion
    for s = t - 1, else SpacedDiffusion keeping {s - 1, t - 1}; for s = 0 it keeps t - 1 and a
    later index, so that t is its first step (a one-step diffusion cannot be built)."""
    T = spec["steps"]
    require(isinstance(t, int) and 1 <= t <= T, f"t must be in 1..{T}, got {t}")
    require(isinstance(s, int) and 0 <= s < t, f"s must be in 0..{t - 1}, got {s}")
    if s == t - 1:
        return diffusion(spec, **kw), index_of(t)
    if s >= 1:
        return diffusion(spec, keep={index_of(s), index_of(t)}, **kw), 1
    require(t < T, f"improved-diffusion cannot step from t = T = {T} straight to 0: "
                   "SpacedDiffusion cannot build a one-step diffusion")
    return diffusion(spec, keep={index_of(t), index_of(t) + 1}, **kw), 0


def tensor(r, key):
    return tck_child.to_torch(th, r[key], TORCH_DTYPE)


def model_of(r, output_key="modelOutput"):
    """"The model": returns the request's model output (and variance output, on the channel axis,
    for learned variances), whatever x_t and t."""
    out = tensor(r, output_key)
    if r.get("varianceOutput"):
        out = th.cat([out, tensor(r, "varianceOutput")], dim=1)
    return lambda x, t, **kw: out


def indices(ts):
    """The 0-based indices of a list of the papers' t, as the library's timestep tensor."""
    return th.tensor([index_of(t) for t in ts], dtype=th.long)


def at(i, batch):
    """One 0-based index for the whole batch."""
    return th.tensor([i] * batch, dtype=th.long)


def nats(bits_per_dim, shape):
    """The library's mean over coordinates in bits, as nats summed over each sample's
    coordinates."""
    n = 1
    for d in shape[1:]:
        n *= d
    return [float(v) * math.log(2.0) * n for v in bits_per_dim.double().tolist()]


def op_schedule(r):
    d = diffusion(r["schedule"])
    a = [1.0] + d.alphas_cumprod.tolist()
    snr = [math.inf] + [x / (1.0 - x) if x < 1.0 else math.inf for x in a[1:]]
    return {"beta": [0.0] + d.betas.tolist(), "alphaBar": a, "snr": snr}


def op_forward_sample(r):
    """q_sample: from the data only (s = 0)."""
    require(all(s == 0 for s in r["s"]), "improved-diffusion samples q(x_t | x_0) only (s = 0)")
    x0, eps = tensor(r, "xs"), tensor(r, "eps")
    d = diffusion(r["schedule"])
    x = d.q_sample(x0, indices(r["t"]), noise=eps)
    return tck_child.from_torch(x, r["xs"]["shape"])


def op_posterior(r):
    x0, xt = tensor(r, "x0"), tensor(r, "xt")
    mean, variance = [], []
    for b, (t, s) in enumerate(zip(r["t"], r["s"])):
        d, i = chain(r["schedule"], t, s)
        m, v, _ = d.q_posterior_mean_variance(x0[b:b + 1], xt[b:b + 1], th.tensor([i]))
        mean.append(m)
        variance.append(float(v.reshape(-1)[0]))
    return {"mean": tck_child.from_torch(th.cat(mean), r["xt"]["shape"]), "variance": variance}


def op_convert(r):
    """_predict_xstart_from_eps and _predict_eps_from_xstart."""
    pair = (r["from"].lower(), r["to"].lower())
    require(pair in (("epsilon", "x0"), ("x0", "epsilon")),
            f"improved-diffusion converts between epsilon and x0 only, got {pair}")
    xt, value = tensor(r, "xt"), tensor(r, "value")
    d = diffusion(r["schedule"])
    T = r["schedule"]["steps"]
    require(all(1 <= t <= T for t in r["t"]), f"t must be in 1..{T}, got {r['t']}")
    t = indices(r["t"])
    out = (d._predict_xstart_from_eps(xt, t, value) if pair[0] == "epsilon"
           else d._predict_eps_from_xstart(xt, t, value))
    return tck_child.from_torch(out, r["xt"]["shape"])


def op_reverse_log_variance(r):
    """p_mean_variance's log_variance, one batch element at a time."""
    xt = tensor(r, "xt")
    choice = r["choice"]
    d = diffusion(r["schedule"], choice=choice)
    out = tensor(r, "varianceOutput") if r.get("varianceOutput") else None
    rows = []
    for b, t in enumerate(r["t"]):
        x = xt[b:b + 1]
        model_out = th.cat([th.zeros_like(x), out[b:b + 1]], dim=1) if VARIANCE[
            choice.lower()] in LEARNED else th.zeros_like(x)
        res = d.p_mean_variance(lambda x_, t_, **kw: model_out, x, indices([t]),
                                clip_denoised=False)
        rows.append(res["log_variance"])
    return tck_child.from_torch(th.cat(rows), r["xt"]["shape"])


def op_kl(r):
    """losses.normal_kl, summed over each sample's coordinates."""
    m1, lv1, m2, lv2 = (tensor(r, k) for k in ("mean1", "logVariance1", "mean2", "logVariance2"))
    kl = losses.normal_kl(m1, lv1, m2, lv2)
    return [float(v) for v in kl.reshape(kl.shape[0], -1).sum(dim=1).double().tolist()]


def op_prior_term(r):
    x0 = tensor(r, "x0")
    return nats(diffusion(r["schedule"])._prior_bpd(x0), r["x0"]["shape"])


def op_step_term(r):
    """_vb_terms_bpd at t >= 2 (the KL; the index 0 is the decoder term), without clipping."""
    x0, xt = tensor(r, "x0"), tensor(r, "xt")
    require(all(t >= 2 for t in r["t"]), "the step term is defined for t >= 2")
    d = diffusion(r["schedule"], prediction=r["prediction"], choice=r["choice"])
    out = d._vb_terms_bpd(model_of(r), x0, xt, indices(r["t"]), clip_denoised=False)
    return nats(out["output"], r["x0"]["shape"])


def op_decoder_nll(r):
    """-losses.discretized_gaussian_log_likelihood, summed over each sample's coordinates."""
    x0, mean, lv = tensor(r, "x0"), tensor(r, "mean"), tensor(r, "logVariance")
    ll = losses.discretized_gaussian_log_likelihood(x0, means=mean, log_scales=0.5 * lv)
    return [-float(v) for v in ll.reshape(ll.shape[0], -1).sum(dim=1).double().tolist()]


def clip_of(r):
    kind = (r.get("clipping") or {}).get("kind", "none").lower()
    require(kind in ("none", "clip"), f"improved-diffusion offers clip_denoised only, got {kind}")
    return kind == "clip"


def op_ddpm_step(r):
    xt, z = tensor(r, "xt"), tensor(r, "noise")
    d, i = chain(r["schedule"], r["t"], r["s"], prediction=r["prediction"], choice=r["choice"])
    with tck_child.InjectedNoise(th, "randn_like", z):
        x = d.p_sample(model_of(r), xt, at(i, xt.shape[0]), clip_denoised=clip_of(r))
    return tck_child.from_torch(x["sample"], r["xt"]["shape"])


def op_ddim_step(r):
    xt, z = tensor(r, "xt"), tensor(r, "noise")
    d, i = chain(r["schedule"], r["t"], r["s"], prediction=r["prediction"])
    with tck_child.InjectedNoise(th, "randn_like", z):
        x = d.ddim_sample(model_of(r), xt, at(i, xt.shape[0]), clip_denoised=clip_of(r),
                          eta=r["eta"])
    return tck_child.from_torch(x["sample"], r["xt"]["shape"])


def op_ddim_invert_step(r):
    """ddim_reverse_sample from the source s (model evaluated there) to the next kept index t."""
    xs = tensor(r, "xs")
    t, s, T = r["t"], r["s"], r["schedule"]["steps"]
    require(isinstance(s, int) and 1 <= s < t <= T, f"need 1 <= s < t <= {T}, got s = {s}, t = {t}")
    keep = None if t == s + 1 else {index_of(s), index_of(t)}
    d = diffusion(r["schedule"], prediction=r["prediction"], keep=keep)
    i = index_of(s) if keep is None else 0
    x = d.ddim_reverse_sample(model_of(r), xs, at(i, xs.shape[0]),
                              clip_denoised=clip_of(r))
    return tck_child.from_torch(x["sample"], r["xs"]["shape"])


def op_timesteps(r):
    """respace.space_timesteps with the section string; each step goes to the next kept one."""
    T, spacing = r["steps"], r["spacing"].lower()
    require(spacing == "sections", f"improved-diffusion spaces by sections only, got {spacing}")
    sections = r.get("sections") or str(r["count"])
    kept = sorted(space_timesteps(T, sections), reverse=True)
    t = [tck_child.t_of(i) for i in kept]
    return {"timesteps": t, "previous": t[1:] + [0]}


OPERATIONS = {
    "schedule": op_schedule, "forward_sample": op_forward_sample, "posterior": op_posterior,
    "convert": op_convert, "reverse_log_variance": op_reverse_log_variance, "kl": op_kl, "prior_term": op_prior_term,
    "step_term": op_step_term, "decoder_nll": op_decoder_nll, "ddpm_step": op_ddpm_step,
    "ddim_step": op_ddim_step, "ddim_invert_step": op_ddim_invert_step,
    "timesteps": op_timesteps,
}

if __name__ == "__main__":
    tck_child.serve(DECLARATION, OPERATIONS)
