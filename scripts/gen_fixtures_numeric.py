#!/usr/bin/env python3
"""Golden fixtures for inputs and outputs of every numeric type: test/fixtures/numeric.json.

Run from the repository root with the system interpreter (Debian packages
python3-numpy, python3-scipy, python3-opencv, python3-torch):

    /usr/bin/python3 scripts/gen_fixtures_numeric.py

Three groups of cases, all deterministic (numpy.random.default_rng(15)):

* "filter2d": OpenCV cv2.filter2D on uint8 images [H, W, C] (C = 1, 3, 4) with a
  float32 kernel and ddepth -1 (uint8 out, saturate_cast), beside the same filter
  as scipy.ndimage.correlate on the image as float64, rounded half to even
  (np.rint) and clipped to [0, 255]. Borders: BORDER_REFLECT_101 = 'mirror',
  BORDER_REPLICATE = 'nearest', BORDER_CONSTANT = 'constant' (cval 0),
  BORDER_REFLECT = 'reflect'. "expected" is SciPy's; "opencv" is OpenCV's, and
  "opencvDiffers" counts the bytes where they differ (OpenCV sums in float32, so
  kernels that are not exact in float32 can round a near-tie the other way).
* "promotion": integer typed inputs (int8 … uint32) through ndimage.correlate,
  signal.correlate and conv2d; "dtype" is NumPy's result type
  np.result_type(input, weights) (float32 or float64); "expected" is the
  reference on the values as float64, and "absSum" the same op on |inputs|
  (Σ|terms| of each output, which bounds its rounding error).
* "output": results stored into integer arrays: the float64 reference rounded
  half to even and clipped to the array type's range ('uint8clamped' is the same
  rule, a canvas's ToUint8Clamp). Inputs are chosen so many sums are exact ties
  (x.5) and many leave the range.

Arrays are {"shape", "data", "dtype"} with dtype a NumPy name or "uint8clamped".
"""

import json
import os
import platform

import cv2
import numpy as np
import scipy
import scipy.ndimage as ndi
import scipy.signal as sig
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "numeric.json")
rng = np.random.default_rng(15)

RANGES = {
    "int8": (-128, 127), "uint8": (0, 255), "uint8clamped": (0, 255), "int16": (-32768, 32767),
    "uint16": (0, 65535), "int32": (-2**31, 2**31 - 1), "uint32": (0, 2**32 - 1),
}
INT_TYPES = ["int8", "uint8", "int16", "uint16", "int32", "uint32"]


def enc(a, dtype=None):
    a = np.asarray(a)
    return {"shape": list(a.shape), "data": [float(v) for v in a.ravel()], "dtype": dtype or str(a.dtype)}


def store(v, dtype):
    lo, hi = RANGES[dtype]
    r = np.clip(np.rint(np.nan_to_num(v, nan=0.0)), lo, hi)
    return r


def random_ints(shape, dtype):
    lo, hi = RANGES[dtype]
    lo, hi = max(lo, -1000), min(hi, 1000)
    return rng.integers(lo, hi + 1, size=shape).astype(dtype)


def binomial(row):
    r = np.array(row, dtype=np.float64)
    k = np.outer(r, r)
    return (k / k.sum()).astype(np.float32)


BORDERS = [
    ("mirror", cv2.BORDER_REFLECT_101),
    ("nearest", cv2.BORDER_REPLICATE),
    ("constant", cv2.BORDER_CONSTANT),
    ("reflect", cv2.BORDER_REFLECT),
]


def filter2d_cases():
    kernels = {
        "gauss3": binomial([1, 2, 1]),
        "gauss5": binomial([1, 4, 6, 4, 1]),
        "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], np.float32),
        "halves1x2": np.array([[0.5, 0.5]], np.float32),
        "box3x3": np.full((3, 3), 1 / 9, np.float32),
        "random3x5": rng.normal(0, 0.4, (3, 5)).astype(np.float32),
        "even4x4": (rng.integers(-3, 4, (4, 4)) / 8).astype(np.float32),
    }
    cases = []
    for C, (H, W) in [(4, (9, 13)), (3, (7, 6)), (1, (6, 17)), (4, (2, 3)), (5, (8, 5))]:
        img = rng.integers(0, 256, (H, W, C)).astype(np.uint8)
        for kname, k in kernels.items():
            if C == 5 and kname not in ("gauss3", "random3x5"):
                continue
            for mode, border in BORDERS:
                # OpenCV's reflect borders need the image larger than the kernel's reach.
                if (H < k.shape[0] or W < k.shape[1]) and mode != "constant":
                    continue
                ref = store(ndi.correlate(img.astype(np.float64), k.astype(np.float64)[:, :, None], mode=mode, cval=0.0), "uint8")
                cvres = None
                if C <= 4:
                    cvres = cv2.filter2D(img if C > 1 else img[:, :, 0], -1, k, borderType=border).reshape(H, W, C)
                case = {
                    "name": f"filter2d {kname} C={C} {H}x{W} {mode}",
                    "group": "filter2d", "fn": "ndimage.correlate",
                    "args": {"input": enc(img), "weights": enc(k[:, :, None]), "mode": mode, "output": "uint8clamped"},
                    "expected": enc(ref, "uint8"),
                }
                if cvres is not None:
                    case["opencv"] = enc(cvres)
                    case["opencvDiffers"] = int(np.sum(cvres != ref))
                cases.append(case)
    # convolve: the same kernels reversed (scipy.ndimage.convolve), no OpenCV twin.
    img = rng.integers(0, 256, (6, 7, 4)).astype(np.uint8)
    for kname in ["random3x5", "even4x4"]:
        k = kernels[kname]
        for mode in ["reflect", "mirror", "nearest", "constant", "wrap"]:
            ref = store(ndi.convolve(img.astype(np.float64), k.astype(np.float64)[:, :, None], mode=mode, cval=3.0), "uint8")
            cases.append({
                "name": f"convolve {kname} C=4 {mode} cval 3", "group": "filter2d", "fn": "ndimage.convolve",
                "args": {"input": enc(img), "weights": enc(k[:, :, None]), "mode": mode, "cval": 3, "output": "uint8"},
                "expected": enc(ref, "uint8"),
            })
    return cases


