#!/usr/bin/env python3
"""Differential fuzzer, part 1: random cases with reference outputs.

    python3 scripts/fuzz_refs.py [N=400] [OUT=fuzz_cases.json] [SEED=12345] [BIG=0.15] [NONFINITE=0.05]

BIG is the probability of a larger case (FFT / 'auto' / overlap-add, Winograd,
depthwise, pointwise and GEMM paths).  NONFINITE is the probability that an
input of a direct-method op (signal direct/auto, convolve2d, numpy, ndimage) or
of a conv layer / gradient gets a NaN or an infinity; NaN must then appear
exactly where the reference has it.

Every op of the public API (except chooseConvMethod, which is engine-dependent)
is drawn at random, run through its reference (scipy.signal / numpy /
scipy.ndimage 1.10, torch.nn.functional and autograd) in float64 on the exact
input values (float32 inputs are float32-representable), and written as JSON.
scripts/fuzz_refs.mjs replays them through convcorr.

Arrays are {"shape": [...], "data": [flat C-order numbers]} as in
scripts/gen_fixtures.py.  An argument is {"arr": {shape, data}, "dt": "f32"|"f64",
"kind": "nd"|"typed"|"list"} (NDArray, plain typed array, number[]) or
{"val": <json value>}.  Option values that are such {"arr": ...} objects
(bias) are decoded the same way.
"""

import json
import math
import sys
import warnings

import numpy as np
import scipy.ndimage as ndi
import scipy.signal as sig
import torch
import torch.nn.functional as F

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)

N_CASES = int(sys.argv[1]) if len(sys.argv) > 1 else 400
OUT = sys.argv[2] if len(sys.argv) > 2 else "fuzz_cases.json"
SEED = int(sys.argv[3]) if len(sys.argv) > 3 else 12345
rng = np.random.default_rng(SEED)


def ri(lo, hi):
    """random int in [lo, hi]"""
    return int(rng.integers(lo, hi + 1))


def pick(seq):
    return seq[int(rng.integers(0, len(seq)))]


def coin(p=0.5):
    return bool(rng.random() < p)


def enc(a):
    if isinstance(a, torch.Tensor):
        a = a.detach().cpu().numpy()
    a = np.asarray(a, dtype=np.float64)
    # non-finite values are written as the strings "NaN", "Infinity", "-Infinity" (JSON has none)
    return {"shape": [int(s) for s in a.shape],
            "data": [float(v) if math.isfinite(v) else str(float(v)).replace("nan", "NaN").replace("inf", "Infinity")
                     for v in a.ravel().tolist()]}


def inject_nonfinite(a):
    """With probability NONFINITE, put NaN / +-Infinity at one or two random places (a copy)."""
    if a.size == 0 or not coin(NONFINITE):
        return a
    a = a.copy()
    flat = a.reshape(-1)
    for _ in range(ri(1, 2)):
        flat[ri(0, a.size - 1)] = pick([np.nan, np.inf, -np.inf])
    return a


def rand_arr(shape, dt):
    a = np.round(rng.standard_normal(tuple(int(s) for s in shape)), 3)
    if dt == "f32":
        a = a.astype(np.float32).astype(np.float64)
    return a


def arg(a, dt, kind="nd"):
    return {"arr": enc(a), "dt": dt, "kind": kind}


def val(v):
    return {"val": v}


def out_dtype(args_dts, opts):
    """API rule: float32 iff every array input is a Float32Array; dtype overrides."""
    if opts.get("dtype"):
        return opts["dtype"]
    out = opts.get("output")
    if out and (isinstance(out, str) or out["alloc"] != "auto"):
        return out if isinstance(out, str) else {"f32": "float32", "f64": "float64"}[out["alloc"]]
    return "float32" if all(d == "f32" for d in args_dts) else "float64"


def input_kind(rank):
    """How the arrays are passed: NDArrays, or for rank 1 half the time plain typed arrays or number lists."""
    return pick(["typed", "list"]) if rank == 1 and coin(0.5) else "nd"


