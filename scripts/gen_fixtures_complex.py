#!/usr/bin/env python3
"""Generate test/fixtures/complex.json: complex signals in numpy and scipy.signal.

Run from the repository root with the system interpreter (Debian's python3-numpy, python3-scipy):

    /usr/bin/python3 scripts/gen_fixtures_complex.py

Cases: scipy.signal.correlate / convolve (direct and fft), correlate2d / convolve2d (every boundary), fftconvolve /
oaconvolve (with axes), numpy.correlate / convolve; complex64 and complex128, real x complex; every mode; 1-D to 3-D;
inputs in both size orders (the references swap them); even and odd lengths; NaN and +-Infinity in either part on
the direct path. Each case records the input dtypes and the reference's result dtype.

One deliberate difference: scipy 1.10's correlate2d with mode='valid' and in2 the larger conjugates in2 *before* it
swaps the inputs, so it returns conj(correlate(in1, in2, 'valid')). convcorr follows the conjugate rule of
correlate there; those cases record correlate's result, and this script asserts that scipy's correlate2d differs from
it by exactly the conjugate.

Arrays are {"shape", "re", "im"} (complex) or {"shape", "data"} (real), with non-finite values as the strings
"NaN", "Infinity", "-Infinity".
"""

import json
import os

import numpy as np
import scipy
import scipy.signal as sig

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "complex.json")
rng = np.random.default_rng(20260518)
INF = np.inf
NAN = np.nan


def num(x):
    if np.isnan(x):
        return "NaN"
    if np.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return float(x) if x != int(x) else int(x)


def enc(a):
    a = np.asarray(a)
    if np.iscomplexobj(a):
        return {"shape": list(a.shape), "dtype": str(a.dtype), "re": [num(v) for v in a.real.ravel()],
                "im": [num(v) for v in a.imag.ravel()]}
    return {"shape": list(a.shape), "dtype": str(a.dtype), "data": [num(v) for v in a.ravel()]}


def rand(shape, dtype):
    # Standard-normal values rounded to 3 decimals (as scripts/gen_fixtures.py): short in JSON, and the float32
    # inputs read back exactly as the references saw them.
    if dtype in ("complex64", "complex128"):
        v = np.round(rng.standard_normal(shape), 3) + 1j * np.round(rng.standard_normal(shape), 3)
    else:
        v = np.round(rng.standard_normal(shape), 3)
    return np.asarray(v).astype(dtype)


cases = []


def add(name, fn, a, b, ref, **opts):
    out = ref(a, b)
    assert np.iscomplexobj(out), name
    cases.append({"name": name, "fn": fn, "args": {"a": enc(a), "b": enc(b), "opts": opts}, "expected": enc(out)})


DTYPES = [("complex128", "complex128"), ("complex64", "complex64"), ("float64", "complex128"),
          ("complex64", "float32"), ("float32", "complex128")]
MODES = ["full", "same", "valid"]

# scipy.signal.correlate / convolve, direct and fft, 1-D to 3-D, both size orders.
SHAPES = [((7,), (3,)), ((3,), (7,)), ((6,), (4,)), ((4,), (6,)), ((5,), (5,)), ((8,), (1,)),
          ((4, 5), (2, 3)), ((2, 3), (4, 5)), ((3, 4), (3, 4)), ((5, 2), (2, 2)),
          ((3, 4, 5), (2, 2, 3)), ((2, 2, 3), (3, 4, 5))]
for fn in ("correlate", "convolve"):
    f = getattr(sig, fn)
    for i, (s1, s2) in enumerate(SHAPES):
        d1, d2 = DTYPES[i % len(DTYPES)]
        a, b = rand(s1, d1), rand(s2, d2)
        for mode in MODES:
            for method in ("direct", "fft"):
                name = f"{fn} {s1}x{s2} {d1}x{d2} {mode} {method}"
                add(name, fn, a, b, lambda x, y: f(x, y, mode=mode, method=method), mode=mode, method=method)

