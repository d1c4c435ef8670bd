#!/usr/bin/env python3
"""Diffusion math (DDPM, DDIM) written from the papers in plain Python, speaking the
Diffusion TCK child-process protocol (spec/PROTOCOL.md). Standard library only.

    ./tck conform --impl "python3 spec/examples/python/diffusion_impl.py"

It reads one JSON request per line on stdin and writes one JSON answer per line on stdout:
first the handshake {"id": 0, "op": "hello", "protocol": 2}, answered with DECLARATION,
then one request per operation with every input (noise included). A refusal is an answer
{"id": n, "error": "..."}, never a crash. The loop operations (ddpm_sample, ddim_sample,
ddim_invert) ask the kit for the model's output at each step with a callback line
{"id": n, "callback": "model", "xt": ..., "t": t} and read the kit's answer from stdin.

To wrap your own library, copy this file and replace the body of each op_* function with
a call into your code; keep DECLARATION truthful (drop what you do not implement).

Planted bugs, for demonstrations and the kit's own tests:
    DIFFUSION_TCK_PLANT_BUG=posterior-variance   q(x_s | x_t, x_0) reports the forward
        variance beta_{t|s} where the posterior's betaTilde_{t|s} belongs (rule POST-1).
    DIFFUSION_TCK_PLANT_BUG=loop-index   the sampling loops give the model the loop index
        i = 0, 1, ... instead of the timestep t (LOOP-1, LOOP-2).
    DIFFUSION_TCK_PLANT_BUG=loop-previous-t   the sampling loops ask the model at the previous
        step's t (LOOP-1, LOOP-2).
    DIFFUSION_TCK_PLANT_BUG=loop-early-stop   the sampling loops stop one step early (LOOP-1).
    DIFFUSION_TCK_PLANT_BUG=ddim-skip-final   DDIM sampling returns x as it was before its
        final step (LOOP-1).
    DIFFUSION_TCK_PLANT_BUG=invert-target   the inversion loop calls the model at the target
        timestep while the source is declared (LOOP-3).
    DIFFUSION_TCK_PLANT_BUG=invert-past-t   declares inversionEnd alpha_bar_zero (one step past
        t_1 onto alphaBar = 0, as improved-diffusion's ddim_reverse_sample_loop), but that step
        moves to alphaBar_T instead (LOOP-3).

Papers: Ho et al. 2020 (DDPM), Song et al. 2021 (DDIM), Nichol & Dhariwal 2021 (cosine
schedule, learned variance), Salimans & Ho 2022 (v), Lin et al. 2024 (zero terminal SNR),
Kingma et al. 2021 (SNR), Saharia et al. 2022 (dynamic thresholding). Timesteps are the
papers' t in 0..T with alphaBar_0 = 1; tensors are {"shape": [B, ...], "data": [...]} in
C order, one timestep per batch element.
"""
import json
import math
import os
import sys

PLANTED_BUGS = ("posterior-variance", "loop-index", "loop-previous-t", "loop-early-stop",
                "ddim-skip-final", "invert-target", "invert-past-t")
PLANTED_BUG = os.environ.get("DIFFUSION_TCK_PLANT_BUG", "")

DECLARATION = {
    "name": "python example (spec/examples/python)" + (
        " with planted bug " + PLANTED_BUG if PLANTED_BUG else ""),
    "dtype": "float64",
    "operations": ["schedule", "forward_sample", "posterior", "convert", "noise",
                   "reverse_log_variance", "kl", "prior_term", "step_term", "decoder_nll",
                   "ddpm_step", "ddim_step", "ddim_invert_step", "timesteps",
                   "ddpm_sample", "ddim_sample", "ddim_invert"],
    "schedules": ["linear", "scaled_linear", "cosine", "sigmoid", "betas"],
    "zeroTerminalSnr": True,
    "predictions": ["epsilon", "x0", "v"],
    "varianceChoices": ["fixed_small", "fixed_large", "learned_log_variance",
                        "learned_variance", "learned_range"],
    "spacings": ["linspace", "leading", "trailing", "sections"],
    "clippings": ["none", "clip", "dynamic"],
    # The kit's default conventions (spec/CONVENTIONS.md).
    "conventions": {
        "linearEndpoints": "fixed",
        "t1LogVariance": "clip_to_beta_tilde_2",
        "ddimEpsilon": "model",
        "finalAlphaBar": "one",
        "previousTimestep": "next_selected",
        "inversionModelTime": "source",
        "decoderCdf": "exact",
    },
}
if PLANTED_BUG == "invert-past-t":
    DECLARATION["conventions"]["inversionEnd"] = "alpha_bar_zero"


class Refusal(ValueError):
    """An input this implementation refuses; sent back as an error answer."""


def require(ok, message):
    if not ok:
        raise Refusal(message)


# ---------------------------------------------------------------- schedules

def linspace(a, b, n):
    """n points from a to b inclusive."""
    if n == 1:
        return [a]
    step = (b - a) / (n - 1)
    out = [a + i * step for i in range(n)]
    out[-1] = b
    return out


