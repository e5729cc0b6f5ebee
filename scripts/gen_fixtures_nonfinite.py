#!/usr/bin/env python3
"""Generate test/fixtures/nonfinite.json: where NaN and ±Infinity go in the references.

Run from the repository root with the system interpreter (Debian's python3-numpy, python3-scipy, python3-torch):

    /usr/bin/python3 scripts/gen_fixtures_nonfinite.py

The references do not all sum the same products, which only shows when a sample is NaN or infinite:
  - numpy.convolve / numpy.correlate (and scipy.signal's 1-D direct method, which calls them) slide the shorter
    array and multiply overlapping samples only;
  - scipy.signal's N-D direct method swaps the inputs in 'valid' (and in 'full' when in2 has more elements) and
    multiplies the sliding array by the zeros around the other, so a NaN in the sliding array reaches every output;
  - scipy.ndimage drops weights with |w| <= DBL_EPSILON (zeros and NaN) before summing;
  - torch.nn.functional.conv1d/conv2d sum each output's window (padding zeros included), so a NaN reaches only the
    outputs whose windows hold it (convcorr's Winograd tiles would mix neighbours: such inputs take im2col);
  - conv_transpose and the input gradient scatter W^T * dY by col2im and never multiply padding.
Arrays are {"shape", "data"} with the non-finite values as the strings "NaN", "Infinity", "-Infinity".
"""

import json
import os

import numpy as np
import scipy
import scipy.ndimage as ndi
import scipy.signal as sig
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "nonfinite.json")
INF = np.inf
NAN = np.nan


def enc(a):
    a = np.asarray(a, dtype=np.float64)

    def v(x):
        if np.isnan(x):
            return "NaN"
        if np.isinf(x):
            return "Infinity" if x > 0 else "-Infinity"
        return float(x)

    return {"shape": list(a.shape), "data": [v(x) for x in a.ravel()]}


cases = []


def add(name, fn, ref, a, b, **opts):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    cases.append({"name": name, "fn": fn, "args": {"a": enc(a), "b": enc(b), "opts": opts}, "expected": enc(ref(a, b))})


def signal(fn, a, b, mode, name):
    f = getattr(sig, fn)
    add(name, fn, lambda x, y: f(x, y, mode=mode, method="direct"), a, b, mode=mode, method="direct")


rng = np.random.default_rng(7)
r = lambda *s: np.round(rng.standard_normal(s), 3)

# scipy.signal 1-D (NumPy's sums), 'valid' with in2 the longer, full with NaN in the shorter.
for fn in ("correlate", "convolve"):
    signal(fn, [1, 2, 3], [1, 1, 1, 1, 1, INF], "valid", f"{fn} 1-D valid, in2 longer with +inf: only windows over the inf")
    signal(fn, [1, 2, 3, 4], [1, INF], "full", f"{fn} 1-D full, inf in the shorter in2: edge outputs stay finite")
    signal(fn, [1, 2, NAN, 4, 5, 6, 7], [0.5, -1, 2], "same", f"{fn} 1-D same, NaN in in1")
    x = r(40)
    x[[3, 17]] = [INF, NAN]
    y = r(7)
    y[2] = -INF
    signal(fn, x, y, "full", f"{fn} 1-D full, inf and NaN in both inputs")
    signal(fn, y, x, "valid", f"{fn} 1-D valid, in2 longer, non-finite in both")
    signal(fn, [-INF], r(9), "valid", f"{fn} 1-D valid, one-sample in1 of -inf")
    # N-D: SciPy's zero-padded direct method (the sliding array meets the zeros).
    signal(fn, [[1, 2, 3, 4]], [[1, INF]], "full", f"{fn} 2-D full, inf in the smaller in2 reaches every output")
    signal(fn, [[1, 2, 3]], [[1, 1, 1, 1, 1, INF]], "valid", f"{fn} 2-D valid, in2 larger: swapped, no padding read")
    signal(fn, [[1, NAN], [2, 1]], np.arange(1.0, 7.0).reshape(2, 3), "full", f"{fn} 2-D full, NaN in the smaller in1 after the swap")
    signal(fn, [[1, 2, 3], [4, NAN, 6], [7, 8, 9]], [[1, 0], [0, 1]], "same", f"{fn} 2-D same, NaN in in1")

for fn in ("convolve2d", "correlate2d"):
    f = getattr(sig, fn)
    add(f"{fn} valid, in2 larger with inf: swapped", fn, lambda x, y, f=f: f(x, y, mode="valid"),
        [[1, 2, 3]], [[1, 1, 1, 1, 1, INF]], mode="valid")

# numpy: partial overlaps only, the shorter array slides.
for fn in ("convolve", "correlate"):
    f = getattr(np, fn)
    for mode in ("full", "same", "valid"):
        add(f"numpy.{fn} {mode}, NaN in the shorter v", f"numpy.{fn}", lambda x, y, f=f, m=mode: f(x, y, mode=m),
            [1, 2, 3, 4], [NAN, 1], mode=mode)
        add(f"numpy.{fn} {mode}, v longer, inf in both", f"numpy.{fn}", lambda x, y, f=f, m=mode: f(x, y, mode=m),
            [1, -INF, 2], [1, 2, INF, 4, 5, 6], mode=mode)