# correlate2d / convolve2d, every boundary; 'valid' in both orders.
for fn in ("correlate2d", "convolve2d"):
    f = getattr(sig, fn)
    for i, (s1, s2) in enumerate([((5, 6), (3, 2)), ((4, 4), (2, 3)), ((3, 3), (3, 4)), ((6, 7), (4, 4))]):
        d1, d2 = DTYPES[i % len(DTYPES)]
        a, b = rand(s1, d1), rand(s2, d2)
        for mode in ("full", "same"):
            for boundary in ("fill", "wrap", "symm"):
                fv = 0.5 if boundary == "fill" else 0
                name = f"{fn} {s1}x{s2} {d1}x{d2} {mode} {boundary}"
                add(name, fn, a, b, lambda x, y: f(x, y, mode=mode, boundary=boundary, fillvalue=fv),
                    mode=mode, boundary=boundary, fillvalue=fv)
    for i, (s1, s2) in enumerate([((5, 6), (3, 2)), ((2, 3), (4, 5)), ((3, 4), (3, 4))]):
        d1, d2 = DTYPES[(i + 1) % len(DTYPES)]
        a, b = rand(s1, d1), rand(s2, d2)
        name = f"{fn} {s1}x{s2} {d1}x{d2} valid"
        swapped = s2[0] > s1[0]
        if fn == "correlate2d" and swapped and (np.iscomplexobj(a) or np.iscomplexobj(b)):
            # scipy 1.10's quirk (see the top): convcorr gives correlate's result, the conjugate of scipy's.
            want = sig.correlate(a, b, mode="valid", method="direct")
            assert np.allclose(f(a, b, mode="valid"), np.conj(want), rtol=1e-5, atol=1e-5)
            add(name + " (correlate's conjugate rule, not scipy 1.10's correlate2d)", fn, a, b,
                lambda x, y: sig.correlate(x, y, mode="valid", method="direct"), mode="valid")
        else:
            add(name, fn, a, b, lambda x, y: f(x, y, mode="valid"), mode="valid")

# fftconvolve / oaconvolve: long 1-D (four-step transform lengths), N-D, axes.
FFT_SHAPES = [((800,), (300,), None), ((300,), (800,), None), ((33,), (8,), None), ((1200,), (1,), None),
              ((6, 7), (3, 4), None), ((3, 4), (6, 7), None), ((4, 6, 5), (2, 3, 3), None),
              ((3, 40), (3, 9), [1]), ((3, 40), (1, 9), [1]), ((5, 6), (5, 1), [0]), ((4, 10, 6), (4, 3, 6), [1])]
for fn in ("fftconvolve", "oaconvolve"):
    f = getattr(sig, fn)
    for i, (s1, s2, axes) in enumerate(FFT_SHAPES):
        if fn == "oaconvolve" and max(s1 + s2) > 100:
            continue  # the long 1-D cases once (fftconvolve): oaconvolve runs the same complex transform
        d1, d2 = DTYPES[i % len(DTYPES)]
        a, b = rand(s1, d1), rand(s2, d2)
        # The long 1-D cases (four-step transform lengths) in one mode each, to keep the file small.
        long_mode = {(800,): "full", (300,): "valid", (1200,): "same"}.get(s1) if max(s1 + s2) > 100 else None
        for mode in MODES:
            if mode == "valid" and not (all(x >= y for x, y in zip(s1, s2)) or all(y >= x for x, y in zip(s1, s2))):
                continue
            if long_mode and mode != long_mode:
                continue
            name = f"{fn} {s1}x{s2} {d1}x{d2} {mode} axes={axes}"
            opts = {"mode": mode} if axes is None else {"mode": mode, "axes": axes}
            add(name, fn, a, b, lambda x, y: f(x, y, **opts), **opts)

# numpy.correlate / numpy.convolve: numpy's swap when v is longer, its 'same' length.
for fn in ("correlate", "convolve"):
    f = getattr(np, fn)
    for i, (n1, n2) in enumerate([(7, 3), (3, 7), (6, 4), (4, 6), (5, 5), (1, 4), (9, 2)]):
        d1, d2 = DTYPES[i % len(DTYPES)]
        a, b = rand((n1,), d1), rand((n2,), d2)
        for mode in MODES:
            add(f"numpy.{fn} {n1}x{n2} {d1}x{d2} {mode}", f"numpy.{fn}", a, b, lambda x, y: f(x, y, mode=mode),
                mode=mode)


