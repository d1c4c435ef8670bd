#!/usr/bin/python3
"""Trains the small ε-prediction network shipped in golden/checkpoints/ and exports it to ONNX.

Data: the 8×8 digits of scikit-learn (Debian's python3-sklearn ships them as
sklearn/datasets/data/digits.csv.gz), 1797 images with 17 grey levels 0..16. Each level v is put on
the 8-bit grid the kit's bound needs (Ho et al. 2020, §3.3): k = round(255 v / 16), x = k/127.5 − 1.
The last 16 images (in the file's order) are the fixed evaluation batch, never trained on.

Model: a small U-Net (two resolutions, 8×8 and 4×4) with a sinusoidal timestep embedding, trained
on L_simple (Ho et al. 2020, eq. 14) for the linear schedule, T = 1000, β from 1e-4 to 0.02. The
exported graph takes the common export's inputs: `sample` (float32 [B, 1, 8, 8]) and `timestep`
(int64 [B], the 0-based index i = t − 1 of diffusers), and returns `out_sample`, the predicted ε.

Runs on one CPU core (about 15 ms a step: 6 minutes unloaded, 21 on a busy shared machine) with
Debian's python3-torch, python3-onnx and python3-sklearn:

    /usr/bin/python3 golden/train/train_digits.py

It writes, under golden/checkpoints/:
  digits-eps.onnx          the network (EMA weights), opset 14
  digits-eps-fp16io.onnx   the same network behind float16 input and output (Cast nodes), which
                           tests the adapter's float16 path
  digits-eps.pt            the EMA weights as a PyTorch state dict (for pytorch_candidate.py)
  digits-eval.npy          the evaluation batch [16, 1, 8, 8], float64
  digits-eps.json          the training configuration, the data's SHA-256 and the final loss
CI never runs this: it uses the committed files.
"""
import hashlib
import json
import math
import os
import platform
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper
from sklearn.datasets import load_digits

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "checkpoints")

CONFIG = {
    "data": "sklearn.datasets.load_digits (python3-sklearn 1.2.1), 1797 images 8x8, levels 0..16",
    "scaling": "k = round(255 v / 16), x = k / 127.5 - 1 (8-bit grid in [-1, 1])",
    "evaluation_batch": "the last 16 images, not trained on",
    "schedule": {"kind": "linear", "T": 1000, "beta_start": 1e-4, "beta_end": 0.02},
    "prediction": "epsilon",
    "loss": "L_simple: mean over pixels of (eps - eps_theta)^2, t uniform in 1..T",
    "timestep_input": "int64 [B], 0-based index i = t - 1",
    "channels": [16, 32],
    "embedding": 32,
    "steps": 24000,
    "batch": 128,
    "optimizer": "Adam, lr 2e-3 with cosine decay to 0, no weight decay",
    "ema_decay": 0.999,
    "seed": 20240607,
    "threads": 1,
    "opset": 14,
}
EVAL = 16


def scaled_digits():
    levels = load_digits().images  # (1797, 8, 8), float64 values 0..16
    k = np.rint(levels * 255.0 / 16.0)
    return (k / 127.5 - 1.0).reshape(-1, 1, 8, 8)


def sha256(array):
    return hashlib.sha256(np.ascontiguousarray(array, dtype="<f8").tobytes()).hexdigest()


def linear_alpha_bar(T, start, end):
    betas = np.linspace(start, end, T, dtype=np.float64)
    return np.cumprod(1.0 - betas)


class Embedding(nn.Module):
    """Sinusoidal embedding of the 0-based index (Vaswani et al. 2017; Ho et al. 2020, §4)."""

    def __init__(self, dim):
        super().__init__()
        half = dim // 2
        self.register_buffer(
            "freqs", torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half))

    def forward(self, index):
        args = index.to(torch.float32)[:, None] * self.freqs[None, :]
        return torch.cat([torch.sin(args), torch.cos(args)], dim=1)


class Block(nn.Module):
    def __init__(self, cin, cout, emb):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.proj = nn.Linear(emb, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, e):
        h = F.silu(self.conv1(x) + self.proj(e)[:, :, None, None])
        return self.skip(x) + self.conv2(h)


class Net(nn.Module):
    def __init__(self, c1, c2, emb):
        super().__init__()
        self.embedding = Embedding(emb)
        self.mlp = nn.Sequential(nn.Linear(emb, emb), nn.SiLU(), nn.Linear(emb, emb), nn.SiLU())
        self.inc = nn.Conv2d(1, c1, 3, padding=1)
        self.b1 = Block(c1, c1, emb)
        self.down = nn.Conv2d(c1, c2, 3, stride=2, padding=1)
        self.b2 = Block(c2, c2, emb)
        self.b3 = Block(c2, c2, emb)
        self.up = nn.Conv2d(c2, c1, 3, padding=1)
        self.b4 = Block(2 * c1, c1, emb)
        self.out = nn.Conv2d(c1, 1, 3, padding=1)

    def forward(self, sample, timestep):
        e = self.mlp(self.embedding(timestep))
        h1 = self.b1(self.inc(sample), e)
        h = self.b3(self.b2(self.down(F.silu(h1)), e), e)
        h = self.up(F.interpolate(F.silu(h), scale_factor=2.0, mode="nearest"))
        h = self.b4(torch.cat([h, h1], dim=1), e)
        return self.out(F.silu(h))