def promotion_cases():
    cases = []
    for t in INT_TYPES:
        for wt in ["float32", "float64", "int16"]:
            x = random_ints((5, 6), t)
            w = rng.normal(0, 1, (3, 2)).round(3).astype(wt) if wt != "int16" else random_ints((3, 2), "int16")
            dtype = str(np.result_type(x.dtype, w.dtype, np.float32))
            cases.append({
                "name": f"ndimage.correlate {t} input, {wt} weights", "group": "promotion", "fn": "ndimage.correlate",
                "args": {"input": enc(x), "weights": enc(w), "mode": "reflect"},
                "dtype": dtype,
                "expected": enc(ndi.correlate(x.astype(np.float64), w.astype(np.float64), mode="reflect")),
                "absSum": enc(ndi.correlate(np.abs(x.astype(np.float64)), np.abs(w.astype(np.float64)), mode="reflect")),
            })
            a = random_ints((11,), t)
            v = rng.normal(0, 1, (4,)).round(3).astype(wt) if wt != "int16" else random_ints((4,), "int16")
            cases.append({
                "name": f"correlate {t} in1, {wt} in2", "group": "promotion", "fn": "correlate",
                "args": {"in1": enc(a), "in2": enc(v), "mode": "full"},
                "dtype": str(np.result_type(a.dtype, v.dtype, np.float32)),
                "expected": enc(sig.correlate(a.astype(np.float64), v.astype(np.float64), mode="full", method="direct")),
                "absSum": enc(sig.correlate(np.abs(a.astype(np.float64)), np.abs(v.astype(np.float64)), mode="full", method="direct")),
            })
        xi = random_ints((1, 2, 5, 5), t)
        wi = random_ints((3, 2, 3, 3), "int8")
        b = rng.normal(0, 1, (3,)).round(3).astype(np.float32)
        ref = F.conv2d(torch.from_numpy(xi.astype(np.float64)), torch.from_numpy(wi.astype(np.float64)),
                       torch.from_numpy(b.astype(np.float64)), padding=1)
        cases.append({
            "name": f"conv2d {t} input, int8 weight, float32 bias", "group": "promotion", "fn": "conv2d",
            "args": {"input": enc(xi), "weight": enc(wi), "bias": enc(b), "padding": 1},
            "dtype": str(np.result_type(xi.dtype, wi.dtype, b.dtype)),
            "expected": enc(ref.numpy()),
            "absSum": enc(F.conv2d(torch.from_numpy(np.abs(xi.astype(np.float64))), torch.from_numpy(np.abs(wi.astype(np.float64))),
                                   torch.from_numpy(np.abs(b.astype(np.float64))), padding=1).numpy()),
        })
    return cases


def output_cases():
    cases = []
    for ot in list(RANGES):
        lo, hi = RANGES[ot]
        span = max(abs(lo), hi)
        # Halves: sums of x·0.5 are exact ties whenever x is odd; the scale puts many past the type's range.
        scale = min(span * 1.5, 3e9)
        x = (rng.integers(-1000, 1001, (6, 7)) * scale / 1000).round()
        x[0, :3] = [1, 3, 5]  # 0.5 · (1 + 0) … : ties at small values too
        w = np.array([[0.5, 0.5]])
        ref = ndi.correlate(x, w, mode="nearest")
        cases.append({
            "name": f"ndimage.correlate into {ot}", "group": "output", "fn": "ndimage.correlate",
            "args": {"input": enc(x, "float64"), "weights": enc(w, "float64"), "mode": "nearest", "output": ot},
            "expected": enc(store(ref, ot), ot),
        })
        a = (rng.integers(-1000, 1001, (9,)) * scale / 1000).round()
        v = np.array([0.5, -1.5, 0.5])
        ref = sig.correlate(a, v, mode="same", method="direct")
        cases.append({
            "name": f"correlate same into {ot}", "group": "output", "fn": "correlate",
            "args": {"in1": enc(a, "float64"), "in2": enc(v, "float64"), "mode": "same", "output": ot},
            "expected": enc(store(ref, ot), ot),
        })
        xi = (rng.integers(-1000, 1001, (1, 1, 4, 5)) * scale / 1000).round()
        wi = np.array([[[[0.5, 1.5], [-0.5, 0.5]]]])
        ref = F.conv2d(torch.from_numpy(xi), torch.from_numpy(wi)).numpy()
        cases.append({
            "name": f"conv2d into {ot}", "group": "output", "fn": "conv2d",
            "args": {"input": enc(xi, "float64"), "weight": enc(wi, "float64"), "output": ot},
            "expected": enc(store(ref, ot), ot),
        })
    return cases


def main():
    torch.set_num_threads(1)
    cases = filter2d_cases() + promotion_cases() + output_cases()
    differ = [(c["name"], c["opencvDiffers"]) for c in cases if c.get("opencvDiffers")]
    print(f"{len(cases)} cases; OpenCV filter2D differs from SciPy-rounded in {len(differ)} cases:")
    for name, n in differ:
        print(f"  {name}: {n} bytes")
    out = {
        "meta": {
            "generator": "scripts/gen_fixtures_numeric.py", "seed": 15,
            "python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
            "opencv": cv2.__version__, "torch": torch.__version__,
        },
        "cases": cases,
    }
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