# ndimage: weights with |w| <= DBL_EPSILON (zero, NaN, 1e-17) are dropped.
lap = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=np.float64)
img = r(6, 7)
img[2, 3] = INF
img[4, 1] = NAN
for fn in ("correlate", "convolve"):
    f = getattr(ndi, fn)
    for mode in ("reflect", "constant", "nearest", "mirror", "wrap"):
        add(f"ndimage.{fn} Laplacian ({mode}): zero weights never meet the inf and NaN", f"ndimage.{fn}",
            lambda x, y, f=f, m=mode: f(x, y, mode=m, cval=0.5), img, lap, mode=mode, cval=0.5)
    add(f"ndimage.{fn} 1-D [1, 0, 1] over a NaN", f"ndimage.{fn}", lambda x, y, f=f: f(x, y), [1, 2, NAN, 4, 5], [1, 0, 1])
    add(f"ndimage.{fn} 1-D NaN weight is dropped", f"ndimage.{fn}", lambda x, y, f=f: f(x, y), [1, 2, 3, 4, 5], [1, NAN, 1])
    add(f"ndimage.{fn} 1-D weight 1e-17 is dropped", f"ndimage.{fn}", lambda x, y, f=f: f(x, y), [1, INF, 3, 4], [1e-17, 1, 1])
    add(f"ndimage.{fn} constant border NaN with a zero weight", f"ndimage.{fn}",
        lambda x, y, f=f: f(x, y, mode="constant", cval=NAN), [1, 2, 3, 4], [1, 0, 1], mode="constant", cval="NaN")
    x3 = r(3, 4, 5)
    x3[1, 2, 2] = -INF
    w3 = r(2, 3, 3)
    w3[0, 1, :] = 0
    add(f"ndimage.{fn} 3-D with zero weights over -inf", f"ndimage.{fn}", lambda x, y, f=f: f(x, y, mode="mirror"), x3, w3, mode="mirror")

# torch conv layers on the Winograd path's shapes (>= 8 channels, 3x3 or 1-D k = 9, stride 1).
torch.set_default_dtype(torch.float64)
xc = r(1, 8, 6, 7)
xc[0, 2, 3, 3] = NAN
xc[0, 5, 0, 6] = INF
wc = r(8, 8, 3, 3)
add("conv2d 3x3 pad 1, NaN and inf in the input", "conv2d", lambda x, y: F.conv2d(torch.tensor(x), torch.tensor(y), padding=1).numpy(), xc, wc, padding=1)
xf = r(1, 8, 6, 7)
wf = r(8, 8, 3, 3)
wf[3, 1, 2, 0] = -INF
add("conv2d 3x3 pad 1, -inf in a weight", "conv2d", lambda x, y: F.conv2d(torch.tensor(x), torch.tensor(y), padding=1).numpy(), xf, wf, padding=1)
x1 = r(1, 8, 40)
x1[0, 4, 17] = NAN
w1 = r(8, 8, 9)
add("conv1d k = 9, NaN in the input", "conv1d", lambda x, y: F.conv1d(torch.tensor(x), torch.tensor(y)).numpy(), x1, w1)

# conv2d weight gradient (torch autograd) on the Winograd shapes, with +inf and NaN in x.
xg = r(1, 8, 6, 6)
xg[0, 1, 2, 2] = INF
xg[0, 6, 4, 1] = NAN
dyg = r(1, 8, 6, 6)


def grad_weight(x, dy):
    xt = torch.tensor(x)
    w = torch.zeros(8, 8, 3, 3, requires_grad=True)
    F.conv2d(xt, w, padding=1).backward(torch.tensor(dy))
    return w.grad.numpy()


add("conv2dGradWeight 3x3 pad 1, +inf and NaN in x", "conv2dGradWeight", grad_weight, xg, dyg, padding=1)

# Transposed convolution and the input gradient: PyTorch scatters W^T * dY by col2im, never meeting padding.
xt1 = r(1, 2, 5)
wt1 = r(2, 1, 2)
wt1[1, 0, 1] = NAN
add("convTranspose1d groups 2 dilation 2, NaN in a weight", "convTranspose1d",
    lambda x, y: F.conv_transpose1d(torch.tensor(x), torch.tensor(y), groups=2, dilation=2).numpy(), xt1, wt1, groups=2, dilation=2)
wgi = r(8, 8, 3, 3)
dyi = r(1, 8, 6, 7)
dyi[0, 3, 0, 0] = INF
wgi[2, 5, 0, 2] = NAN


def grad_input(w, dy):
    xt = torch.zeros(1, 8, 6, 7, requires_grad=True)
    F.conv2d(xt, torch.tensor(w), padding=1).backward(torch.tensor(dy))
    return xt.grad.numpy()


add("conv2dGradInput 3x3 pad 1, +inf in dy and NaN in a weight", "conv2dGradInput", grad_input, wgi, dyi, padding=1)

