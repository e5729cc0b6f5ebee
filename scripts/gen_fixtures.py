#!/usr/bin/env python3
"""Generate the golden test fixtures in test/fixtures/*.json.

Run from the repository root with the system interpreter (Debian packages
python3-numpy, python3-scipy, python3-torch):

    /usr/bin/python3 scripts/gen_fixtures.py

Everything is deterministic: each file uses its own fixed seed with
numpy.random.default_rng, inputs are small float64 numbers (standard normal
rounded to 3 decimals, or integers in [-4, 4]).

Every array is serialized as {"shape": [...], "data": [flat C-order numbers]}.
Each file is {"meta": {...}, "cases": [{"name", "fn", "args", "expected"}]}.
For ops with several outputs (gradients) "expected" is an object of named
arrays.

The script also re-checks the alignment/semantics facts documented in
test/fixtures/README.md and prints OK / MISMATCH for each of them.
"""

import json
import os
import platform
import sys
import warnings

import numpy as np
import scipy
import scipy.ndimage as ndi
import scipy.signal as sig
import torch
import torch.nn.functional as F

warnings.filterwarnings("ignore", category=UserWarning)
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "test", "fixtures")
MAX_BYTES = 1_500_000


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def meta(seed, description):
    return {
        "generator": "scripts/gen_fixtures.py",
        "description": description,
        "seed": seed,
        "dtype": "float64",
        "arrayFormat": "{shape: number[], data: number[] (flat, C order)}",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "torch": torch.__version__,
    }


def enc(a):
    """Encode an array (numpy or torch) as {shape, data}."""
    if isinstance(a, torch.Tensor):
        a = a.detach().cpu().numpy()
    a = np.asarray(a, dtype=np.float64)
    if not np.all(np.isfinite(a)):
        raise ValueError("non-finite value in fixture")
    return {"shape": [int(s) for s in a.shape], "data": [float(v) for v in a.ravel()]}


class Rand:
    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)

    def normal(self, shape):
        return np.round(self.rng.standard_normal(shape), 3)

    def ints(self, shape):
        return self.rng.integers(-4, 5, size=shape).astype(np.float64)

    def arr(self, shape, kind="normal"):
        shape = tuple(int(s) for s in shape)
        return self.ints(shape) if kind == "int" else self.normal(shape)


def shp(s):
    return "[" + ",".join(str(int(v)) for v in s) + "]"


def write(fname, seed, description, cases):
    obj_meta = meta(seed, description)
    obj_meta["caseCount"] = len(cases)
    names = {}
    for c in cases:
        base = c["name"]
        if base in names:
            names[base] += 1
            c["name"] = "%s #%d" % (base, names[base])
        else:
            names[base] = 1
    parts = ['{"meta":', json.dumps(obj_meta, indent=1, allow_nan=False), ',\n"cases":[\n']
    parts.append(",\n".join(json.dumps(c, separators=(",", ":"), allow_nan=False) for c in cases))
    parts.append("\n]}\n")
    text = "".join(parts)
    path = os.path.join(OUT_DIR, fname)
    with open(path, "w") as f:
        f.write(text)
    size = len(text.encode())
    print("wrote %-16s %4d cases %9d bytes" % (fname, len(cases), size))
    if size > MAX_BYTES:
        raise SystemExit("fixture %s too large (%d bytes)" % (fname, size))


def valid_allowed(s1, s2, axes=None):
    """scipy's 'valid' rule: one input at least as large as the other on every (transformed) axis."""
    ax = range(len(s1)) if axes is None else axes
    ge = all(s1[a] >= s2[a] for a in ax)
    le = all(s1[a] <= s2[a] for a in ax)
    return ge or le


# ---------------------------------------------------------------------------
# 1. signal.json: scipy.signal.correlate / convolve / correlation_lags
# ---------------------------------------------------------------------------

def gen_signal():
    seed = 1001
    r = Rand(seed)
    cases = []
    pairs = [
        # rank 1
        ((7,), (4,), "normal"),
        ((16,), (5,), "normal"),
        ((17,), (4,), "int"),
        ((16,), (16,), "normal"),
        ((4,), (7,), "normal"),      # kernel longer than input (odd)
        ((4,), (8,), "int"),         # kernel longer than input (even)
        ((3,), (17,), "normal"),
        ((1,), (1,), "normal"),
        ((1,), (3,), "normal"),
        ((5,), (1,), "normal"),
        # rank 2
        ((5, 8), (3, 3), "normal"),
        ((6, 4), (2, 4), "int"),
        ((3, 4), (5, 6), "normal"),  # in2 larger on every axis (valid swaps)
        ((6, 3), (3, 5), "normal"),  # mixed: valid not allowed
        ((1, 17), (1, 4), "normal"),
        # rank 3
        ((4, 5, 6), (2, 3, 3), "normal"),
        ((2, 3, 4), (3, 4, 5), "normal"),  # in2 larger everywhere
        ((3, 4, 8), (1, 2, 3), "int"),
    ]
    for s1, s2, kind in pairs:
        in1 = r.arr(s1, kind)
        in2 = r.arr(s2, kind)
        for mode in ("full", "same", "valid"):
            if mode == "valid" and not valid_allowed(s1, s2):
                continue
            for fn in ("correlate", "convolve"):
                for method in ("direct", "fft"):
                    out = getattr(sig, fn)(in1, in2, mode=mode, method=method)
                    cases.append({
                        "name": "%s %dd %s %s in1=%s in2=%s" % (fn, len(s1), mode, method, shp(s1), shp(s2)),
                        "fn": fn,
                        "args": {"in1": enc(in1), "in2": enc(in2), "mode": mode, "method": method},
                        "expected": enc(out),
                    })
    lag_pairs = [(5, 3), (5, 4), (4, 3), (4, 4), (8, 3), (3, 8), (1, 1), (1, 4),
                 (3, 6), (9, 2), (2, 9), (16, 5)]
    for n1, n2 in lag_pairs:
        for mode in ("full", "same", "valid"):
            lags = sig.correlation_lags(n1, n2, mode)
            case = {
                "name": "correlationLags %s in1Len=%d in2Len=%d" % (mode, n1, n2),
                "fn": "correlationLags",
                "args": {"in1Len": n1, "in2Len": n2, "mode": mode},
                "expected": enc(lags),
            }
            if mode == "same":
                # lag of element i of correlate(..., 'same') is i + (n2-1)//2 - (n2-1)
                actual = np.arange(n1) + (n2 - 1) // 2 - (n2 - 1)
                if not np.array_equal(actual, lags):
                    case["note"] = ("scipy %s correlation_lags(..., 'same') is off by %+d from the "
                                    "true lags of correlate(..., 'same') (which are %s)"
                                    % (scipy.__version__, int(lags[0] - actual[0]), actual.tolist()))
            cases.append(case)
    write("signal.json", seed,
          "scipy.signal.correlate/convolve (method direct and fft) and scipy.signal.correlation_lags",
          cases)


