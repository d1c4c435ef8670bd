#!/usr/bin/env python3
"""Test files for org.diffusiontck.checks.io.Npy, written by numpy (an independent writer).

The values are chosen so that the Java test knows them without numpy: (i - 11.5) / 8 is exact
in binary, and the special values are named constants.

Usage (from this directory): python3 make_npy.py
"""
import numpy as np

arange = (np.arange(24, dtype="<f8") - 11.5) / 8
np.save("arange-2x3x4.npy", arange.reshape(2, 3, 4))
with open("arange-2x3x4-v2.npy", "wb") as f:
    np.lib.format.write_array(f, arange.reshape(2, 3, 4), version=(2, 0))
np.save("specials.npy", np.array(
    [0.0, -0.0, np.inf, -np.inf, 5e-324, np.finfo(np.float64).max, 0.1], dtype="<f8"))
np.save("scalar.npy", np.array(2.5, dtype="<f8"))
np.save("empty-0x3.npy", np.zeros((0, 3), dtype="<f8"))
np.save("fortran-2x3.npy", np.asfortranarray(arange[:6].reshape(2, 3)))
np.save("float32.npy", arange[:4].astype("<f4"))
np.save("big-endian.npy", arange[:4].astype(">f8"))