def mixed_kinds(kind):
    """Plain 1-D inputs: sometimes one typed array and one number[] (still plain output)."""
    if kind != "nd" and coin(0.3):
        return pick([("typed", "list"), ("list", "typed")])
    return kind, kind


def pick_dt():
    return "f32" if coin(0.4) else "f64"


def given(**kw):
    """The options drawn for a case: those not None (one left out takes the op's default)."""
    return {k: v for k, v in kw.items() if v is not None}


def maybe_dtype(opts):
    if "output" not in opts and coin(0.1):   # ndimage's output sets the dtype itself
        opts["dtype"] = pick(["float32", "float64"])


# ---------------------------------------------------------------------------
# scipy.signal convolve / correlate
# ---------------------------------------------------------------------------

def valid_allowed(s1, s2, axes=None):
    ax = range(len(s1)) if axes is None else axes
    return all(s1[a] >= s2[a] for a in ax) or all(s1[a] <= s2[a] for a in ax)


def rand_shape(rank, lo, hi):
    return tuple(ri(lo, hi) if not coin(0.12) else 1 for _ in range(rank))


def two_input_case(op, a, dt1, b, dt2, opts, kind, ref):
    """A case of a two-array op: an optional dtype option, the input kinds (maybe mixed), the expected output."""
    maybe_dtype(opts)
    k1, k2 = mixed_kinds(kind)
    dts = [dt1 if k1 != "list" else "list", dt2 if k2 != "list" else "list"]
    return dict(op=op, args=[arg(a, dt1, k1), arg(b, dt2, k2)], opts=opts, plain=kind != "nd",
                expected=enc(ref), dtype=out_dtype(dts, opts))


def gen_signal(op):
    rank = pick([1, 1, 2, 2, 3, 4])
    hi = {1: 20, 2: 8, 3: 5, 4: 4}[rank]
    s1 = rand_shape(rank, 1, hi)
    s2 = rand_shape(rank, 1, max(2, hi - 2 if not coin(0.25) else hi + 3))
    if coin(BIG):   # large enough for 'auto' to consider the FFT and for overlap-add blocks
        s1, s2 = pick([((ri(500, 4000),), (ri(20, 400),)), ((ri(20, 400),), (ri(500, 3000),)),
                       ((ri(30, 70), ri(30, 70)), (ri(5, 17), ri(5, 17))),
                       ((ri(8, 20),) * 3, (ri(3, 7),) * 3)])
        rank = len(s1)
    mode = pick(["full", "same", "valid", None])
    method = pick(["direct", "fft", "auto", None])
    m = mode or "full"
    if m == "valid" and not valid_allowed(s1, s2):
        return None
    dt1, dt2 = pick_dt(), pick_dt()
    a, b = rand_arr(s1, dt1), rand_arr(s2, dt2)
    if method != "fft":   # the FFT spreads NaN over everything (as SciPy's); direct and 'auto' keep it local
        a, b = inject_nonfinite(a), inject_nonfinite(b)
    ref = getattr(sig, op)(a, b, mode=m, method="direct")
    kind = input_kind(rank)
    opts = given(mode=mode, method=method)
    if coin(0.12):   # convcorr's output= (SciPy has none): an array of the result's dtype that the result must be
        opts["output"] = {"alloc": "auto", "n": int(np.prod(ref.shape))}
    return two_input_case(op, a, dt1, b, dt2, opts, kind, ref)