# ---------------------------------------------------------------------------
# 2. numpy.json: numpy.convolve / numpy.correlate
# ---------------------------------------------------------------------------

def gen_numpy():
    seed = 1002
    r = Rand(seed)
    cases = []
    pairs = [(5, 3, "normal"), (6, 3, "normal"), (6, 4, "int"), (5, 4, "normal"),
             (7, 1, "normal"), (1, 1, "normal"), (1, 5, "normal"), (3, 5, "normal"),
             (3, 6, "normal"), (4, 7, "int"), (2, 8, "normal"), (8, 8, "normal"),
             (9, 2, "normal"), (12, 5, "normal"), (4, 4, "int"), (16, 17, "normal")]
    for na, nv, kind in pairs:
        a = r.arr((na,), kind)
        v = r.arr((nv,), kind)
        for fn in ("convolve", "correlate"):
            for mode in ("full", "same", "valid"):
                out = getattr(np, fn)(a, v, mode)
                cases.append({
                    "name": "numpy.%s %s a=[%d] v=[%d]" % (fn, mode, na, nv),
                    "fn": "numpy." + fn,
                    "args": {"a": enc(a), "v": enc(v), "mode": mode},
                    "expected": enc(out),
                })
    write("numpy.json", seed, "numpy.convolve / numpy.correlate (1-D, modes full/same/valid)", cases)


# ---------------------------------------------------------------------------
# 3. signal2d.json: scipy.signal.convolve2d / correlate2d
# ---------------------------------------------------------------------------

def gen_signal2d():
    seed = 1003
    r = Rand(seed)
    cases = []
    pairs = [
        ((5, 6), (3, 3), "normal"),
        ((6, 5), (2, 4), "normal"),   # even kernel, non-square
        ((4, 7), (3, 2), "int"),
        ((3, 3), (5, 4), "normal"),   # kernel larger than image on every axis
        ((2, 5), (4, 3), "normal"),   # kernel larger on one axis only (valid not allowed)
        ((7, 8), (4, 4), "normal"),
        ((1, 6), (1, 3), "normal"),
        ((1, 1), (1, 1), "normal"),
    ]
    bconfs = [("fill", 0.0), ("fill", 1.5), ("wrap", 0.0), ("symm", 0.0)]
    for s1, s2, kind in pairs:
        in1 = r.arr(s1, kind)
        in2 = r.arr(s2, kind)
        for fn in ("correlate2d", "convolve2d"):
            for mode in ("full", "same", "valid"):
                if mode == "valid":
                    if not valid_allowed(s1, s2):
                        continue
                    confs = [("fill", 0.0), ("symm", 0.0)]  # boundary is irrelevant for valid
                else:
                    confs = bconfs
                for boundary, fillvalue in confs:
                    out = getattr(sig, fn)(in1, in2, mode=mode, boundary=boundary, fillvalue=fillvalue)
                    cases.append({
                        "name": "%s %s %s fillvalue=%g in1=%s in2=%s" % (fn, mode, boundary, fillvalue, shp(s1), shp(s2)),
                        "fn": fn,
                        "args": {"in1": enc(in1), "in2": enc(in2), "mode": mode,
                                 "boundary": boundary, "fillvalue": fillvalue},
                        "expected": enc(out),
                    })
    write("signal2d.json", seed, "scipy.signal.convolve2d / correlate2d, every mode x boundary", cases)


# ---------------------------------------------------------------------------
# 4. ndimage.json: scipy.ndimage.correlate / convolve
# ---------------------------------------------------------------------------