def betas_of(spec):
    """beta_1..beta_T of a schedule spec."""
    kind, T = spec["kind"].lower(), spec["steps"]
    require(isinstance(T, int) and T >= 1, f"T must be at least 1, got {T}")
    if kind in ("linear", "scaled_linear", "sigmoid"):
        b0, b1 = spec.get("betaStart"), spec.get("betaEnd")
        require(b0 is not None and b1 is not None, "betaStart and betaEnd are required")
        require(0 < b0 <= 1 and 0 < b1 <= 1, f"betas must be in (0, 1], got {b0}, {b1}")
        if kind == "linear":  # Ho et al. 2020, sec. 4
            return linspace(b0, b1, T)
        if kind == "scaled_linear":  # Rombach et al. 2022: linear in sqrt(beta)
            return [r * r for r in linspace(math.sqrt(b0), math.sqrt(b1), T)]
        # GeoDiff sigmoid (Xu et al. 2022): beta_start + logistic(x) (beta_end - beta_start)
        return [b0 + (b1 - b0) / (1.0 + math.exp(-x)) for x in linspace(-6.0, 6.0, T)]
    if kind == "cosine":  # Nichol & Dhariwal 2021, eq. 17
        s, cap = spec.get("cosineOffset"), spec.get("cosineMaxBeta")
        require(s is not None and 0 <= s < 1, f"cosineOffset must be in [0, 1), got {s}")
        require(cap is not None and 0 < cap <= 1, f"cosineMaxBeta must be in (0, 1], got {cap}")

        def f(t):
            c = math.cos((t / T + s) / (1.0 + s) * math.pi / 2.0)
            return c * c
        return [min(1.0 - f(t) / f(t - 1), cap) for t in range(1, T + 1)]
    if kind == "betas":
        betas = spec.get("betas") or []
        require(len(betas) == T, f"betas must hold T = {T} values, got {len(betas)}")
        return list(betas)
    raise Refusal(f"unknown schedule kind {kind}")


class Schedule:
    """beta_t, alphaBar_t = prod_{s<=t} (1 - beta_s) and 1 - alphaBar_t for t = 0..T."""

    def __init__(self, betas):
        T = len(betas)
        self.T = T
        self.beta = [0.0] + betas
        self.alpha_bar = [1.0] * (T + 1)
        self.one_minus = [0.0] * (T + 1)  # 1 - alphaBar_t, kept precise as -expm1(sum log1p)
        log_sum = 0.0
        for t in range(1, T + 1):
            b = betas[t - 1]
            require(0 < b <= 1, f"beta_{t} must be in (0, 1], got {b}")
            self.alpha_bar[t] = self.alpha_bar[t - 1] * (1.0 - b)
            log_sum = -math.inf if b == 1.0 else log_sum + math.log1p(-b)
            self.one_minus[t] = -math.expm1(log_sum)

    def check(self, t, name="t", lo=0):
        require(isinstance(t, int) and lo <= t <= self.T, f"{name} must be in {lo}..{self.T}, got {t}")

    def beta_between(self, t, s):
        """beta_{t|s} = 1 - alphaBar_t / alphaBar_s (Kingma et al. 2021, eq. 4)."""
        self.check(t)
        require(0 <= s < t, f"s must be in 0..{t - 1}, got {s}")
        if s == t - 1:
            return self.beta[t]
        total = 0.0
        for k in range(s + 1, t + 1):
            if self.beta[k] == 1.0:
                return 1.0
            total += math.log1p(-self.beta[k])
        return -math.expm1(total)

    def beta_tilde(self, t):
        """betaTilde_t = (1 - alphaBar_{t-1}) / (1 - alphaBar_t) beta_t (Ho et al. 2020, eq. 7)."""
        return self.one_minus[t - 1] / self.one_minus[t] * self.beta[t]

    def log_beta_tilde(self, t):
        """log betaTilde_t; at t = 1 (betaTilde_1 = 0) log betaTilde_2, as Ho et al.'s code."""
        self.check(t, lo=1)
        if t == 1:
            require(self.T >= 2, f"log betaTilde at t = 1 needs T >= 2, got T = {self.T}")
            t = 2
        return math.log(self.beta_tilde(t))


def zero_terminal_snr(betas):
    """Lin et al. 2024, Algorithm 1: rescale sqrt(alphaBar) so alphaBar_1 stays, alphaBar_T = 0."""
    T = len(betas)
    require(T >= 2, f"T must be at least 2 to rescale to zero terminal SNR, got {T}")
    root = [math.sqrt(a) for a in Schedule(betas).alpha_bar]
    first, last = root[1], root[T]
    ab = [1.0] + [((root[t] - last) * first / (first - last)) ** 2 for t in range(1, T + 1)]
    ab[T] = 0.0
    return [1.0 - ab[t] / ab[t - 1] for t in range(1, T + 1)]


_SCHEDULES = {}


def schedule_of(spec):
    key = json.dumps(spec, sort_keys=True)
    s = _SCHEDULES.get(key)
    if s is None:
        betas = betas_of(spec)
        if spec.get("zeroTerminalSnr"):
            betas = zero_terminal_snr(betas)
        s = Schedule(betas)
        if len(_SCHEDULES) > 64:
            _SCHEDULES.clear()
        _SCHEDULES[key] = s
    return s