# NaN and +-Infinity in either part, on the direct path (both size orders; NumPy's overlap-only sums in 1-D,
# scipy's padded products in N-D and in correlate2d).
def c(re, im, dtype="complex128"):
    # Built part by part: re + 1j*im would turn an infinite im into a NaN re (1j*inf = nan+infj).
    out = np.empty(np.shape(re), dtype=dtype)
    out.real = re
    out.imag = im
    return out


NONFINITE = [
    ("inf in the shorter's re", c([1, 2, 3, 4, 5, 6], [0.5, -1, 2, 0, 1, -2]), c([1, INF, 2], [0.5, 1, -1])),
    ("nan in the shorter's im", c([1, 2, 3, 4, 5], [1, 0, -1, 2, 0]), c([2, -1], [NAN, 1])),
    ("-inf im in the longer", c([1, 2, 3, 4, 5, 6, 7], [0, 0, -INF, 1, 1, 0, 2]), c([1, -1, 2], [1, 0, 0.5])),
    ("inf in both", c([1, INF, 3, 4, 5], [0, 1, 0, 0, 1]), c([1, 2], [0, INF])),
]
for label, a, b in NONFINITE:
    for x, y, order in ((a, b, "longer first"), (b, a, "shorter first")):
        for mode in MODES:
            for fn in ("correlate", "convolve"):
                add(f"{fn} nonfinite {label}, {order}, {mode}", fn, x, y,
                    lambda p, q: getattr(sig, fn)(p, q, mode=mode, method="direct"), mode=mode, method="direct")
                add(f"numpy.{fn} nonfinite {label}, {order}, {mode}", f"numpy.{fn}", x, y,
                    lambda p, q: getattr(np, fn)(p, q, mode=mode), mode=mode)
# real x complex with a non-finite real sample (NumPy upcasts it: inf + 0j)
for mode in MODES:
    x = np.array([1.0, INF, 2.0, -1.0, 3.0])
    y = c([1, 2], [1, -1])
    add(f"correlate real inf x complex {mode}", "correlate", x, y,
        lambda p, q: sig.correlate(p, q, mode=mode, method="direct"), mode=mode, method="direct")
    add(f"numpy.correlate complex x real inf {mode}", "numpy.correlate", y, x,
        lambda p, q: np.correlate(p, q, mode=mode), mode=mode)
# N-D direct (scipy's padded products) and correlate2d with a boundary.
A2 = c([[1, 2, 3], [4, INF, 6], [7, 8, 9]], [[0, 1, 0], [1, 0, 1], [0, NAN, 0]])
B2 = c([[1, -1], [2, 0.5]], [[0.5, 0], [0, 1]])
for mode in MODES:
    for fn in ("correlate", "convolve"):
        add(f"{fn} 2-D nonfinite {mode}", fn, A2, B2, lambda p, q: getattr(sig, fn)(p, q, mode=mode, method="direct"),
            mode=mode, method="direct")
        add(f"{fn} 2-D nonfinite swapped {mode}", fn, B2, A2,
            lambda p, q: getattr(sig, fn)(p, q, mode=mode, method="direct"), mode=mode, method="direct")
for boundary in ("fill", "wrap", "symm"):
    for mode in ("full", "same"):
        add(f"correlate2d nonfinite {mode} {boundary}", "correlate2d", A2, B2,
            lambda p, q: sig.correlate2d(p, q, mode=mode, boundary=boundary), mode=mode, boundary=boundary)
        add(f"convolve2d nonfinite kernel {mode} {boundary}", "convolve2d", B2, A2,
            lambda p, q: sig.convolve2d(p, q, mode=mode, boundary=boundary), mode=mode, boundary=boundary)

with open(OUT, "w") as fh:
    json.dump({"meta": {"numpy": np.__version__, "scipy": scipy.__version__}, "cases": cases}, fh, separators=(",", ":"))
print(f"{len(cases)} cases -> {OUT}")
