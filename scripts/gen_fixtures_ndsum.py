#!/usr/bin/env python3
"""Generate test/fixtures/ndimage_sum.json: how scipy.ndimage sums float32, and where its NaN goes.

Run from the repository root with the system interpreter (Debian's python3-numpy, python3-scipy):

    /usr/bin/python3 scripts/gen_fixtures_ndsum.py

scipy.ndimage's correlate (NI_Correlate in scipy/ndimage/src/ni_filters.c) reads every sample as a double, drops
the weights with |w| <= DBL_EPSILON, sums the kept products in double from 0 in C order of the (for convolve,
reversed) weights, and rounds once when it stores a float32 output. So float32 cases here are exact float32 values:
`ndimage.correlate([1e8, 1, -1e8, 3, ...], [1, 1, 1])` is 1 at index 1, where a float32 sum gives 0.
The script also checks, and prints, that scipy.signal and numpy sum float32 in float32 (they give 0 there).

Each case: {"name", "fn", "args": {"input", "weights", "mode", "cval", "origin", "inputDtype", "weightsDtype",
"output"}, "expected"}; arrays are {"shape", "data"} with non-finite values as "NaN", "Infinity", "-Infinity";
`output` is the dtype scipy wrote (its `output=` argument).
"""

import json
import os

import numpy as np
import scipy
import scipy.ndimage as ndi
import scipy.signal as sig

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "ndimage_sum.json")
NAN = np.nan
INF = np.inf
rng = np.random.default_rng(1414)


def enc(a):
    """float32 arrays as the shortest decimals that read back as the same float32 (Float32Array.from restores them)."""
    a = np.asarray(a)
    short = a.dtype == np.float32

    def v(x):
        x = float(str(x)) if short else float(x)
        if np.isnan(x):
            return "NaN"
        if np.isinf(x):
            return "Infinity" if x > 0 else "-Infinity"
        return x

    return {"shape": list(a.shape), "data": [v(x) for x in a.ravel()]}


cases = []


def add(name, fn, x, w, mode="reflect", cval=0.0, origin=0, output=np.float32):
    f = getattr(ndi, fn)
    res = f(x, w, mode=mode, cval=cval, origin=origin, output=output)
    cases.append({
        "name": name, "fn": f"ndimage.{fn}",
        "args": {"input": enc(x), "weights": enc(w), "mode": mode, "cval": enc(np.float64(cval))["data"][0],
                 "origin": origin if isinstance(origin, int) else list(origin),
                 "inputDtype": str(x.dtype), "weightsDtype": str(w.dtype), "output": np.dtype(output).name},
        "expected": enc(res),
    })


def wide(*shape):
    """float32 values spread over 2^-12 ... 2^20 in size, both signs: sums that cancel."""
    mag = 2.0 ** rng.integers(-12, 21, size=shape)
    return (rng.standard_normal(shape) * mag).astype(np.float32)


MODES = ("reflect", "constant", "nearest", "mirror", "wrap")

# The catastrophic cancellation of the issue, on every mode, both ops.
spike = np.array([1e8, 1, -1e8, 3, 5, 7], dtype=np.float32)
ones = np.ones(3, dtype=np.float32)
for fn in ("correlate", "convolve"):
    for mode in MODES:
        add(f"{fn} [1e8, 1, -1e8, 3, 5, 7] with [1, 1, 1] ({mode})", fn, spike, ones, mode=mode, cval=2.0)

# Random float32 with cancellation: ranks 1-3, every mode, odd and even weights, origins, rows past a SIMD tile.
for fn in ("correlate", "convolve"):
    for mode in MODES:
        add(f"{fn} 1-D 41 wide-range float32, 5 weights ({mode})", fn, wide(41), wide(5), mode=mode, cval=-1.5, origin=1)
        add(f"{fn} 2-D 13x37 wide-range float32, 3x3 ({mode})", fn, wide(13, 37), wide(3, 3), mode=mode, cval=0.25)
        add(f"{fn} 2-D 9x35 wide-range float32, 4x5 origin [-1, 1] ({mode})", fn, wide(9, 35), wide(4, 5), mode=mode,
            origin=(-1, 1))
        add(f"{fn} 3-D 4x5x19 wide-range float32, 2x3x3 ({mode})", fn, wide(4, 5, 19), wide(2, 3, 3), mode=mode)
    # float64 data into a float32 output (scipy's output=np.float32): double sums of the doubles, one rounding.
    x64 = rng.standard_normal((7, 33)) * 1e6
    add(f"{fn} float64 input, float32 output, 3x3", fn, x64, rng.standard_normal((3, 3)), mode="nearest")
    # float32 data, float64 weights that float32 cannot hold (0.1): scipy keeps them double.
    add(f"{fn} float32 input, float64 weights 0.1, float32 output", fn, wide(5, 40), np.full((3, 3), 0.1), mode="wrap")

# NaN and infinities on float32 with weights scipy drops (zeros, a NaN weight, 1e-17): the kept-taps path.
lap = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=np.float32)
sobel = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=np.float32)
img = wide(11, 37)
img[3, 5] = NAN
img[7, 20] = INF
img[0, 36] = -INF
for fn in ("correlate", "convolve"):
    for mode in MODES:
        add(f"{fn} Laplacian over NaN and inf float32 ({mode})", fn, img, lap, mode=mode, cval=3.0)
        add(f"{fn} Sobel over NaN and inf float32, origin [0, 1] ({mode})", fn, img, sobel, mode=mode, origin=(0, 1))
    add(f"{fn} Laplacian, constant border NaN", fn, img, lap, mode="constant", cval=NAN)
    wn = wide(5)
    wn[1] = NAN
    wn[3] = 1e-17
    x1 = wide(40)
    x1[17] = NAN
    add(f"{fn} 1-D NaN and 1e-17 weights dropped, NaN sample", fn, x1, wn.astype(np.float64), mode="mirror",
        output=np.float32)
    x3 = wide(4, 6, 21)
    x3[1, 2, 9] = -INF
    x3[2, 4, 3] = NAN
    w3 = wide(3, 3, 2)
    w3[0, 1, :] = 0
    w3[2, :, 1] = 0
    add(f"{fn} 3-D zero weights over NaN and -inf", fn, x3, w3, mode="reflect")

# The other references sum float32 in float32: printed as a check, not stored (convcorr follows them there).
one = float(ndi.correlate(spike, ones)[1])
others = {
    "scipy.signal.correlate direct": float(sig.correlate(spike, ones, method="direct")[2]),
    "scipy.signal.convolve direct": float(sig.convolve(spike, ones, method="direct")[2]),
    "scipy.signal.correlate2d": float(sig.correlate2d(spike[None], ones[None])[0, 2]),
    "scipy.signal.convolve2d": float(sig.convolve2d(spike[None], ones[None])[0, 2]),
    "numpy.convolve": float(np.convolve(spike, ones)[2]),
    "numpy.correlate full": float(np.correlate(spike, ones, "full")[2]),
}
print(f"{'OK' if one == 1 else 'MISMATCH'}: ndimage.correlate sums in double (gives {one})")
for k, v in others.items():
    print(f"{'OK' if v == 0 else 'MISMATCH'}: {k} sums float32 in float32 (gives {v})")

meta = {"numpy": np.__version__, "scipy": scipy.__version__}
with open(OUT, "w") as fh:
    json.dump({"meta": meta, "cases": cases}, fh, indent=None, separators=(",", ":"))
    fh.write("\n")
print(f"wrote {len(cases)} cases to {os.path.relpath(OUT, ROOT)}")