def train(data, config):
    torch.manual_seed(config["seed"])
    rng = np.random.default_rng(config["seed"])
    s = config["schedule"]
    alpha_bar = torch.tensor(linear_alpha_bar(s["T"], s["beta_start"], s["beta_end"]),
                             dtype=torch.float32)
    net = Net(*config["channels"], config["embedding"])
    ema = Net(*config["channels"], config["embedding"])
    ema.load_state_dict(net.state_dict())
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    steps = config["steps"]
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda k: 0.5 * (1.0 + math.cos(math.pi * k / steps)))
    x_all = torch.tensor(data, dtype=torch.float32)
    recent = []
    for k in range(steps):
        idx = torch.tensor(rng.integers(0, len(data), config["batch"]))
        x0 = x_all[idx]
        i = torch.randint(0, s["T"], (config["batch"],))  # 0-based index, t = i + 1
        eps = torch.randn_like(x0)
        a = alpha_bar[i][:, None, None, None]
        xt = a.sqrt() * x0 + (1.0 - a).sqrt() * eps
        loss = F.mse_loss(net(xt, i), eps)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        with torch.no_grad():
            for pe, pn in zip(ema.parameters(), net.parameters()):
                pe.mul_(config["ema_decay"]).add_(pn, alpha=1.0 - config["ema_decay"])
        recent.append(loss.item())
        if (k + 1) % 2000 == 0:
            print(f"step {k + 1}: loss (mean of the last 2000) {np.mean(recent[-2000:]):.5f}",
                  flush=True)
    return ema.eval(), float(np.mean(recent[-2000:]))


def evaluation_loss(model, x_eval, config):
    """L_simple of the EMA model on the evaluation batch, every t, one fixed noise draw."""
    s = config["schedule"]
    alpha_bar = torch.tensor(linear_alpha_bar(s["T"], s["beta_start"], s["beta_end"]),
                             dtype=torch.float32)
    g = torch.Generator().manual_seed(config["seed"] + 1)
    x0 = torch.tensor(x_eval, dtype=torch.float32)
    total = 0.0
    with torch.no_grad():
        for i in range(s["T"]):
            eps = torch.randn(x0.shape, generator=g)
            a = alpha_bar[i]
            xt = a.sqrt() * x0 + (1.0 - a).sqrt() * eps
            idx = torch.full((len(x0),), i, dtype=torch.int64)
            total += F.mse_loss(model(xt, idx), eps).item()
    return total / s["T"]


def export(model, path, opset):
    sample = torch.zeros(2, 1, 8, 8)
    timestep = torch.tensor([999, 0], dtype=torch.int64)
    torch.onnx.export(
        model, (sample, timestep), path, opset_version=opset,
        input_names=["sample", "timestep"], output_names=["out_sample"],
        dynamic_axes={"sample": {0: "batch"}, "timestep": {0: "batch"},
                      "out_sample": {0: "batch"}})
    onnx.checker.check_model(onnx.load(path))


def float16_io(path, out_path):
    """The same graph behind float16 `sample` and `out_sample`: Cast nodes at both ends."""
    m = onnx.load(path)
    g = m.graph
    for node in g.node:
        node.input[:] = ["sample_f32" if n == "sample" else n for n in node.input]
        node.output[:] = ["out_sample_f32" if n == "out_sample" else n for n in node.output]
    g.node.insert(0, helper.make_node("Cast", ["sample"], ["sample_f32"], to=TensorProto.FLOAT))
    g.node.append(helper.make_node("Cast", ["out_sample_f32"], ["out_sample"],
                                   to=TensorProto.FLOAT16))
    g.input[0].type.tensor_type.elem_type = TensorProto.FLOAT16
    g.output[0].type.tensor_type.elem_type = TensorProto.FLOAT16
    onnx.checker.check_model(m)
    onnx.save(m, out_path)


def main():
    torch.set_num_threads(CONFIG["threads"])
    data = scaled_digits()
    x_train, x_eval = data[:-EVAL], data[-EVAL:]
    started = time.time()
    model, final_loss = train(x_train, CONFIG)
    seconds = time.time() - started
    eval_loss = evaluation_loss(model, x_eval, CONFIG)
    os.makedirs(OUT, exist_ok=True)
    onnx_path = os.path.join(OUT, "digits-eps.onnx")
    export(model, onnx_path, CONFIG["opset"])
    float16_io(onnx_path, os.path.join(OUT, "digits-eps-fp16io.onnx"))
    torch.save(model.state_dict(), os.path.join(OUT, "digits-eps.pt"))
    np.save(os.path.join(OUT, "digits-eval.npy"), np.ascontiguousarray(x_eval, dtype="<f8"))
    with open(onnx_path, "rb") as f:
        onnx_sha = hashlib.sha256(f.read()).hexdigest()
    record = {
        "config": CONFIG,
        "parameters": sum(p.numel() for p in model.parameters()),
        "data_sha256": {
            "all_1797": sha256(data),
            "train_1781": sha256(x_train),
            "evaluation_16": sha256(x_eval),
            "note": "SHA-256 of the scaled images as little-endian float64 in C order [N, 1, 8, 8]",
        },
        "final_loss": {
            "train_last_2000_steps": final_loss,
            "evaluation_batch_ema": eval_loss,
            "note": "L_simple per pixel; predicting zero scores 1.0",
        },
        "onnx_sha256": onnx_sha,
        "onnx_bytes": os.path.getsize(onnx_path),
        "training_seconds": round(seconds, 1),
        "environment": {
            "python": platform.python_version(),
            "torch": torch.__version__,
            "onnx": onnx.__version__,
            "numpy": np.__version__,
            "machine": platform.machine(),
        },
    }
    with open(os.path.join(OUT, "digits-eps.json"), "w") as f:
        json.dump(record, f, indent=2)
        f.write("\n")
    print(json.dumps(record["final_loss"]), record["onnx_bytes"], "bytes")


if __name__ == "__main__":
    main()