def op_schedule(r):
    s = schedule_of(r["schedule"])
    snr = [math.inf] + [s.alpha_bar[t] / s.one_minus[t] for t in range(1, s.T + 1)]
    return {"beta": s.beta, "alphaBar": s.alpha_bar, "snr": snr}


# ---------------------------------------------------------------- tensors

def batch_of(x, t=None):
    """(B, coordinates per sample) of tensor x, checking t has one entry per sample."""
    shape = x["shape"]
    require(len(shape) >= 1 and shape[0] >= 1, f"a tensor needs a batch axis, got {shape}")
    n = 1
    for d in shape:
        n *= d
    require(len(x["data"]) == n, f"data must hold {n} values for shape {shape}")
    if t is not None:
        require(len(t) == shape[0], f"t must hold one timestep per sample ({shape[0]}), got {len(t)}")
    return shape[0], n // shape[0]


def same_shape(x, y, names):
    require(x["shape"] == y["shape"], f"{names} must have one shape, got {x['shape']} and {y['shape']}")


def tensor(shape, data):
    return {"shape": shape, "data": data}


def combine(ca, x, cb, y, per):
    """ca[b] x + cb[b] y, batch element by batch element."""
    out = []
    for b in range(len(ca)):
        a, c, lo = ca[b], cb[b], b * per
        out.extend([a * u + c * v for u, v in zip(x[lo:lo + per], y[lo:lo + per])])
    return out