# FFT methods (scipy.signal.fftconvolve, oaconvolve, convolve/correlate with method='fft'): a transform spreads a NaN
# (and, through inf - inf, an infinity) over everything it computes, so SciPy's outputs are NaN over the whole output
# of fftconvolve and over each overlap-add block of oaconvolve that read one. Blocks are _calc_oa_lens's, whose
# next_fast_len has factors 7 and 11 (k = 4 gives blocks of 14, k = 9 blocks of 44). Transforms are longer than 8
# points here: on shorter ones pocketfft's own arithmetic leaves some +-inf instead of NaN.
rf = np.random.default_rng(11)
q = lambda *s: np.round(rf.standard_normal(s), 3)


def fft_case(name, fn, a, b, **opts):
    f = {"fftconvolve": sig.fftconvolve, "oaconvolve": sig.oaconvolve}[fn]
    kw = dict(opts)
    add(name, fn, lambda x, y: f(x, y, **kw), a, b, **opts)


for mode in ("full", "same", "valid"):
    x = q(60)
    x[20] = NAN
    fft_case(f"fftconvolve 1-D {mode}, one NaN: the whole output", "fftconvolve", x, q(7), mode=mode)
    x = q(60)
    x[5] = INF
    fft_case(f"fftconvolve 1-D {mode}, +inf: the whole output is NaN", "fftconvolve", x, q(7), mode=mode)
    fft_case(f"fftconvolve 1-D {mode}, -inf in in2", "fftconvolve", q(40), np.array([1.0, 2, -INF, 0.5, 1]), mode=mode)
    for fn in ("correlate", "convolve"):
        x = q(50)
        x[31] = NAN
        sf = getattr(sig, fn)
        add(f"{fn} method fft 1-D {mode}, NaN: the whole output", fn, lambda a, b, sf=sf, m=mode: sf(a, b, mode=m, method="fft"),
            x, q(9), mode=mode, method="fft")
    x = q(500)
    x[[40, 333]] = [NAN, INF]
    fft_case(f"oaconvolve 1-D {mode}, k = 4 (blocks of 14 = 2*7): NaN only in the blocks that read it", "oaconvolve", x, q(4), mode=mode)
    x = q(900)
    x[[0, 450, 899]] = [NAN, -INF, NAN]
    fft_case(f"oaconvolve 1-D {mode}, k = 9 (blocks of 44 = 4*11)", "oaconvolve", x, q(9), mode=mode)
    x = q(300)
    x[123] = NAN
    fft_case(f"oaconvolve 1-D {mode}, k = 20, NaN in the larger in2 (swapped roles)", "oaconvolve", q(20), x, mode=mode)
    fft_case(f"oaconvolve 1-D {mode}, NaN in the kernel: every block", "oaconvolve", q(200), np.array([1.0, NAN, 2, 3, 1]), mode=mode)
    x2 = q(40, 50)
    x2[[3, 30], [47, 12]] = [NAN, INF]
    fft_case(f"oaconvolve 2-D {mode}, 40x50 with 5x3: NaN in 2-D blocks", "oaconvolve", x2, q(5, 3), mode=mode)
    x2 = q(30, 30)
    x2[10, 10] = NAN
    fft_case(f"fftconvolve 2-D {mode}, one NaN: the whole output", "fftconvolve", x2, q(4, 6), mode=mode)
    # Axes that are not transformed broadcast: a NaN reaches only its own batch element.
    x3 = q(3, 40)
    x3[1, 7] = NAN
    fft_case(f"fftconvolve [3, 40] * [1, 5] {mode}: NaN in row 1 only", "fftconvolve", x3, q(1, 5), mode=mode)
    x3 = q(3, 80)
    x3[2, 60] = INF
    fft_case(f"oaconvolve [3, 80] * [3, 6] axes [1] {mode}: inf in row 2, its blocks only", "oaconvolve", x3, q(3, 6), mode=mode, axes=[1])
    x3 = q(4, 1, 60)
    x3[0, 0, 3] = NAN
    fft_case(f"fftconvolve [4, 1, 60] * [1, 2, 7] {mode}: batch 0 only", "fftconvolve", x3, q(1, 2, 7), mode=mode)

# Method 'fft' is one transform in SciPy even where convcorr computes it in blocks (a long in1, a short in2): the NaN
# must still reach the whole output.
x = q(3000)
x[1500] = NAN
add("correlate method fft 1-D same, 3000 with 20 (blocks in convcorr): NaN everywhere", "correlate",
    lambda a, b: sig.correlate(a, b, mode="same", method="fft"), x, q(20), mode="same", method="fft")
x = q(2000)
x[10] = -INF
add("convolve method fft 1-D valid, 2000 with 24, -inf: NaN everywhere", "convolve",
    lambda a, b: sig.convolve(a, b, mode="valid", method="fft"), x, q(24), mode="valid", method="fft")

meta = {"numpy": np.__version__, "scipy": scipy.__version__, "torch": torch.__version__}
with open(OUT, "w") as fh:
    json.dump({"meta": meta, "cases": cases}, fh, indent=None, separators=(",", ":"))
    fh.write("\n")
print(f"wrote {len(cases)} cases to {os.path.relpath(OUT, ROOT)}")
