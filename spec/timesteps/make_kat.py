#!/usr/bin/env python3
"""Known answers for the "sections" timestep spacing (spec/CONVENTIONS.md, SECTIONS).

The definition is improved-diffusion's space_timesteps (respace.py), as its
docstring states it, written here in Python from that statement, not from the
kit's Java code:

- "ddimN": the indices range(0, T, d) for the smallest stride d in 1..T-1 that
  gives exactly N of them; no such d is an error.
- "c_1,...,c_m": the indices 0..T-1 are cut into m consecutive sections, the
  first T mod m of them one longer than the rest; from a section of size n
  that asks for c steps, c >= 2 takes start + round(x) for x = 0, f, 2f, ...
  (c values, x accumulated by addition, f = (n - 1)/(c - 1), round half to
  even as Python's round); c = 1 takes the start; c = 0 takes nothing.

The kit numbers timesteps t = i + 1 in {1..T} and lists them descending.
Python floats are IEEE doubles, so the accumulated x is the same double in any
language that adds the same way.

Usage (from the repository root):
    python3 spec/timesteps/make_kat.py > spec/timesteps/sections-kat.json
"""
import json
import platform

CASES = [
    (10, "3"), (10, "ddim3"), (10, "1,1,1"), (10, "2,1"), (10, "0,3"),
    (300, "10,10,10"), (1000, "10,10,10"), (1000, "ddim50"), (1000, "ddim250"),
    (1000, "50"), (1000, "7"), (1000, "25,15,10"), (999, "4,4,4,4"),
    (1000, "100,0,3"), (4000, "ddim100"), (4000, "1,2,3,4,5,6,7"), (17, "5,5,5"),
]


def ddim_stride(T, N):
    for d in range(1, T):
        if len(range(0, T, d)) == N:
            return d
    raise ValueError(f"no stride gives {N} of {T} steps")


def sections(T, spec):
    if spec.startswith("ddim"):
        return set(range(0, T, ddim_stride(T, int(spec[len("ddim"):]))))
    counts = [int(c) for c in spec.split(",")]
    base, extra = divmod(T, len(counts))
    taken, start = set(), 0
    for j, c in enumerate(counts):
        size = base + (1 if j < extra else 0)
        if c == 1:
            taken.add(start)
        elif c >= 2:
            stride = (size - 1) / (c - 1)
            x = 0.0
            for _ in range(c):
                taken.add(start + round(x))
                x += stride
        start += size
    return taken


def main():
    cases = [{"T": T, "sections": spec,
              "timesteps": sorted((i + 1 for i in sections(T, spec)), reverse=True)}
             for T, spec in CASES]
    header = {
        "description": "SECTIONS spacing (improved-diffusion's space_timesteps): the kit's "
                       "timesteps t = i + 1, descending",
        "generator": "spec/timesteps/make_kat.py, Python " + platform.python_version(),
    }
    lines = [json.dumps(header)[:-1] + ', "cases": [']
    lines.append(",\n".join("  " + json.dumps(c) for c in cases))
    lines.append("]}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
