#!/usr/bin/python3
"""Another pipeline for `tck golden compare`: the shipped network sampled in PyTorch, float32, CPU.

This is what a team does to check its own sampler against a golden record: read the record's
manifest (seeds, schedule, timesteps), draw the same portable noise (spec/NOISE.md, with numpy's
Philox as spec/noise/make_kat.py draws it), run its own DDIM and DDPM code, and write a candidate
folder. Nothing here comes from the kit's Java code: the samplers are written from the papers (Song et al. 2021, eq. 12;
Ho et al. 2020, Algorithm 2 with the posterior variance β̃_t) in torch float32, and the network is
the PyTorch model itself (digits-eps.pt), not the ONNX export.

    /usr/bin/python3 golden/train/pytorch_candidate.py

writes golden/candidates/pytorch-cpu-float32/ (candidate.json, samples/*.npy, evaluation/loss.npy)
and the adapter test's fixture golden/src/test/resources/torch-io.npy: the network's float32 output
on a fixed input at four timesteps, [2, 4, 1, 8, 8] (input, output), timestep indices 0, 250, 500,
999.
"""
import json
import os
import sys

import numpy as np
import torch

from train_digits import CONFIG, Net, linear_alpha_bar

HERE = os.path.dirname(os.path.abspath(__file__))
# The portable noise in numpy, as the spec's known-answer script draws it (spec/NOISE.md).
sys.path.insert(0, os.path.join(HERE, "..", "..", "spec", "noise"))
from make_kat import normals, philox  # noqa: E402

GOLDEN = os.path.join(HERE, "..")
RECORD = os.path.join(GOLDEN, "digits")
OUT = os.path.join(GOLDEN, "candidates", "pytorch-cpu-float32")


class Streams:
    """One portable stream per seed; each draw takes one sample's worth from every stream."""

    def __init__(self, seeds, stream, shape):
        self.shape = shape
        self.streams = [philox(s, stream) for s in seeds]

    def draw(self):
        d = int(np.prod(self.shape))
        z = [normals(bits, d).reshape(self.shape) for bits in self.streams]
        return torch.tensor(np.stack(z), dtype=torch.float32)


def ddim(net, x, timesteps, alpha_bar):
    """DDIM at η = 0 (Song et al. 2021, eq. 12), papers' t; the model takes the index t − 1."""
    for k, t in enumerate(timesteps):
        s = timesteps[k + 1] if k + 1 < len(timesteps) else 0
        a_t = torch.tensor(alpha_bar[t], dtype=torch.float32)
        a_s = torch.tensor(alpha_bar[s], dtype=torch.float32)
        eps = net(x, torch.full((x.shape[0],), t - 1, dtype=torch.int64))
        x0 = (x - (1 - a_t).sqrt() * eps) / a_t.sqrt()
        x = a_s.sqrt() * x0 + (1 - a_s).sqrt() * eps
    return x


def ddpm(net, x, betas, alpha_bar, noise):
    """Ancestral sampling (Ho et al. 2020, Algorithm 2) with σ_t² = β̃_t, in posterior form."""
    T = len(betas) - 1
    for t in range(T, 0, -1):
        a_t, a_prev, beta = alpha_bar[t], alpha_bar[t - 1], betas[t]
        eps = net(x, torch.full((x.shape[0],), t - 1, dtype=torch.int64))
        x0 = (x - np.sqrt(1 - a_t) * eps) / np.sqrt(a_t)
        mean = (np.sqrt(a_prev) * beta / (1 - a_t)) * x0 \
            + (np.sqrt(1 - beta) * (1 - a_prev) / (1 - a_t)) * x
        if t > 1:
            var = beta * (1 - a_prev) / (1 - a_t)
            x = mean + float(np.sqrt(var)) * noise.draw()
        else:
            x = mean
    return x


def main():
    torch.set_num_threads(1)
    with open(os.path.join(RECORD, "manifest.json")) as f:
        manifest = json.load(f)
    s = manifest["schedule"]
    T = s["steps"]
    assert s["kind"] == "linear" and T == CONFIG["schedule"]["T"]
    betas = np.concatenate([[0.0], np.linspace(s["beta_start"], s["beta_end"], T)])
    alpha_bar = np.concatenate([[1.0], linear_alpha_bar(T, s["beta_start"], s["beta_end"])])
    net = Net(*CONFIG["channels"], CONFIG["embedding"])
    net.load_state_dict(torch.load(os.path.join(GOLDEN, "checkpoints", "digits-eps.pt")))
    net.eval()
    seeds = manifest["seeds"]
    shape = tuple(manifest["sample_shape"])
    os.makedirs(os.path.join(OUT, "samples"), exist_ok=True)
    with torch.no_grad():
        x_T = Streams(seeds, 0, shape).draw()
        for sampler in manifest["samplers"]:
            if sampler["kind"] == "ddim":
                x = ddim(net, x_T, sampler["timesteps"], alpha_bar)
            else:
                assert sampler["timesteps"] == list(range(T, 0, -1))
                x = ddpm(net, x_T, betas, alpha_bar, Streams(seeds, 1, shape))
            np.save(os.path.join(OUT, sampler["file"]), x.numpy().astype("<f8"))
        x0 = torch.tensor(np.load(os.path.join(RECORD, manifest["evaluation"]["file"])),
                          dtype=torch.float32)
        seed = manifest["evaluation"]["noise_seed"]
        loss = np.empty(T)
        for t in range(1, T + 1):
            eps = torch.tensor(normals(philox(seed, t), x0.numel()).reshape(x0.shape),
                               dtype=torch.float32)
            a = torch.tensor(alpha_bar[t], dtype=torch.float32)
            xt = a.sqrt() * x0 + (1 - a).sqrt() * eps
            out = net(xt, torch.full((x0.shape[0],), t - 1, dtype=torch.int64))
            loss[t - 1] = float(((out - eps) ** 2).mean())
        os.makedirs(os.path.join(OUT, "evaluation"), exist_ok=True)
        np.save(os.path.join(OUT, manifest["evaluation"]["loss"]), loss.astype("<f8"))
        # The adapter test's fixture: a fixed input (not noise) at four timestep indices.
        grid = np.linspace(-1.5, 1.5, 4 * 64).reshape(4, 1, 8, 8)
        x_in = torch.tensor(grid, dtype=torch.float32)
        out = net(x_in, torch.tensor([0, 250, 500, 999], dtype=torch.int64))
        np.save(os.path.join(GOLDEN, "src", "test", "resources", "torch-io.npy"),
                np.stack([x_in.numpy(), out.numpy()]).astype("<f8"))
    info = {
        "environment": {"device": "cpu", "dtype": "float32", "runtime": "PyTorch " + torch.__version__,
                        "provider": "CPU (ATen), 1 thread"},
        "description": "golden/train/pytorch_candidate.py: the PyTorch model and its own DDIM and"
                       " DDPM code in float32 on CPU, from the record's portable noise",
    }
    with open(os.path.join(OUT, "candidate.json"), "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