def origin_range(m):
    """Allowed ndimage origin range for a weights axis of length m."""
    return -(m // 2), (m - 1) // 2


def gen_ndimage():
    seed = 1004
    r = Rand(seed)
    cases = []
    modes = [("reflect", 0.0), ("constant", 0.0), ("constant", 1.5), ("nearest", 0.0),
             ("mirror", 0.0), ("wrap", 0.0)]

    def add(fn, x, w, mode, cval, origin):
        f = ndi.correlate if fn == "ndimage.correlate" else ndi.convolve
        out = f(x, w, mode=mode, cval=cval, origin=origin)
        on = origin if isinstance(origin, int) else shp(origin)
        cases.append({
            "name": "%s %dd %s cval=%g origin=%s input=%s weights=%s" % (
                fn, x.ndim, mode, cval, on, shp(x.shape), shp(w.shape)),
            "fn": fn,
            "args": {"input": enc(x), "weights": enc(w), "mode": mode, "cval": cval, "origin": origin},
            "expected": enc(out),
        })

    pairs = [
        ((10,), (3,), "normal"),
        ((9,), (4,), "normal"),
        ((5,), (8,), "normal"),      # weights larger than input
        ((3,), (7,), "int"),         # weights much larger than input
        ((1,), (3,), "normal"),
        ((6,), (1,), "normal"),
        ((6, 7), (3, 3), "normal"),
        ((5, 6), (2, 4), "int"),
        ((3, 4), (5, 6), "normal"),  # weights larger than input
        ((4, 5, 3), (3, 2, 2), "normal"),
        ((2, 3, 4), (3, 3, 5), "normal"),
    ]
    mode_cycle = ["constant", "reflect", "nearest", "mirror", "wrap"]
    k = 0
    for s1, s2, kind in pairs:
        x = r.arr(s1, kind)
        w = r.arr(s2, kind)
        for fn in ("ndimage.correlate", "ndimage.convolve"):
            for mode, cval in modes:
                add(fn, x, w, mode, cval, 0)
            # origin variants
            ranges = [origin_range(m) for m in s2]
            lo = max(a for a, _ in ranges)
            hi = min(b for _, b in ranges)
            scalar_origins = sorted({o for o in (lo, hi) if o != 0})
            for o in scalar_origins:
                mode = mode_cycle[k % len(mode_cycle)]
                k += 1
                add(fn, x, w, mode, 1.5 if mode == "constant" else 0.0, o)
            if len(s2) > 1:
                per_axis_a = [a if i % 2 == 0 else b for i, (a, b) in enumerate(ranges)]
                per_axis_b = [b if i % 2 == 0 else a for i, (a, b) in enumerate(ranges)]
                for o in (per_axis_a, per_axis_b):
                    if all(v == 0 for v in o):
                        continue
                    mode = mode_cycle[k % len(mode_cycle)]
                    k += 1
                    add(fn, x, w, mode, 1.5 if mode == "constant" else 0.0, [int(v) for v in o])
    write("ndimage.json", seed, "scipy.ndimage.correlate / convolve, every mode, cval, origin", cases)


# ---------------------------------------------------------------------------
# 5. fft.json: scipy.signal.fftconvolve / oaconvolve
# ---------------------------------------------------------------------------

def gen_fft():
    seed = 1005
    r = Rand(seed)
    cases = []

    def add(fn, in1, in2, mode, axes):
        f = getattr(sig, fn)
        out = f(in1, in2, mode=mode, axes=axes)
        args = {"in1": enc(in1), "in2": enc(in2), "mode": mode}
        name = "%s %dd %s in1=%s in2=%s" % (fn, in1.ndim, mode, shp(in1.shape), shp(in2.shape))
        if axes is not None:
            args["axes"] = axes
            name += " axes=%s" % shp(axes)
        cases.append({"name": name, "fn": fn, "args": args, "expected": enc(out)})

    small = [
        ((10,), (3,), None, "normal"),
        ((8,), (4,), None, "normal"),
        ((3,), (9,), None, "normal"),
        ((1,), (1,), None, "normal"),
        ((17,), (16,), None, "int"),
        ((6, 7), (3, 4), None, "normal"),
        ((3, 4), (5, 6), None, "normal"),
        ((4, 9), (1, 3), [1], "normal"),     # broadcast on axis 0
        ((6, 5), (3, 5), [0], "normal"),     # non-transformed axis matches
        ((3, 8), (3, 4), [-1], "int"),
        ((4, 5, 6), (2, 3, 2), None, "normal"),
        ((4, 3, 6), (2, 1, 3), [0, 2], "normal"),  # broadcast on axis 1
        ((1, 4, 7), (3, 4, 2), [2], "normal"),     # broadcast of in1 on axis 0
    ]
    for s1, s2, axes, kind in small:
        in1 = r.arr(s1, kind)
        in2 = r.arr(s2, kind)
        for fn in ("fftconvolve", "oaconvolve"):
            for mode in ("full", "same", "valid"):
                ax = None if axes is None else [a % len(s1) for a in axes]
                if mode == "valid" and not valid_allowed(s1, s2, ax):
                    continue
                add(fn, in1, in2, mode, axes)
    large = [
        ("oaconvolve", (2000,), (300,), ("full", "same", "valid")),
        ("oaconvolve", (1200,), (64,), ("same",)),
        ("oaconvolve", (250,), (600,), ("valid",)),
        ("fftconvolve", (500,), (200,), ("full",)),
    ]
    for fn, s1, s2, modes in large:
        in1 = r.arr(s1)
        in2 = r.arr(s2)
        for mode in modes:
            add(fn, in1, in2, mode, None)
    write("fft.json", seed, "scipy.signal.fftconvolve / oaconvolve incl. axes and larger 1-D inputs", cases)


# ---------------------------------------------------------------------------
# torch helpers (nn.json, nn_grad.json)
# ---------------------------------------------------------------------------

CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONVT = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def tup(v, nd):
    return (v,) * nd if isinstance(v, int) else tuple(v)


def conv_forward(nd, x, w, b, stride, padding, dilation, groups, padding_mode):
    """Forward conv exactly like nn.ConvNd(padding_mode=...)."""
    if padding_mode == "zeros":
        return CONV[nd](x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups)
    ks = w.shape[2:]
    dil = tup(dilation, nd)
    if padding == "valid":
        pads = [0] * (2 * nd)
    elif padding == "same":
        pads = [0] * (2 * nd)
        for d, k, i in zip(dil, ks, range(nd - 1, -1, -1)):
            total = d * (k - 1)
            pads[2 * i] = total // 2
            pads[2 * i + 1] = total - total // 2
    else:
        p = tup(padding, nd)
        pads = [q for q in reversed(p) for _ in range(2)]
    xp = F.pad(x, pads, mode=padding_mode)
    return CONV[nd](xp, w, b, stride=stride, padding=0, dilation=dilation, groups=groups)


def conv_module_check(nd, x, w, b, stride, padding, dilation, groups, padding_mode, out):
    """Cross-check against the actual nn.ConvNd module."""
    cls = {1: torch.nn.Conv1d, 2: torch.nn.Conv2d, 3: torch.nn.Conv3d}[nd]
    m = cls(w.shape[1] * groups, w.shape[0], tuple(w.shape[2:]), stride=stride, padding=padding,
            dilation=dilation, groups=groups, bias=b is not None, padding_mode=padding_mode)
    with torch.no_grad():
        m.weight.copy_(w)
        if b is not None:
            m.bias.copy_(b)
        ref = m(x)
    if ref.shape != out.shape or not torch.allclose(ref, out, rtol=1e-12, atol=1e-12):
        raise AssertionError("nn.Conv%dd module mismatch" % nd)


def conv_configs():
    """List of (nd, config dict) for forward/backward conv cases."""
    C = []

    def c(nd, n, cin, cout, size, k, stride=1, padding=0, dilation=1, groups=1, bias=False,
          mode="zeros", kind="normal"):
        C.append(dict(nd=nd, n=n, cin=cin, cout=cout, size=tup(size, nd), k=tup(k, nd), stride=stride,
                      padding=padding, dilation=dilation, groups=groups, bias=bias, mode=mode, kind=kind))

    # ---- conv1d
    c(1, 1, 1, 1, 8, 3)
    c(1, 1, 1, 1, 1, 1)
    c(1, 2, 3, 4, 10, 3, bias=True)
    c(1, 1, 3, 5, 9, 4, padding=1)
    c(1, 2, 4, 8, 16, 5, stride=2, padding=2, bias=True)
    c(1, 1, 3, 3, 17, 3, stride=3)
    c(1, 1, 5, 4, 12, 3, dilation=2, padding=2)
    c(1, 1, 4, 4, 11, 4, dilation=3)
    c(1, 2, 4, 8, 10, 3, groups=2, bias=True)
    c(1, 1, 8, 8, 9, 3, groups=8, padding=1)            # depthwise
    c(1, 1, 3, 9, 7, 3, groups=3, bias=True)            # depthwise multiplier 3
    c(1, 1, 3, 4, 10, 3, padding="valid")
    c(1, 1, 3, 4, 10, 3, padding="same", bias=True)
    c(1, 1, 3, 4, 10, 4, padding="same")                # even kernel 'same'
    c(1, 2, 3, 4, 9, 4, padding="same", dilation=2)
    c(1, 1, 3, 4, 10, 3, padding=2, mode="reflect")
    c(1, 1, 3, 4, 10, 3, padding=2, mode="replicate", bias=True)
    c(1, 1, 3, 4, 10, 3, padding=2, mode="circular")
    c(1, 2, 4, 4, 8, 4, padding="same", mode="reflect")
    c(1, 1, 4, 4, 8, 4, padding="same", mode="circular", dilation=2)
    c(1, 1, 4, 8, 12, 3, stride=2, padding=1, mode="replicate", groups=4)
    c(1, 3, 1, 3, 6, 2, kind="int")
    c(1, 1, 9, 3, 5, 5, padding=4, stride=2, dilation=1, groups=3, bias=True, mode="circular")
    # ---- conv2d
    c(2, 1, 1, 1, 5, 3)
    c(2, 1, 1, 1, 1, 1)
    c(2, 2, 3, 4, (6, 7), 3, bias=True)
    c(2, 1, 3, 5, (8, 8), (2, 3), padding=(1, 0))
    c(2, 2, 4, 8, 9, 3, stride=2, padding=1, bias=True)
    c(2, 1, 3, 4, (9, 8), (3, 2), stride=(2, 3))
    c(2, 1, 3, 3, 9, 3, dilation=2, padding=2)
    c(2, 1, 3, 4, (10, 9), (3, 2), dilation=(1, 3), padding=(1, 2))
    c(2, 1, 4, 8, 6, 3, groups=2, padding=1, bias=True)
    c(2, 1, 4, 4, 6, 3, groups=4, padding=1)              # depthwise
    c(2, 2, 3, 9, (5, 6), (3, 3), groups=3, bias=True)    # depthwise multiplier 3
    c(2, 1, 5, 5, 7, 3, groups=5, stride=2)
    c(2, 1, 3, 4, 6, 3, padding="valid")
    c(2, 1, 3, 4, 6, 3, padding="same", bias=True)
    c(2, 1, 3, 4, (6, 7), (2, 4), padding="same")
    c(2, 1, 3, 2, 8, (3, 4), padding="same", dilation=(2, 1))
    c(2, 1, 3, 4, 6, 3, padding=1, mode="reflect", bias=True)
    c(2, 1, 3, 4, (6, 7), 3, padding=(2, 1), mode="replicate")
    c(2, 1, 3, 4, 6, 3, padding=(1, 2), mode="circular")
    c(2, 2, 3, 4, 7, (2, 3), padding="same", mode="reflect")
    c(2, 1, 4, 4, 7, 3, padding=2, stride=2, mode="replicate", groups=2, bias=True)
    c(2, 1, 4, 4, 6, 3, padding=2, dilation=2, mode="circular", groups=4)
    c(2, 2, 1, 3, (4, 5), (2, 2), kind="int")
    c(2, 1, 8, 8, 5, 1, bias=True)                        # 1x1 conv
    c(2, 1, 9, 3, 6, 3, groups=3, padding=1)
    # ---- conv3d
    c(3, 1, 1, 1, 4, 2)
    c(3, 1, 2, 3, (4, 5, 3), 3, padding=1, bias=True)
    c(3, 2, 3, 4, 5, (2, 3, 2), stride=(1, 2, 2))
    c(3, 1, 3, 3, 5, 2, dilation=(2, 1, 2), padding=(1, 0, 1))
    c(3, 1, 4, 4, 4, 3, groups=4, padding="same", bias=True)
    c(3, 1, 4, 8, (3, 4, 5), 2, groups=2, padding="valid")
    c(3, 1, 3, 4, 4, 3, padding="same")
    c(3, 1, 3, 4, 4, (2, 3, 2), padding="same")
    c(3, 1, 2, 3, 4, 3, padding=1, mode="reflect")
    c(3, 1, 2, 3, (4, 3, 5), 3, padding=(1, 2, 1), mode="replicate", bias=True)
    c(3, 1, 2, 3, 4, 3, padding=1, mode="circular", stride=2)
    return C


def conv_grid_configs():
    """Systematic extra forward configs: channel/group combos x option sets."""
    C = []
    chans = [(1, 1, 1), (3, 4, 1), (4, 8, 2), (5, 5, 5), (9, 3, 3), (8, 4, 4)]
    opts = [
        dict(stride=1, padding=0, dilation=1, bias=False, mode="zeros"),
        dict(stride=2, padding=1, dilation=1, bias=True, mode="zeros"),
        dict(stride=1, padding="same", dilation=2, bias=False, mode="zeros"),
        dict(stride=3, padding="valid", dilation=1, bias=True, mode="zeros"),
        dict(stride=2, padding=2, dilation=1, bias=False, mode="reflect"),
    ]
    for nd, size, k, n in ((1, 11, 3, 2), (2, 7, 3, 1), (3, 5, 2, 1)):
        for ci, (cin, cout, groups) in enumerate(chans):
            for oi, o in enumerate(opts):
                if nd == 3 and (ci + oi) % 3 != 0:
                    continue
                kk = k + (1 if (ci + oi) % 2 else 0)  # alternate odd/even kernels
                C.append(dict(nd=nd, n=n, cin=cin, cout=cout, size=tup(size, nd), k=tup(kk, nd),
                              groups=groups, kind="normal", **o))
    return C


def make_conv_inputs(r, cfg):
    nd = cfg["nd"]
    x = r.arr((cfg["n"], cfg["cin"]) + cfg["size"], cfg["kind"])
    w = r.arr((cfg["cout"], cfg["cin"] // cfg["groups"]) + cfg["k"], cfg["kind"])
    b = r.arr((cfg["cout"],), cfg["kind"]) if cfg["bias"] else None
    return x, w, b


def jsonable(v):
    if isinstance(v, tuple):
        return [int(q) for q in v]
    return v


def conv_name(prefix, cfg, x, w):
    parts = [prefix, "input=%s" % shp(x.shape), "weight=%s" % shp(w.shape)]
    for key in ("stride", "padding", "dilation", "groups"):
        v = cfg[key]
        default = 0 if key == "padding" else 1
        if v != default:
            parts.append("%s=%s" % (key, shp(v) if isinstance(v, tuple) else v))
    if cfg["bias"]:
        parts.append("bias")
    if cfg.get("mode", "zeros") != "zeros":
        parts.append("paddingMode=%s" % cfg["mode"])
    return " ".join(parts)


def conv_args(cfg, x, w, b):
    args = {"input": enc(x), "weight": enc(w)}
    if b is not None:
        args["bias"] = enc(b)
    args.update({"stride": jsonable(cfg["stride"]), "padding": jsonable(cfg["padding"]),
                 "dilation": jsonable(cfg["dilation"]), "groups": cfg["groups"],
                 "paddingMode": cfg["mode"]})
    return args


def convt_configs():
    C = []

    def c(nd, n, cin, cout, size, k, stride=1, padding=0, output_padding=0, dilation=1, groups=1,
          bias=False, kind="normal"):
        C.append(dict(nd=nd, n=n, cin=cin, cout=cout, size=tup(size, nd), k=tup(k, nd), stride=stride,
                      padding=padding, output_padding=output_padding, dilation=dilation, groups=groups,
                      bias=bias, kind=kind))

    c(1, 1, 1, 1, 5, 3)
    c(1, 2, 3, 4, 6, 3, bias=True)
    c(1, 1, 3, 4, 6, 4, stride=2)
    c(1, 1, 3, 4, 6, 3, stride=2, padding=1, output_padding=1, bias=True)
    c(1, 1, 4, 4, 5, 3, stride=3, padding=2, output_padding=2)
    c(1, 1, 3, 3, 5, 3, dilation=2, padding=1)
    c(1, 1, 4, 8, 5, 3, groups=2, stride=2, bias=True)
    c(1, 1, 4, 4, 7, 3, groups=4, padding=1)
    c(1, 1, 2, 3, 4, 2, dilation=3, output_padding=1, kind="int")
    c(1, 1, 1, 1, 1, 1)
    c(2, 1, 1, 1, 3, 3)
    c(2, 2, 3, 4, (4, 5), 3, bias=True)
    c(2, 1, 3, 4, 4, (3, 2), stride=2)
    c(2, 1, 3, 4, (4, 3), 3, stride=(2, 3), padding=(1, 0), output_padding=(1, 2), bias=True)
    c(2, 1, 4, 4, 4, 3, dilation=(2, 1), padding=1)
    c(2, 1, 4, 8, 4, 2, groups=2, stride=2)
    c(2, 1, 3, 3, 5, 3, groups=3, padding=1, bias=True)
    c(2, 1, 3, 5, 3, 4, stride=2, padding=2, dilation=2, output_padding=1)
    c(2, 2, 1, 3, (3, 2), 2, kind="int")
    c(3, 1, 2, 3, 3, 2, bias=True)
    c(3, 1, 2, 2, (3, 2, 3), (2, 3, 2), stride=(2, 1, 2), padding=(0, 1, 1), output_padding=(1, 0, 0))
    c(3, 1, 4, 4, 3, 3, groups=2, dilation=2, padding=1, bias=True)
    c(3, 2, 3, 2, 2, (1, 2, 3), stride=2, output_padding=(0, 1, 1))
    c(3, 1, 1, 1, 1, 1)
    # extra 1-D / 2-D coverage: channel counts, stride/dilation/outputPadding combos
    c(1, 2, 5, 5, 6, 2, stride=2, groups=5, bias=True)
    c(1, 1, 9, 3, 4, 4, stride=2, padding=1, groups=3)
    c(1, 1, 8, 4, 5, 5, stride=4, padding=2, output_padding=3, groups=4)
    c(1, 1, 3, 5, 5, 3, dilation=3, stride=2, output_padding=2, bias=True)
    c(1, 2, 1, 8, 3, 4, padding=2)
    c(2, 1, 5, 5, 3, 3, stride=2, groups=5, output_padding=1)
    c(2, 1, 9, 3, (3, 4), (2, 3), stride=(1, 2), padding=(1, 1), groups=3, bias=True)
    c(2, 1, 8, 8, 2, 4, stride=3, padding=1, output_padding=2, groups=8)
    c(2, 2, 4, 3, 3, 3, dilation=2, stride=2, padding=2, output_padding=(1, 0), bias=True)
    c(2, 1, 3, 4, (2, 5), (1, 3), stride=(3, 1), padding=(0, 2))
    return C


# ---------------------------------------------------------------------------
# 6. nn.json: conv1d/2d/3d + conv_transpose1d/2d/3d forward
# ---------------------------------------------------------------------------

def gen_nn():
    seed = 1006
    r = Rand(seed)
    cases = []
    for cfg in conv_configs() + conv_grid_configs():
        nd = cfg["nd"]
        x, w, b = make_conv_inputs(r, cfg)
        tx, tw = torch.from_numpy(x), torch.from_numpy(w)
        tb = None if b is None else torch.from_numpy(b)
        out = conv_forward(nd, tx, tw, tb, cfg["stride"], cfg["padding"], cfg["dilation"], cfg["groups"],
                           cfg["mode"])
        conv_module_check(nd, tx, tw, tb, cfg["stride"], cfg["padding"], cfg["dilation"], cfg["groups"],
                          cfg["mode"], out)
        fn = "conv%dd" % nd
        cases.append({"name": conv_name(fn, cfg, x, w), "fn": fn, "args": conv_args(cfg, x, w, b),
                      "expected": enc(out)})
    for cfg in convt_configs():
        nd = cfg["nd"]
        x = r.arr((cfg["n"], cfg["cin"]) + cfg["size"], cfg["kind"])
        w = r.arr((cfg["cin"], cfg["cout"] // cfg["groups"]) + cfg["k"], cfg["kind"])
        b = r.arr((cfg["cout"],), cfg["kind"]) if cfg["bias"] else None
        out = CONVT[nd](torch.from_numpy(x), torch.from_numpy(w), None if b is None else torch.from_numpy(b),
                        stride=cfg["stride"], padding=cfg["padding"], output_padding=cfg["output_padding"],
                        groups=cfg["groups"], dilation=cfg["dilation"])
        fn = "convTranspose%dd" % nd
        name = conv_name(fn, dict(cfg, mode="zeros"), x, w)
        if cfg["output_padding"] != 0:
            op = cfg["output_padding"]
            name += " outputPadding=%s" % (shp(op) if isinstance(op, tuple) else op)
        args = {"input": enc(x), "weight": enc(w)}
        if b is not None:
            args["bias"] = enc(b)
        args.update({"stride": jsonable(cfg["stride"]), "padding": jsonable(cfg["padding"]),
                     "outputPadding": jsonable(cfg["output_padding"]),
                     "dilation": jsonable(cfg["dilation"]), "groups": cfg["groups"]})
        cases.append({"name": name, "fn": fn, "args": args, "expected": enc(out)})
    write("nn.json", seed,
          "torch.nn.functional conv1d/2d/3d (paddingMode as nn.ConvNd) and conv_transpose1d/2d/3d, "
          "float64, channels-first", cases)


# ---------------------------------------------------------------------------
# 7. nn_grad.json: autograd gradients of conv1d/2d/3d
# ---------------------------------------------------------------------------

def gen_nn_grad():
    seed = 1007
    r = Rand(seed)
    cases = []
    cfgs = conv_configs()
    # a few extra small ones so the gradient file also has ~80 cases
    extra = []

    def c(nd, n, cin, cout, size, k, stride=1, padding=0, dilation=1, groups=1, bias=False, mode="zeros",
          kind="normal"):
        extra.append(dict(nd=nd, n=n, cin=cin, cout=cout, size=tup(size, nd), k=tup(k, nd), stride=stride,
                          padding=padding, dilation=dilation, groups=groups, bias=bias, mode=mode, kind=kind))

    c(1, 2, 3, 4, 9, 3, stride=2, bias=True)                   # stride leaves trailing input unused
    c(1, 1, 3, 3, 10, 4, stride=3, padding=1)
    c(1, 1, 4, 4, 8, 3, dilation=2, stride=2, groups=2, bias=True)
    c(1, 1, 3, 4, 6, 3, padding=2, mode="reflect", stride=2)
    c(1, 1, 3, 4, 6, 5, padding=3, mode="circular")
    c(1, 1, 3, 4, 6, 2, padding=(3,), mode="replicate", bias=True)
    c(2, 1, 3, 4, (7, 6), 3, stride=(3, 2), padding=(1, 2), bias=True)
    c(2, 2, 4, 4, 6, (2, 3), groups=4, stride=2, dilation=(1, 2))
    c(2, 1, 3, 4, 5, 3, padding=(2, 1), mode="reflect")
    c(2, 1, 3, 4, 5, 4, padding="same", mode="replicate", bias=True)
    c(2, 1, 3, 4, 5, 3, padding=3, mode="circular", stride=2)
    c(3, 1, 2, 4, 4, 2, stride=2, bias=True)
    c(3, 1, 4, 4, (4, 4, 5), 3, groups=4, padding=(1, 2, 0), dilation=(1, 1, 2))
    c(3, 1, 2, 3, 4, 2, padding="same", mode="reflect")
    c(3, 2, 2, 2, 3, 3, padding=1, mode="replicate", bias=True)
    c(1, 2, 5, 5, 7, 3, groups=5, padding="same", bias=True)
    c(1, 1, 9, 3, 8, 2, groups=3, stride=2, dilation=2)
    c(1, 1, 8, 8, 6, 3, groups=2, padding=1, mode="circular")
    c(2, 1, 5, 5, 5, 2, groups=5, padding="same", dilation=2)
    c(2, 2, 9, 3, (4, 5), 3, groups=3, padding=1, mode="reflect", bias=True)
    c(2, 1, 8, 4, 6, 3, groups=4, stride=(2, 1), padding=(1, 0), bias=True)
    c(2, 1, 1, 3, (5, 6), (4, 1), stride=(1, 2), padding=(2, 0), mode="replicate")
    c(3, 1, 3, 3, 4, (1, 2, 3), groups=3, padding="same", mode="circular", bias=True)
    for cfg in cfgs + extra:
        nd = cfg["nd"]
        x, w, b = make_conv_inputs(r, cfg)
        tx = torch.from_numpy(x).clone().requires_grad_(True)
        tw = torch.from_numpy(w).clone().requires_grad_(True)
        tb = None if b is None else torch.from_numpy(b).clone().requires_grad_(True)
        out = conv_forward(nd, tx, tw, tb, cfg["stride"], cfg["padding"], cfg["dilation"], cfg["groups"],
                           cfg["mode"])
        go = r.arr(tuple(out.shape))
        out.backward(torch.from_numpy(go))
        expected = {"gradInput": enc(tx.grad), "gradWeight": enc(tw.grad)}
        if tb is not None:
            expected["gradBias"] = enc(tb.grad)
        args = conv_args(cfg, x, w, b)
        args["gradOutput"] = enc(go)
        fn = "conv%ddBackward" % nd
        cases.append({"name": conv_name(fn, cfg, x, w), "fn": fn, "args": args, "expected": expected})
    write("nn_grad.json", seed,
          "torch autograd gradients of conv1d/2d/3d (paddingMode as nn.ConvNd) w.r.t. input, weight, bias",
          cases)


# ---------------------------------------------------------------------------
# semantics checks backing the notes in test/fixtures/README.md
# ---------------------------------------------------------------------------

def _start(full, sub):
    n = len(sub)
    hits = [s for s in range(len(full) - n + 1) if np.allclose(full[s:s + n], sub)]
    return hits[0] if len(hits) == 1 else None


def check_semantics():
    rng = np.random.default_rng(99)
    res = {}

    def rec(key, ok):
        res[key] = res.get(key, True) and bool(ok)

    for N in range(1, 10):
        for M in range(1, 10):
            a = rng.standard_normal(N)
            b = rng.standard_normal(M)
            mn = min(N, M)
            for fn in ("correlate", "convolve"):
                full = getattr(sig, fn)(a, b, "full")
                for method in ("direct", "fft"):
                    s = getattr(sig, fn)(a, b, "same", method=method)
                    rec("signal.%s same start (M-1)//2" % fn, len(s) == N and _start(full, s) == (M - 1) // 2)
                    v = getattr(sig, fn)(a, b, "valid", method=method)
                    rec("signal.%s valid = full[min-1 : max]" % fn,
                        len(v) == abs(N - M) + 1 and _start(full, v) == mn - 1)
                s2 = getattr(sig, fn + "2d")(a[None], b[None], "same")[0]
                exp = M // 2 if fn == "correlate" else (M - 1) // 2
                rec("signal.%s2d same start %s" % (fn, "M//2" if fn == "correlate" else "(M-1)//2"),
                    _start(full, s2) == exp)
                v2 = getattr(sig, fn + "2d")(a[None], b[None], "valid")[0]
                rec("signal.%s2d valid = full[min-1 : max]" % fn, _start(full, v2) == mn - 1)
                nf = getattr(np, fn)
                rec("numpy.%s full == scipy full" % fn, np.allclose(nf(a, b, "full"), full))
                sn = nf(a, b, "same")
                exp = (mn - 1) // 2 if (fn == "convolve" or M <= N) else N // 2
                rec("numpy.%s same len max(N,M), start documented" % fn,
                    len(sn) == max(N, M) and _start(full, sn) == exp)
                vn = nf(a, b, "valid")
                rec("numpy.%s valid = full[min-1 : max]" % fn, _start(full, vn) == mn - 1)
            ls = sig.correlation_lags(N, M, "same")
            true_same = np.arange(N) + (M - 1) // 2 - (M - 1)
            rec("correlation_lags same == lags of correlate same (expected to FAIL for odd N, even M "
                "in scipy<=1.10)", np.array_equal(ls, true_same))
            rec("correlation_lags same start = (N+M-1)//2 - N//2 - (M-1)",
                ls[0] == (N + M - 1) // 2 - N // 2 - (M - 1))
            for o in range(-(M // 2), (M - 1) // 2 + 1):
                c = ndi.correlate(a, b, mode="constant", origin=o)
                v = ndi.convolve(a, b, mode="constant", origin=o)
                fc = sig.correlate(a, b, "full")
                fv = sig.convolve(a, b, "full")
                rec("ndimage.correlate(origin=o) == signal.correlate full[(M-1)//2 - o :][:N]",
                    _start(fc, c) == (M - 1) // 2 - o)
                rec("ndimage.convolve(origin=o) == signal.convolve full[M//2 + o :][:N]",
                    _start(fv, v) == M // 2 + o)
                rec("ndimage.convolve(w, o) == ndimage.correlate(w[::-1], -o - (M even))",
                    np.allclose(v, ndi.correlate(a, b[::-1], mode="constant",
                                                 origin=-o - (1 - M % 2))))
            for o in (-(M // 2) - 1, (M - 1) // 2 + 1):
                try:
                    ndi.correlate(a, b, origin=o)
                    rec("ndimage origin outside [-(M//2), (M-1)//2] raises", False)
                except ValueError:
                    rec("ndimage origin outside [-(M//2), (M-1)//2] raises", True)
    # genuine 2-D / 3-D alignment, per-axis
    for s1, s2 in (((5, 6), (3, 4)), ((6, 5), (4, 2)), ((4, 4), (5, 2)), ((3, 7), (2, 6))):
        a = rng.standard_normal(s1)
        b = rng.standard_normal(s2)
        fc = sig.correlate(a, b, "full")
        fv = sig.convolve(a, b, "full")

        def at(full, st):
            return full[st[0]:st[0] + s1[0], st[1]:st[1] + s1[1]]
        rec("signal.correlate nd same start (M-1)//2 per axis",
            np.allclose(sig.correlate(a, b, "same"), at(fc, [(m - 1) // 2 for m in s2])))
        rec("signal.correlate2d same start M//2 per axis",
            np.allclose(sig.correlate2d(a, b, "same"), at(fc, [m // 2 for m in s2])))
        rec("signal.convolve2d same start (M-1)//2 per axis",
            np.allclose(sig.convolve2d(a, b, "same"), at(fv, [(m - 1) // 2 for m in s2])))
        for o in ([-(s2[0] // 2), (s2[1] - 1) // 2], [(s2[0] - 1) // 2, -(s2[1] // 2)]):
            rec("ndimage.correlate per-axis origin: start (M_d-1)//2 - o_d",
                np.allclose(ndi.correlate(a, b, mode="constant", origin=o),
                            at(fc, [(m - 1) // 2 - q for m, q in zip(s2, o)])))
            rec("ndimage.convolve per-axis origin: start M_d//2 + o_d",
                np.allclose(ndi.convolve(a, b, mode="constant", origin=o),
                            at(fv, [m // 2 + q for m, q in zip(s2, o)])))
    # torch padding='same': left = d*(k-1)//2, right = rest
    x = torch.from_numpy(rng.standard_normal((1, 2, 9)))
    for k in (2, 3, 4, 5):
        for d in (1, 2, 3):
            w = torch.from_numpy(rng.standard_normal((3, 2, k)))
            tot = d * (k - 1)
            rec("torch padding='same' pads left d*(k-1)//2, right the rest",
                torch.allclose(F.conv1d(x, w, padding="same", dilation=d),
                               F.conv1d(F.pad(x, (tot // 2, tot - tot // 2)), w, dilation=d)))
    for k, ok in res.items():
        print("  %-8s %s" % ("OK" if ok else "MISMATCH", k))


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    print("numpy %s scipy %s torch %s" % (np.__version__, scipy.__version__, torch.__version__))
    gen_signal()
    gen_numpy()
    gen_signal2d()
    gen_ndimage()
    gen_fft()
    gen_nn()
    gen_nn_grad()
    print("semantics checks:")
    check_semantics()


if __name__ == "__main__":
    sys.exit(main())