def per_sample_sums(values, per):
    return [math.fsum(values[b * per:(b + 1) * per]) for b in range(len(values) // per)]


# ---------------------------------------------------------------- forward process and posterior

def op_forward_sample(r):
    """x_t = sqrt(alphaBar_t/alphaBar_s) x_s + sqrt(1 - alphaBar_t/alphaBar_s) eps (Ho et al. eqs. 2, 4)."""
    s = schedule_of(r["schedule"])
    xs, eps, ss, ts = r["xs"], r["eps"], r["s"], r["t"]
    B, per = batch_of(xs, ts)
    same_shape(xs, eps, "xs and eps")
    require(len(ss) == B, "s must hold one timestep per sample")
    a, c = [], []
    for t, u in zip(ts, ss):
        v = s.beta_between(t, u)
        a.append(math.sqrt(s.alpha_bar[t] / s.alpha_bar[u]))
        c.append(math.sqrt(v))
    return tensor(xs["shape"], combine(a, xs["data"], c, eps["data"], per))


def posterior_coefficients(s, t, u):
    """q(x_u | x_t, x_0) for u < t (Ho et al. 2020, eqs. 6-7; Kingma et al. 2021, eq. 6):
    mean = cx0 x_0 + cxt x_t, variance (1 - alphaBar_u)/(1 - alphaBar_t) beta_{t|u}."""
    b = s.beta_between(t, u)
    cx0 = math.sqrt(s.alpha_bar[u]) * b / s.one_minus[t]
    cxt = math.sqrt(s.alpha_bar[t] / s.alpha_bar[u]) * s.one_minus[u] / s.one_minus[t]
    var = s.one_minus[u] / s.one_minus[t] * b
    if PLANTED_BUG == "posterior-variance":
        var = b  # the planted bug: the forward step's variance where the posterior's belongs
    return cx0, cxt, var


def posterior_mean(s, x0, xt, ts, us, per):
    c = [posterior_coefficients(s, t, u) for t, u in zip(ts, us)]
    return combine([k[0] for k in c], x0, [k[1] for k in c], xt, per), [k[2] for k in c]


def op_posterior(r):
    s = schedule_of(r["schedule"])
    x0, xt, ts, us = r["x0"], r["xt"], r["t"], r["s"]
    B, per = batch_of(xt, ts)
    same_shape(x0, xt, "x0 and xt")
    require(len(us) == B, "s must hold one timestep per sample")
    mean, var = posterior_mean(s, x0["data"], xt["data"], ts, us, per)
    return {"mean": tensor(xt["shape"], mean), "variance": var}


# ---------------------------------------------------------------- parameterizations

def sqrt_alpha_bar(s, t, what):
    require(s.alpha_bar[t] > 0, f"{what} divides by sqrt(alphaBar_t) = 0 at t = {t}")
    return math.sqrt(s.alpha_bar[t])


def sigma_of(s, t, what):
    require(s.one_minus[t] > 0, f"{what} divides by sqrt(1 - alphaBar_t) = 0 at t = {t}")
    return math.sqrt(s.one_minus[t])


def to_eps(s, quantity, xt, ts, value, per):
    """eps from x_0 (eq. 4 solved), v (Salimans & Ho 2022, App. D) or the score (-sigma score)."""
    if quantity == "epsilon":
        return list(value)
    if quantity == "x0":
        return combine([1 / sigma_of(s, t, "x0 -> eps") for t in ts], xt,
                       [-math.sqrt(s.alpha_bar[t]) / sigma_of(s, t, "x0 -> eps") for t in ts],
                       value, per)
    if quantity == "v":
        return combine([math.sqrt(s.one_minus[t]) for t in ts], xt,
                       [math.sqrt(s.alpha_bar[t]) for t in ts], value, per)
    if quantity == "score":
        return combine([0.0] * len(ts), xt, [-math.sqrt(s.one_minus[t]) for t in ts], value, per)
    raise Refusal(f"unknown quantity {quantity}")


def from_eps(s, quantity, xt, ts, eps, per):
    """x_0 = (x_t - sqrt(1 - alphaBar) eps)/sqrt(alphaBar) (Ho et al. eq. 15), v, score."""
    if quantity == "epsilon":
        return list(eps)
    if quantity == "x0":
        return combine([1 / sqrt_alpha_bar(s, t, "eps -> x0") for t in ts], xt,
                       [-math.sqrt(s.one_minus[t]) / sqrt_alpha_bar(s, t, "eps -> x0") for t in ts],
                       eps, per)
    if quantity == "v":
        return combine([-math.sqrt(s.one_minus[t]) / sqrt_alpha_bar(s, t, "eps -> v") for t in ts],
                       xt, [1 / sqrt_alpha_bar(s, t, "eps -> v") for t in ts], eps, per)
    if quantity == "score":
        return combine([0.0] * len(ts), xt, [-1 / sigma_of(s, t, "eps -> score") for t in ts],
                       eps, per)
    raise Refusal(f"unknown quantity {quantity}")


def convert(s, frm, to, xt, ts, value, per):
    if frm == to:
        return list(value)
    if frm == "x0" and to == "v":  # v = (sqrt(alphaBar) x_t - x_0)/sqrt(1 - alphaBar)
        return combine([math.sqrt(s.alpha_bar[t]) / sigma_of(s, t, "x0 -> v") for t in ts], xt,
                       [-1 / sigma_of(s, t, "x0 -> v") for t in ts], value, per)
    if frm == "v" and to == "x0":  # x_0 = sqrt(alphaBar) x_t - sqrt(1 - alphaBar) v
        return combine([math.sqrt(s.alpha_bar[t]) for t in ts], xt,
                       [-math.sqrt(s.one_minus[t]) for t in ts], value, per)
    return from_eps(s, to, xt, ts, to_eps(s, frm, xt, ts, value, per), per)


def op_convert(r):
    s = schedule_of(r["schedule"])
    xt, ts, value = r["xt"], r["t"], r["value"]
    _, per = batch_of(xt, ts)
    same_shape(xt, value, "xt and value")
    for t in ts:
        s.check(t)
    out = convert(s, r["from"].lower(), r["to"].lower(), xt["data"], ts, value["data"], per)
    return tensor(xt["shape"], out)


def predicted_x0(s, prediction, xt, ts, output, per):
    return convert(s, prediction.lower(), "x0", xt, ts, output, per)


def predicted_eps(s, prediction, xt, ts, output, per):
    return convert(s, prediction.lower(), "epsilon", xt, ts, output, per)


# ---------------------------------------------------------------- portable noise (spec/NOISE.md)

MASK64 = (1 << 64) - 1
PHILOX_M0, PHILOX_M1 = 0xD2E7470EE14C6C93, 0xCA5A826395121157
PHILOX_W0, PHILOX_W1 = 0x9E3779B97F4A7C15, 0xBB67AE8584CAA73B
TWO_POW_M53 = 2.0 ** -53
TWO_PI = 2.0 * math.pi


def philox_words(seed, stream, n):
    """The first n raw words of Philox4x64-10 keyed (seed, stream), counter 1, 2, ... (Salmon
    et al. 2011): each block is 10 rounds of two 64x64 -> 128-bit products."""
    words = []
    counter = 0
    while len(words) < n:
        counter += 1
        c0, c1, c2, c3 = (counter & MASK64, (counter >> 64) & MASK64,
                          (counter >> 128) & MASK64, (counter >> 192) & MASK64)
        k0, k1 = seed, stream
        for _ in range(10):
            p0 = PHILOX_M0 * c0
            p1 = PHILOX_M1 * c2
            c0, c1, c2, c3 = (p1 >> 64) ^ c1 ^ k0, p1 & MASK64, (p0 >> 64) ^ c3 ^ k1, p0 & MASK64
            k0 = (k0 + PHILOX_W0) & MASK64
            k1 = (k1 + PHILOX_W1) & MASK64
        words += (c0, c1, c2, c3)
    return words[:n]


def normals(seed, stream, n):
    """Box-Muller on uniforms u = ((w >> 11) + 1) 2^-53, in pairs (cosine first)."""
    pairs = (n + 1) // 2
    w = philox_words(seed & MASK64, stream & MASK64, 2 * pairs)
    z = [0.0] * (2 * pairs)
    log, sqrt, cos, sin = math.log, math.sqrt, math.cos, math.sin
    for k in range(pairs):
        r = sqrt(-2.0 * log(((w[2 * k] >> 11) + 1) * TWO_POW_M53))
        theta = TWO_PI * (((w[2 * k + 1] >> 11) + 1) * TWO_POW_M53)
        z[2 * k] = r * cos(theta)
        z[2 * k + 1] = r * sin(theta)
    return z[:n]


def op_noise(r):
    shape = r["shape"]
    n = 1
    for d in shape:
        require(d >= 1, f"shape must have positive dimensions, got {shape}")
        n *= d
    return tensor(shape, normals(r["seed"], r["stream"], n))


# ---------------------------------------------------------------- reverse variance and the bound

def log_variance(s, choice, t, u=None):
    """log sigma_t^2 of p(x_{t-1} | x_t) (Ho et al. sec. 3.2; Nichol & Dhariwal eq. 15) for one
    coordinate; u is the model's variance output for learned choices."""
    if choice == "fixed_small":
        return s.log_beta_tilde(t)
    if choice == "fixed_large":
        return s.log_beta_tilde(1) if t == 1 else math.log(s.beta[t])
    if choice == "learned_log_variance":
        return u
    if choice == "learned_variance":
        require(u > 0, f"a learned variance must be positive, got {u}")
        return math.log(u)
    if choice == "learned_range":
        v = (u + 1.0) / 2.0
        return v * math.log(s.beta[t]) + (1.0 - v) * s.log_beta_tilde(t)
    raise Refusal(f"unknown variance choice {choice}")


def log_variances(s, choice, xt, ts, output):
    choice = choice.lower()
    _, per = batch_of(xt, ts)
    for t in ts:
        s.check(t, lo=1)
    if choice in ("fixed_small", "fixed_large"):
        return [log_variance(s, choice, t) for t in ts for _ in range(per)]
    require(output is not None, f"the variance choice {choice} needs varianceOutput")
    same_shape(xt, output, "xt and varianceOutput")
    u = output["data"]
    return [log_variance(s, choice, ts[i // per], u[i]) for i in range(len(u))]


def op_reverse_log_variance(r):
    s = schedule_of(r["schedule"])
    xt = r["xt"]
    return tensor(xt["shape"], log_variances(s, r["choice"], xt, r["t"], r.get("varianceOutput")))


def kl_terms(m1, lv1, m2, lv2):
    """KL(N(m1, e^lv1) || N(m2, e^lv2)) per coordinate (Ho et al. sec. 3, below eq. 5)."""
    exp = math.exp
    return [0.5 * ((b - a) + exp(a - b) + (p - q) * (p - q) * exp(-b) - 1.0)
            for p, a, q, b in zip(m1, lv1, m2, lv2)]


def op_kl(r):
    m1, lv1, m2, lv2 = r["mean1"], r["logVariance1"], r["mean2"], r["logVariance2"]
    _, per = batch_of(m1)
    for x, name in ((lv1, "logVariance1"), (m2, "mean2"), (lv2, "logVariance2")):
        same_shape(m1, x, "mean1 and " + name)
    return per_sample_sums(kl_terms(m1["data"], lv1["data"], m2["data"], lv2["data"]), per)


def op_prior_term(r):
    """L_T = KL(q(x_T | x_0) || N(0, I)) (Ho et al. eq. 5)."""
    s = schedule_of(r["schedule"])
    x0 = r["x0"]
    _, per = batch_of(x0)
    T = s.T
    a = math.sqrt(s.alpha_bar[T])
    lv = math.log(s.one_minus[T])
    n = len(x0["data"])
    return per_sample_sums(kl_terms([a * x for x in x0["data"]], [lv] * n, [0.0] * n, [0.0] * n),
                           per)


def op_step_term(r):
    """L_{t-1} = KL(q(x_{t-1} | x_t, x_0) || p(x_{t-1} | x_t)), t >= 2 (Ho et al. eq. 5)."""
    s = schedule_of(r["schedule"])
    x0, xt, ts, out = r["x0"], r["xt"], r["t"], r["modelOutput"]
    _, per = batch_of(xt, ts)
    same_shape(x0, xt, "x0 and xt")
    same_shape(out, xt, "modelOutput and xt")
    for t in ts:
        s.check(t, lo=2)
    us = [t - 1 for t in ts]
    x0_hat = predicted_x0(s, r["prediction"], xt["data"], ts, out["data"], per)
    mean_q, _ = posterior_mean(s, x0["data"], xt["data"], ts, us, per)
    mean_p, _ = posterior_mean(s, x0_hat, xt["data"], ts, us, per)
    lv_q = [math.log(s.beta_tilde(t)) for t in ts for _ in range(per)]
    lv_p = log_variances(s, r["choice"], xt, ts, r.get("varianceOutput"))
    return per_sample_sums(kl_terms(mean_q, lv_q, mean_p, lv_p), per)


def normal_cdf(z):
    """Phi(z) = erfc(-z / sqrt 2) / 2."""
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


def op_decoder_nll(r):
    """-log of the discretized Gaussian at 8-bit data (Ho et al. eq. 13): bins of width 2/255
    around x = k/127.5 - 1, open edge bins, the mass floored at 1e-12 before the log."""
    x0, mean, lv = r["x0"], r["mean"], r["logVariance"]
    _, per = batch_of(x0)
    same_shape(x0, mean, "x0 and mean")
    same_shape(x0, lv, "x0 and logVariance")
    out = []
    for x, mu, v in zip(x0["data"], mean["data"], lv["data"]):
        k = round((x + 1.0) * 127.5)
        require(0 <= k <= 255 and abs(x - (k / 127.5 - 1.0)) <= 1e-6,
                f"x0 must be 8-bit data scaled to [-1, 1], got {x}")
        lower = -math.inf if k == 0 else (2.0 * k - 1.0) / 255.0 - 1.0
        upper = math.inf if k == 255 else (2.0 * k + 1.0) / 255.0 - 1.0
        inv_sigma = math.exp(-0.5 * v)
        a, b = (lower - mu) * inv_sigma, (upper - mu) * inv_sigma
        # take the difference in the tail that does not cancel
        p = normal_cdf(-a) - normal_cdf(-b) if a > 0 else normal_cdf(b) - normal_cdf(a)
        out.append(-math.log(max(p, 1e-12)))
    return per_sample_sums(out, per)


# ---------------------------------------------------------------- sampling steps

def clipped(clipping, x, per):
    """x0 clipped to [-1, 1], or dynamically thresholded (Saharia et al. 2022, sec. 2.3)."""
    kind = (clipping or {}).get("kind", "none").lower()
    if kind == "none":
        return x
    if kind == "clip":
        return [min(max(v, -1.0), 1.0) for v in x]
    require(kind == "dynamic", f"unknown clipping {kind}")
    p, cap = clipping.get("percentile"), clipping.get("maxValue")
    require(p is not None and 0 <= p <= 1, f"percentile must be in [0, 1], got {p}")
    require(cap is not None and cap >= 1, f"maxValue must be at least 1, got {cap}")
    out = []
    for b in range(len(x) // per):
        part = x[b * per:(b + 1) * per]
        s = min(max(quantile(sorted(abs(v) for v in part), p), 1.0), cap)
        out.extend(min(max(v, -s), s) / s for v in part)
    return out


def quantile(v, p):
    """numpy's default (linear) quantile of ascending v, as numpy interpolates."""
    last = len(v) - 1
    h = last * p
    j = math.floor(h)
    g = h - j
    below, above = v[j], v[min(j + 1, last)]
    d = above - below
    return below + d * g if g < 0.5 else above - d * (1.0 - g)


def step_pair(s, t, u):
    s.check(t, lo=1)
    require(isinstance(u, int) and 0 <= u < t, f"s must be in 0..{t - 1}, got {u}")


def op_ddpm_step(r):
    """x_s = mu~(x_t, x0_hat) + sigma z (Ho et al. Algorithm 2), no noise when s = 0; a strided
    step t -> s uses beta_{t|s} and betaTilde_{t|s} for its variance."""
    sch = schedule_of(r["schedule"])
    xt, out, z, t, u = r["xt"], r["modelOutput"], r["noise"], r["t"], r["s"]
    B, per = batch_of(xt)
    same_shape(xt, out, "xt and modelOutput")
    same_shape(xt, z, "xt and noise")
    step_pair(sch, t, u)
    ts, us = [t] * B, [u] * B
    x0_hat = clipped(r["clipping"], predicted_x0(sch, r["prediction"], xt["data"], ts, out["data"],
                                                 per), per)
    mean, _ = posterior_mean(sch, x0_hat, xt["data"], ts, us, per)
    if u == 0:
        return tensor(xt["shape"], mean)
    b = sch.beta_between(t, u)
    log_large = math.log(b)
    log_small = math.log(sch.one_minus[u] / sch.one_minus[t] * b)
    choice = r["choice"].lower()
    if choice == "fixed_small":
        lv = [log_small] * len(mean)
    elif choice == "fixed_large":
        lv = [log_large] * len(mean)
    else:
        v = r.get("varianceOutput")
        require(v is not None, f"the variance choice {choice} needs varianceOutput")
        same_shape(xt, v, "xt and varianceOutput")
        if choice == "learned_log_variance":
            lv = list(v["data"])
        elif choice == "learned_variance":
            require(min(v["data"]) > 0, "a learned variance must be positive")
            lv = [math.log(w) for w in v["data"]]
        else:
            require(choice == "learned_range", f"unknown variance choice {choice}")
            lv = [(w + 1.0) / 2.0 * log_large + (1.0 - (w + 1.0) / 2.0) * log_small
                  for w in v["data"]]
    exp = math.exp
    return tensor(xt["shape"], [m + exp(0.5 * l) * n for m, l, n in zip(mean, lv, z["data"])])


def op_ddim_step(r):
    """x_s = sqrt(alphaBar_s) x0_hat + sqrt(1 - alphaBar_s - sigma^2) eps_hat + sigma z, with
    sigma = eta sqrt((1 - alphaBar_s)/(1 - alphaBar_t)) sqrt(1 - alphaBar_t/alphaBar_s)
    (Song et al. 2021, eqs. 12 and 16)."""
    sch = schedule_of(r["schedule"])
    xt, out, z, t, u, eta = r["xt"], r["modelOutput"], r["noise"], r["t"], r["s"], r["eta"]
    B, per = batch_of(xt)
    same_shape(xt, out, "xt and modelOutput")
    same_shape(xt, z, "xt and noise")
    step_pair(sch, t, u)
    require(0 <= eta <= 1, f"eta must be in [0, 1], got {eta}")
    ts = [t] * B
    x0_hat = clipped(r["clipping"], predicted_x0(sch, r["prediction"], xt["data"], ts, out["data"],
                                                 per), per)
    eps_hat = predicted_eps(sch, r["prediction"], xt["data"], ts, out["data"], per)
    ratio = min(sch.beta_between(t, u) / sch.one_minus[t], 1.0)  # (1 - alphaBar_t/alphaBar_s)/(1 - alphaBar_t)
    sigma = math.sqrt(eta * eta * sch.one_minus[u] * ratio)
    direction = math.sqrt(sch.one_minus[u] * (1.0 - eta * eta * ratio))
    a = math.sqrt(sch.alpha_bar[u])
    moved = combine([a] * B, x0_hat, [direction] * B, eps_hat, per)
    return tensor(xt["shape"], [m + sigma * n for m, n in zip(moved, z["data"])])


def op_ddim_invert_step(r):
    """x_t = sqrt(alphaBar_t) x0_hat + sqrt(1 - alphaBar_t) eps_hat from x_s (Song et al. sec. 4.3)."""
    sch = schedule_of(r["schedule"])
    xs, out, u, t = r["xs"], r["modelOutput"], r["s"], r["t"]
    B, per = batch_of(xs)
    same_shape(xs, out, "xs and modelOutput")
    step_pair(sch, t, u)
    us = [u] * B
    x0_hat = clipped(r["clipping"], predicted_x0(sch, r["prediction"], xs["data"], us, out["data"],
                                                 per), per)
    eps_hat = predicted_eps(sch, r["prediction"], xs["data"], us, out["data"], per)
    return tensor(xs["shape"], combine([math.sqrt(sch.alpha_bar[t])] * B, x0_hat,
                                       [math.sqrt(sch.one_minus[t])] * B, eps_hat, per))


# ---------------------------------------------------------------- timestep selection

def selected_linspace(T, N):
    delta = (T - 1) / (N - 1) if N > 1 else 0.0
    return [round(T - 1 if (k == N - 1 and N > 1) else k * delta) + 1 for k in range(N)][::-1]


def selected_leading(T, N, offset):
    require(offset >= 0, f"offset must be at least 0, got {offset}")
    t = [k * (T // N) + offset + 1 for k in range(N)][::-1]
    require(t[0] <= T, f"offset {offset} puts the first timestep at {t[0]} > T = {T}")
    return t


def selected_trailing(T, N):
    v1 = T - T / N
    return [round(T if k == 0 else v1 if k == 1 else T + k * (v1 - T)) for k in range(N)]


def selected_sections(T, text):
    spec = text.strip()
    indices = set()
    if spec.startswith("ddim"):
        desired = int(spec[4:])
        stride = 1
        while stride < T and -(-T // stride) != desired:
            stride += 1
        require(stride < T, f"sections '{text}' has no integer stride for T = {T}")
        indices.update(range(0, T, stride))
    else:
        parts = spec.split(",")
        start = 0
        for j, part in enumerate(parts):
            require(part.strip().isdigit(), f"sections '{text}' must hold counts, got '{part}'")
            c = int(part)
            size = T // len(parts) + (1 if j < T % len(parts) else 0)
            require(size >= c, f"sections '{text}': section {j} has {size} steps, cannot take {c}")
            f = 1.0 if c <= 1 else (size - 1) / (c - 1)
            x = 0.0
            for _ in range(c):
                indices.add(start + round(x))
                x += f
            start += size
    require(indices, f"sections '{text}' select no timestep")
    return [i + 1 for i in sorted(indices, reverse=True)]


def op_timesteps(r):
    T, N, spacing = r["steps"], r["count"], r["spacing"].lower()
    offset, sections = r.get("leadingOffset") or 0, r.get("sections")
    require(T >= 1, f"T must be at least 1, got {T}")
    require(spacing == "leading" or offset == 0, "leadingOffset applies to leading only")
    if spacing == "sections":
        t = selected_sections(T, sections if sections is not None else str(N))
    else:
        require(1 <= N <= T, f"N must be in 1..{T}, got {N}")
        if spacing == "linspace":
            t = selected_linspace(T, N)
        elif spacing == "leading":
            t = selected_leading(T, N, offset)
        elif spacing == "trailing":
            t = selected_trailing(T, N)
        else:
            raise Refusal(f"unknown spacing {spacing}")
    require(all(1 <= a <= T for a in t) and all(a > b for a, b in zip(t, t[1:])),
            f"the selection {t} is not strictly decreasing in 1..{T}")
    return {"timesteps": t, "previous": t[1:] + [0]}


# ---------------------------------------------------------------- loops with model callbacks

def call_model(r, x, t):
    """The model's output at (x_t, t), asked of the kit (PROTOCOL.md section 9)."""
    send({"id": r["id"], "callback": "model", "xt": x, "t": t})
    reply = json.loads(sys.stdin.readline())
    if "error" in reply:
        raise Refusal(f"the kit refused the model call at t = {t}: {reply['error']}")
    return reply["result"]


def selection(r):
    """The loop's timesteps and where each step lands (next selected, 0 after the last)."""
    plan = op_timesteps({"steps": r["schedule"]["steps"], "count": r["count"],
                         "spacing": r["spacing"], "leadingOffset": r.get("leadingOffset"),
                         "sections": r.get("sections")})
    return plan["timesteps"], plan["previous"]


def model_time(k, t, previous):
    """The timestep the model is given on step k: t (or a planted bug's wrong one)."""
    if PLANTED_BUG == "loop-index":
        return k
    if PLANTED_BUG == "loop-previous-t" and previous is not None:
        return previous
    return t


def sampling_loop(r, step):
    """x from t_1 down: at each selected t the model, then one step to the next (Ho et al.
    Algorithm 2, Song et al. sec. 4.2), the k-th step with the k-th noise."""
    ts, prev = selection(r)
    require(len(r["noise"]) == len(ts), f"noise must hold one tensor per step ({len(ts)}), "
            f"got {len(r['noise'])}")
    x = r["x"]
    last = len(ts) - 1 if PLANTED_BUG == "loop-early-stop" else len(ts)
    for k in range(last):
        t = ts[k]
        out = call_model(r, x, model_time(k, t, ts[k - 1] if k > 0 else None))
        before = x
        x = step(dict(r, xt=x, t=t, s=prev[k], modelOutput=out, noise=r["noise"][k]))
    if PLANTED_BUG == "ddim-skip-final" and step is op_ddim_step:
        return before
    return x


def op_ddpm_sample(r):
    require(r["choice"].lower() in ("fixed_small", "fixed_large"),
            f"the loop takes a fixed variance choice, got {r['choice']}")
    return sampling_loop(r, op_ddpm_step)


def op_ddim_sample(r):
    return sampling_loop(r, op_ddim_step)


def op_ddim_invert(r):
    """x from `from` (0 or t_N) up to t_1, each step s -> t with the model at the source s
    (the declared inversionModelTime), sigma = 0 (Song et al. sec. 4.3)."""
    ts, _ = selection(r)
    start = r["from"]
    require(start in (0, ts[-1]), f"from must be 0 or t_N = {ts[-1]}, got {start}")
    visited = ([0] if start == 0 else []) + ts[::-1]
    x = r["x"]
    for s, t in zip(visited, visited[1:]):
        at = t if PLANTED_BUG == "invert-target" else s
        require(at >= 1, "inversion from s = 0 with the model at the source needs a model at "
                "t = 0, which is not defined (declared: inversionModelTime source, "
                "finalAlphaBar one)")
        out = call_model(r, x, at)
        x = op_ddim_invert_step(dict(r, xs=x, s=s, t=t, modelOutput=out))
    if DECLARATION["conventions"].get("inversionEnd") == "alpha_bar_zero":
        x = past_t(r, x, ts[0])
    return x


def past_t(r, x, t1):
    """One step past t_1 onto alphaBar = 0, the model at t_1: sqrt(0) x0_hat + sqrt(1) eps_hat."""
    sch = schedule_of(r["schedule"])
    out = call_model(r, x, t1)
    B, per = batch_of(x)
    ts = [t1] * B
    x0_hat = clipped(r["clipping"], predicted_x0(sch, r["prediction"], x["data"], ts, out["data"],
                                                 per), per)
    eps_hat = predicted_eps(sch, r["prediction"], x["data"], ts, out["data"], per)
    end = sch.alpha_bar[sch.T] if PLANTED_BUG == "invert-past-t" else 0.0
    return tensor(x["shape"], combine([math.sqrt(end)] * B, x0_hat, [math.sqrt(1.0 - end)] * B,
                                      eps_hat, per))


# ---------------------------------------------------------------- the protocol loop

OPERATIONS = {
    "schedule": op_schedule, "forward_sample": op_forward_sample, "posterior": op_posterior,
    "convert": op_convert, "noise": op_noise, "reverse_log_variance": op_reverse_log_variance,
    "kl": op_kl, "prior_term": op_prior_term, "step_term": op_step_term,
    "decoder_nll": op_decoder_nll, "ddpm_step": op_ddpm_step, "ddim_step": op_ddim_step,
    "ddim_invert_step": op_ddim_invert_step, "timesteps": op_timesteps,
    "ddpm_sample": op_ddpm_sample, "ddim_sample": op_ddim_sample, "ddim_invert": op_ddim_invert,
}


def answer(request):
    op = request.get("op")
    if op == "hello":
        return DECLARATION
    if op not in OPERATIONS:
        raise Refusal(f"unknown operation {op}")
    return OPERATIONS[op](request)


def main():
    if PLANTED_BUG and PLANTED_BUG not in PLANTED_BUGS:
        sys.exit(f"DIFFUSION_TCK_PLANT_BUG must be one of {', '.join(PLANTED_BUGS)}, "
                 f"got {PLANTED_BUG}")
    # readline, not iteration: a loop's callbacks read their answers from the same stdin
    for line in iter(sys.stdin.readline, ""):
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            reply = {"id": request.get("id"), "result": answer(request)}
        except Exception as e:  # every refusal is an answer, never a crash
            reply = {"id": request.get("id"), "error": f"{type(e).__name__}: {e}"}
        send(reply)


def send(message):
    sys.stdout.write(json.dumps(message))
    sys.stdout.write("\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