def gen_signal2d(op):
    s1 = (ri(1, 8), ri(1, 8))
    big = coin(0.25)
    s2 = (ri(1, 9 if big else 4), ri(1, 9 if big else 4))
    if coin(BIG):
        s1, s2 = (ri(20, 60), ri(20, 60)), (ri(2, 9), ri(2, 9))
    mode = pick(["full", "same", "valid", None])
    boundary = pick(["fill", "wrap", "symm", None])
    m, bd = mode or "full", boundary or "fill"
    fv = pick([0, 0, 1.5, -2.25]) if coin(0.5) else None
    dt1, dt2 = pick_dt(), pick_dt()
    a, b = inject_nonfinite(rand_arr(s1, dt1)), inject_nonfinite(rand_arr(s2, dt2))
    try:
        ref = getattr(sig, op)(a, b, mode=m, boundary=bd, fillvalue=fv if fv is not None else 0)
    except ValueError:
        return None
    opts = given(mode=mode, boundary=boundary, fillvalue=fv)
    maybe_dtype(opts)
    return dict(op=op, args=[arg(a, dt1), arg(b, dt2)], opts=opts, plain=False,
                expected=enc(ref), dtype=out_dtype([dt1, dt2], opts))


def gen_fftconv(op):
    rank = pick([1, 2, 2, 3, 4])
    hi = {1: 24, 2: 9, 3: 5, 4: 4}[rank]
    s1 = list(rand_shape(rank, 1, hi))
    s2 = list(rand_shape(rank, 1, hi if coin(0.3) else max(2, hi // 2)))
    if coin(BIG):
        rank = pick([1, 2, 2])
        if rank == 1:
            s1, s2 = [ri(300, 5000)], [ri(10, 300)]
        else:
            s1, s2 = [ri(3, 70), ri(30, 90)], [ri(1, 3), ri(2, 40)]
        if coin(0.3):
            s1, s2 = s2, s1
    axes = None
    if coin(0.6) and rank > 1:
        k = ri(1, rank)
        ax = sorted(rng.choice(rank, size=k, replace=False).tolist())
        # non-transformed axes: equal or size 1 in one input
        for i in range(rank):
            if i not in ax:
                r = rng.random()
                if r < 0.4:
                    s2[i] = s1[i]
                elif r < 0.7:
                    s2[i] = 1
                else:
                    s1[i] = 1
        axes = [a - rank if coin(0.3) else a for a in ax]
        if len(axes) == 1 and coin(0.3):
            axes = axes[0]
    elif rank > 1 and coin(0.3):
        # broadcasting size-1 axes without axes option
        i = ri(0, rank - 1)
        if coin(0.5):
            s1[i] = 1
        else:
            s2[i] = 1
    mode = pick(["full", "same", "valid", None])
    dt1, dt2 = pick_dt(), pick_dt()
    a, b = rand_arr(s1, dt1), rand_arr(s2, dt2)
    try:
        ref = getattr(sig, op)(a, b, mode=mode or "full", axes=axes)
    except ValueError:
        return None
    kind = input_kind(rank)
    opts = given(mode=mode, axes=axes)
    return two_input_case(op, a, dt1, b, dt2, opts, kind, ref)


def gen_lags(op):
    n1, n2 = ri(1, 20), ri(1, 20)
    mode = pick(["full", "same", "valid", None])
    ref = sig.correlation_lags(n1, n2, mode or "full")
    args = [val(n1), val(n2)] + ([val(mode)] if mode else [])
    return dict(op=op, args=args, opts=None, plain=True, expected=enc(ref), dtype="int32")


def gen_numpy(op):
    la, lv = ri(1, 14), ri(1, 14)
    mode = pick(["full", "same", "valid", None])
    dt1, dt2 = pick_dt(), pick_dt()
    a, v = inject_nonfinite(rand_arr((la,), dt1)), inject_nonfinite(rand_arr((lv,), dt2))
    fn = getattr(np, op.split(".")[1])
    ref = fn(a, v, mode) if mode else fn(a, v)
    kind = pick(["typed", "list", "nd"])
    opts = {"mode": mode} if mode else {}
    return two_input_case(op, a, dt1, v, dt2, opts, kind, ref)


def gen_ndimage(op):
    rank = pick([1, 1, 2, 2, 3, 4])
    hi = {1: 16, 2: 8, 3: 5, 4: 4}[rank]
    s1 = rand_shape(rank, 1, hi)
    wk = 6 if coin(0.3) else 4
    s2 = tuple(ri(1, wk) for _ in range(rank))
    if coin(BIG):
        s1 = {1: (ri(100, 2000),), 2: (ri(20, 60), ri(20, 60)), 3: (ri(8, 16),) * 3, 4: (ri(3, 7),) * 4}[rank]
        s2 = tuple(ri(1, 9) for _ in range(rank))
    mode = pick(["reflect", "constant", "nearest", "mirror", "wrap", None])
    if coin(0.08):
        mode = pick(["grid-mirror", "grid-constant", "grid-wrap"])
    cval = pick([0.0, 1.25, -3.5]) if coin(0.5) else None
    origin = None
    r = rng.random()
    if r < 0.35:
        lo = max(-(m // 2) for m in s2)
        hi_ = min((m - 1) // 2 for m in s2)
        origin = pick([lo, hi_, ri(lo, hi_)])
    elif r < 0.75:
        origin = [pick([-(m // 2), (m - 1) // 2, ri(-(m // 2), (m - 1) // 2)]) for m in s2]
    # scipy's output=: a dtype name, or an array to fill (sums in float64, stored in the output's type)
    output = pick(["float32", "float64", "array32", "array64"]) if coin(0.15) else None
    dt1, dt2 = pick_dt(), pick_dt()
    a, w = inject_nonfinite(rand_arr(s1, dt1)), inject_nonfinite(rand_arr(s2, dt2))
    fn = getattr(ndi, op.split(".")[1])
    kw = {"output": np.float32 if output.endswith("32") else np.float64} if output else {}
    try:
        ref = fn(a, w, mode=mode or "reflect", cval=cval if cval is not None else 0.0,
                 origin=origin if origin is not None else 0, **kw)
    except (ValueError, RuntimeError):
        return None
    kind = input_kind(rank)
    opts = given(mode=mode, cval=cval, origin=origin)
    if output in ("float32", "float64"):
        opts["output"] = output
    elif output:
        opts["output"] = {"alloc": "f32" if output.endswith("32") else "f64", "n": int(np.prod(s1))}
    return two_input_case(op, a, dt1, w, dt2, opts, kind, ref)


# ---------------------------------------------------------------------------
# torch
# ---------------------------------------------------------------------------

CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONVT = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def per_axis(nd, lo, hi):
    if coin(0.6):
        return ri(lo, hi)
    return [ri(lo, hi) for _ in range(nd)]


def tup(v, nd):
    return (v,) * nd if isinstance(v, int) else tuple(v)


def perm_in(nd):   # [N, C, ...S] -> [N, ...S, C]
    return (0,) + tuple(range(2, nd + 2)) + (1,)


def perm_w(nd):    # [A, B, ...k] -> [...k, B, A]
    return tuple(range(2, nd + 2)) + (1, 0)


def cl(t, perm):
    return t.permute(*perm).contiguous()


def conv_geometry(nd):
    n = ri(1, 2)
    r = rng.random()
    if r < 0.2:     # depthwise, channel multiplier
        g = ri(1, 4)
        cin, cout = g, g * ri(1, 2)
    elif r < 0.45:
        g = ri(2, 3)
        cin, cout = g * ri(1, 2), g * ri(1, 2)
    else:
        g = 1
        cin, cout = ri(1, 4), ri(1, 4)
    shi = {1: 12, 2: 7, 3: 5}[nd]
    khi = {1: 5, 2: 4, 3: 3}[nd]
    size = tuple(ri(1, shi) for _ in range(nd))
    k = tuple(ri(1, khi) for _ in range(nd))
    stride = per_axis(nd, 1, 3) if coin(0.5) else 1
    dilation = per_axis(nd, 1, 3) if coin(0.35) else 1
    if coin(BIG):   # the fast paths: winograd, depthwise, pointwise, 3-channel direct, GEMM tiles
        path = pick(["winograd", "depthwise", "pointwise", "first", "gemm"])
        size = tuple(ri(6, {1: 40, 2: 14, 3: 7}[nd]) for _ in range(nd))
        if path == "winograd":
            g, cin, cout = 1, ri(8, 12), ri(8, 12)
            k = (9,) if nd == 1 else (3,) * nd
            stride, dilation = 1, 1
        elif path == "depthwise":
            g = ri(4, 12)
            cin, cout = g, g * pick([1, 1, 2])
            k = tuple(ri(1, 5) for _ in range(nd))
        elif path == "pointwise":
            g, cin, cout = 1, ri(4, 16), ri(4, 16)
            k, stride = (1,) * nd, 1
        elif path == "first":
            g, cin, cout = 1, 3, ri(8, 17)
            k = (3,) * nd if nd < 3 else (1, 3, 3)
            dilation = 1
        else:
            g = pick([1, 2])
            cin, cout = g * ri(2, 8), g * ri(4, 9)
    pr = rng.random()
    if pr < 0.2:
        padding = "same"
    elif pr < 0.3:
        padding = "valid"
    elif pr < 0.45:
        padding = None
    else:
        padding = per_axis(nd, 0, 3)
    pmode = pick(["zeros", "zeros", "reflect", "replicate", "circular", None])
    if pmode in ("reflect", "circular") and coin(0.3):
        # the largest legal padding: reflect < size, circular <= size
        padding = [max(0, n - 1) if pmode == "reflect" else n for n in size]
    return dict(nd=nd, n=n, g=g, cin=cin, cout=cout, size=size, k=k, stride=stride, dilation=dilation,
                padding=padding, pmode=pmode)


def pads_for(c):
    """[(left, right)] per spatial axis, following API.md (TF SAME at stride > 1)."""
    nd = c["nd"]
    st, dl = tup(c["stride"], nd), tup(c["dilation"], nd)
    p = c["padding"]
    out = []
    for i in range(nd):
        k, d, s, n = c["k"][i], dl[i], st[i], c["size"][i]
        if p == "valid":
            out.append((0, 0))
        elif p == "same":
            if s == 1:
                tot = d * (k - 1)
            else:
                tot = max((math.ceil(n / s) - 1) * s + (k - 1) * d + 1 - n, 0)
            out.append((tot // 2, tot - tot // 2))
        elif p is None:
            out.append((0, 0))
        else:
            q = tup(p, nd)[i]
            out.append((q, q))
    return out


def conv_ref_forward(c, x, w, b, flip):
    nd = c["nd"]
    pads = pads_for(c)
    flat = [v for lr in reversed(pads) for v in lr]
    mode = c["pmode"] or "zeros"
    if mode == "zeros":
        xp = F.pad(x, flat, mode="constant", value=0.0)
    else:
        xp = F.pad(x, flat, mode=mode)
    if flip:
        w = w.flip(dims=tuple(range(2, nd + 2)))
    return CONV[nd](xp, w, b, stride=c["stride"], padding=0, dilation=c["dilation"], groups=c["g"])


def conv_opts(c):
    o = {}
    if c["stride"] != 1 or coin(0.2):
        o["stride"] = c["stride"]
    if c["dilation"] != 1 or coin(0.2):
        o["dilation"] = c["dilation"]
    if c["padding"] is not None:
        o["padding"] = c["padding"]
    if c["g"] != 1 or coin(0.2):
        o["groups"] = c["g"]
    if c["pmode"]:
        o["paddingMode"] = c["pmode"]
    return o


def bias_arg(cout, dt):
    kind = pick(["typed", "typed", "list"])
    b = rand_arr((cout,), dt)
    return b, {"arr": enc(b), "dt": dt, "kind": kind}, (dt if kind != "list" else "list")


def layer_case(op, nd, x, dt, w, dtw, ref, layout, opts, dts):
    """A conv-layer case (None when the output is empty); channels-last permutes input, weight and output."""
    if ref.numel() == 0:
        return None
    xa, wa = torch.from_numpy(x), torch.from_numpy(w)
    if layout:
        xa, wa, ref = cl(xa, perm_in(nd)), cl(wa, perm_w(nd)), cl(ref, perm_in(nd))
    return dict(op=op, args=[arg(xa, dt), arg(wa, dtw)], opts=opts, plain=False,
                expected=enc(ref), dtype=out_dtype(dts, opts))


def gen_conv(op):
    nd = int(op[4])
    c = conv_geometry(nd)
    flip = coin(0.25)
    layout = "channels-last" if coin(0.3) else None
    dt = pick_dt()
    dtw = dt if coin(0.85) else pick_dt()
    x = inject_nonfinite(rand_arr((c["n"], c["cin"]) + c["size"], dt))
    w = inject_nonfinite(rand_arr((c["cout"], c["cin"] // c["g"]) + c["k"], dtw))
    opts = conv_opts(c)
    dts = [dt, dtw]
    tb = None
    if coin(0.4):
        bnp, benc, bdt = bias_arg(c["cout"], pick([dt, dt, pick_dt()]))
        opts["bias"] = benc
        dts.append(bdt)
        tb = torch.from_numpy(bnp)
    if flip or coin(0.1):
        opts["flip"] = flip
    if layout or coin(0.1):
        opts["layout"] = layout or "channels-first"
    maybe_dtype(opts)
    try:
        ref = conv_ref_forward(c, torch.from_numpy(x), torch.from_numpy(w), tb, flip)
    except (RuntimeError, ValueError):
        return None
    return layer_case(op, nd, x, dt, w, dtw, ref, layout, opts, dts)


def gen_convT(op):
    nd = int(op[-2])
    n = ri(1, 2)
    g = pick([1, 1, 2, 3])
    cin, coutg = g * ri(1, 2), ri(1, 3)
    shi = {1: 8, 2: 5, 3: 4}[nd]
    khi = {1: 4, 2: 3, 3: 3}[nd]
    size = tuple(ri(1, shi) for _ in range(nd))
    k = tuple(ri(1, khi) for _ in range(nd))
    stride = per_axis(nd, 1, 3) if coin(0.6) else 1
    dilation = per_axis(nd, 1, 2) if coin(0.35) else 1
    padding = per_axis(nd, 0, 2) if coin(0.6) else 0
    st, dl = tup(stride, nd), tup(dilation, nd)
    outpad = 0
    if coin(0.5):
        outpad = [ri(0, max(st[i], dl[i]) - 1) for i in range(nd)]
        if coin(0.4) and len(set(outpad)) == 1:
            outpad = outpad[0]
    layout = "channels-last" if coin(0.25) else None
    dt = pick_dt()
    dtw = dt if coin(0.85) else pick_dt()
    x = inject_nonfinite(rand_arr((n, cin) + size, dt))
    w = inject_nonfinite(rand_arr((cin, coutg) + k, dtw))
    opts = {}
    if stride != 1 or coin(0.2):
        opts["stride"] = stride
    if padding != 0 or coin(0.2):
        opts["padding"] = padding
    if outpad != 0 or coin(0.2):
        opts["outputPadding"] = outpad
    if dilation != 1 or coin(0.2):
        opts["dilation"] = dilation
    if g != 1 or coin(0.2):
        opts["groups"] = g
    dts = [dt, dtw]
    tb = None
    if coin(0.4):
        bnp, benc, bdt = bias_arg(g * coutg, pick([dt, dt, pick_dt()]))
        opts["bias"] = benc
        dts.append(bdt)
        tb = torch.from_numpy(bnp)
    if layout:
        opts["layout"] = layout
    maybe_dtype(opts)
    try:
        ref = CONVT[nd](torch.from_numpy(x), torch.from_numpy(w), tb, stride=stride, padding=padding,
                        output_padding=outpad, groups=g, dilation=dilation)
    except (RuntimeError, ValueError):
        return None
    return layer_case(op, nd, x, dt, w, dtw, ref, layout, opts, dts)


def gen_grad(op):
    nd = int(op[4])
    kind = op[6:]          # GradInput | GradWeight | Backward
    c = conv_geometry(nd)
    flip = coin(0.25)
    layout = "channels-last" if coin(0.3) else None
    dt = pick_dt()
    x = inject_nonfinite(rand_arr((c["n"], c["cin"]) + c["size"], dt))
    w = inject_nonfinite(rand_arr((c["cout"], c["cin"] // c["g"]) + c["k"], dt))
    opts = conv_opts(c)
    tb = None
    dts = [dt, dt]
    if kind == "Backward" and coin(0.5):
        bnp, benc, bdt = bias_arg(c["cout"], dt)
        opts["bias"] = benc
        dts.append(bdt)
        tb = torch.from_numpy(bnp).clone().requires_grad_(True)
    if flip or coin(0.1):
        opts["flip"] = flip
    if layout:
        opts["layout"] = layout
    maybe_dtype(opts)
    tx = torch.from_numpy(x).clone().requires_grad_(True)
    tw = torch.from_numpy(w).clone().requires_grad_(True)
    try:
        out = conv_ref_forward(c, tx, tw, tb, flip)
    except (RuntimeError, ValueError):
        return None
    if out.numel() == 0:
        return None
    go = torch.from_numpy(rand_arr(tuple(out.shape), dt))
    out.backward(go)
    gi, gw = tx.grad, tw.grad
    xa, wa, goa = torch.from_numpy(x), torch.from_numpy(w), go
    if layout:
        xa, wa, goa = cl(xa, perm_in(nd)), cl(wa, perm_w(nd)), cl(goa, perm_in(nd))
        gi, gw = cl(gi, perm_in(nd)), cl(gw, perm_w(nd))
    if kind == "GradInput":
        args = [val(list(xa.shape)), arg(wa, dt), arg(goa, dt)]
        exp = enc(gi)
    elif kind == "GradWeight":
        args = [arg(xa, dt), val(list(wa.shape)), arg(goa, dt)]
        exp = enc(gw)
    else:
        args = [arg(xa, dt), arg(wa, dt), arg(goa, dt)]
        exp = {"gradInput": enc(gi), "gradWeight": enc(gw)}
        if tb is not None:
            exp["gradBias"] = enc(tb.grad)
    return dict(op=op, args=args, opts=opts, plain=False, expected=exp, dtype=out_dtype(dts, opts))


BIG = float(sys.argv[4]) if len(sys.argv) > 4 else 0.15
NONFINITE = float(sys.argv[5]) if len(sys.argv) > 5 else 0.05
GENS = []
for o in ("convolve", "correlate"):
    GENS.append((o, gen_signal, 3))
for o in ("convolve2d", "correlate2d"):
    GENS.append((o, gen_signal2d, 2))
for o in ("fftconvolve", "oaconvolve"):
    GENS.append((o, gen_fftconv, 2))
GENS.append(("correlationLags", gen_lags, 1))
for o in ("numpy.convolve", "numpy.correlate"):
    GENS.append((o, gen_numpy, 1))
for o in ("ndimage.correlate", "ndimage.convolve"):
    GENS.append((o, gen_ndimage, 2))
for d in (1, 2, 3):
    GENS.append(("conv%dd" % d, gen_conv, 3))
    GENS.append(("convTranspose%dd" % d, gen_convT, 2))
    for k in ("GradInput", "GradWeight", "Backward"):
        GENS.append(("conv%dd%s" % (d, k), gen_grad, 1))


def main():
    weights = np.array([w for _, _, w in GENS], dtype=np.float64)
    weights /= weights.sum()
    cases = []
    rejected = 0
    while len(cases) < N_CASES:
        i = int(rng.choice(len(GENS), p=weights))
        op, gen, _ = GENS[i]
        c = gen(op)
        if c is None:
            rejected += 1
            continue
        c["id"] = len(cases)
        c["nonfinite"] = any(isinstance(v, str) for a in c["args"] if "arr" in a for v in a["arr"]["data"])
        cases.append(c)
    with open(OUT, "w") as f:
        json.dump({"seed": SEED, "count": len(cases), "cases": cases}, f, separators=(",", ":"))
    print("wrote %d cases (%d draws rejected by the references) to %s" % (len(cases), rejected, OUT))


if __name__ == "__main__":
    main()
