#!/usr/bin/env python3
"""A model served as a child process: the `eps` operation of the Diffusion TCK protocol
(spec/PROTOCOL.md, section 8), for a framework that does not export ONNX. Standard library only.

    ./tck golden verify --golden golden/oracle-tiny-images \
        --model "process:python3 spec/examples/python/eps_model.py"
    ./tck golden verify --golden golden/oracle-gaussian \
        --model "process:python3 spec/examples/python/eps_model.py --data gaussian"

The model is an exact oracle: the optimal noise prediction eps*(x_t, t) = E[eps | x_t] (the
minimizer of Ho et al. 2020, eq. 14) for data it knows in closed form, so a golden record made
with it has a known right answer. It is "trained" on the schedule of the kit's oracle records
(their manifest.json): cosine (Nichol & Dhariwal 2021, eq. 17), s = 0.008, beta capped at 0.999,
T = 100 (--steps T for another T).

    --data tiny-images  five equally likely 8x8 images (default): with a = alphaBar_t, Bayes' rule
                        gives P(k | x_t) proportional to exp(-|x_t - sqrt(a) y_k|^2 / (2 (1 - a))),
                        E[x_0 | x_t] = sum_k P(k | x_t) y_k and
                        eps* = (x_t - sqrt(a) E[x_0 | x_t]) / sqrt(1 - a)
    --data gaussian     x_0 ~ N(mu, s^2) per pixel, mu = the cross image / 2, s = 0.25: eps and x_t
                        are jointly Gaussian, so eps* = sqrt(1 - a) (x_t - sqrt(a) mu) / (a s^2 + 1 - a)

To serve your own network, copy this file: load it once before the loop, make the declaration
truthful (prediction, dtype, device, the shape of one sample) and replace the body of predict()
by one call into it on the whole batch. The wire carries the papers' t in 1..T; a network trained on the 0-based index of
diffusers or improved-diffusion is given i = t - 1.
"""
import argparse
import json
import math
import sys

SIZE = 8


def tiny_images():
    """The kit's five tiny images (TinyImage), rows top to bottom, flat: -1 background, +1 strokes."""
    def strokes(on):
        return [1.0 if on(r, c) else -1.0 for r in range(SIZE) for c in range(SIZE)]
    return [
        strokes(lambda r, c: r in (3, 4) or c in (3, 4)),                       # cross
        strokes(lambda r, c: 1 <= r <= 6 and 1 <= c <= 6 and (r in (1, 6) or c in (1, 6))),
        strokes(lambda r, c: r == c),                                           # diagonal
        strokes(lambda r, c: (r // 2 + c // 2) % 2 == 0),                       # checkerboard
        [-1.0 + 2.0 * c / 7 for r in range(SIZE) for c in range(SIZE)],         # gradient
    ]


def cosine_schedule(T, s=0.008, max_beta=0.999):
    """alphaBar_t and 1 - alphaBar_t for t = 0..T; 1 - alphaBar_t as -expm1(sum log1p(-beta))
    keeps its full relative precision where alphaBar_t is close to 1."""
    def f(t):
        c = math.cos((t / T + s) / (1.0 + s) * math.pi / 2.0)
        return c * c
    alpha_bar, one_minus, log_sum = [1.0], [0.0], 0.0
    for t in range(1, T + 1):
        beta = min(1.0 - f(t) / f(t - 1), max_beta)
        alpha_bar.append(alpha_bar[-1] * (1.0 - beta))
        log_sum += math.log1p(-beta)
        one_minus.append(-math.expm1(log_sum))
    return alpha_bar, one_minus


class TinyImagesOracle:
    def __init__(self):
        self.points = tiny_images()

    def eps(self, x, a, one_minus):
        """eps* for one sample x (flat), by log-sum-exp over the points."""
        root_a = math.sqrt(a)
        logits = [-sum((xi - root_a * yi) ** 2 for xi, yi in zip(x, y)) / (2.0 * one_minus)
                  for y in self.points]
        top = max(logits)
        w = [math.exp(l - top) for l in logits]
        total = sum(w)
        x0 = [sum(wk * y[i] for wk, y in zip(w, self.points)) / total for i in range(len(x))]
        root_one_minus = math.sqrt(one_minus)
        return [(xi - root_a * x0i) / root_one_minus for xi, x0i in zip(x, x0)]


class GaussianOracle:
    SD = 0.25

    def __init__(self):
        self.mu = [0.5 * v for v in tiny_images()[0]]

    def eps(self, x, a, one_minus):
        root_a = math.sqrt(a)
        variance = a * self.SD * self.SD + one_minus
        return [math.sqrt(one_minus) * (xi - root_a * m) / variance for xi, m in zip(x, self.mu)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", choices=["tiny-images", "gaussian"], default="tiny-images")
    parser.add_argument("--steps", type=int, default=100, help="T of the cosine schedule")
    args = parser.parse_args()
    model = TinyImagesOracle() if args.data == "tiny-images" else GaussianOracle()
    alpha_bar, one_minus = cosine_schedule(args.steps)
    declaration = {
        "name": "exact %s oracle (spec/examples/python/eps_model.py, cosine T = %d)"
                % (args.data, args.steps),
        "dtype": "float64",
        "device": "cpu",
        "operations": ["eps"],
        "prediction": "epsilon",
        "shape": [1, SIZE, SIZE],
    }

    def predict(request):
        xt, ts = request["xt"], request["t"]
        n = SIZE * SIZE
        data, out = xt["data"], []
        for b, t in enumerate(ts):
            if not (isinstance(t, int) and 1 <= t <= args.steps):
                raise ValueError("t must be in 1..%d, got %r" % (args.steps, t))
            out += model.eps(data[b * n:(b + 1) * n], alpha_bar[t], one_minus[t])
        return {"shape": xt["shape"], "data": out}

    for line in sys.stdin:
        request = json.loads(line)
        rid = request.get("id")
        try:
            if request.get("op") == "hello":
                answer = {"id": rid, "result": declaration}
            elif request.get("op") == "eps":
                answer = {"id": rid, "result": predict(request)}
            else:
                answer = {"id": rid, "error": "unknown operation %r" % request.get("op")}
        except (ValueError, KeyError, TypeError, IndexError) as e:
            answer = {"id": rid, "error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
