#!/usr/bin/env python3
"""Generate test/fixtures/similarity.json: golden vectors for matchTemplate, minMaxLoc and xcorr.

Run from the repository root with the system interpreter (Debian packages python3-opencv, python3-skimage,
python3-numpy, octave, octave-signal):

    /usr/bin/python3 scripts/gen_fixtures_similarity.py

References: OpenCV's cv2.matchTemplate / cv2.minMaxLoc (4.6, one thread), scikit-image's
match_template(pad_input=True) (0.19) for padInput, and Octave-signal's xcorr (1.4), called through
`octave --no-gui --eval "pkg load signal; ..."` on a generated .m script. Deterministic (fixed seed).

Facts the generator relies on (checked on OpenCV 4.6):
- matchTemplate overwrites a uint8 mask in place: every call gets a copy.
- OpenCV takes uint8 and float32 images only; its results are float32.
- Octave's xcorr refuses scales other than 'none' for vectors of unequal length; MATLAB zero-pads the shorter
  one. Those cases call Octave with the shorter vector explicitly zero-padded (the same thing).

Format: {"meta", "matchTemplate": [...], "padInput": [...], "minMaxLoc": [...], "xcorr": [...]}; arrays are
{"shape", "data"} with NaN and ±Infinity written as the strings "NaN", "Infinity", "-Infinity".
"""

import json
import math
import os
import platform
import subprocess
import tempfile

import cv2
import numpy as np
import skimage
from skimage.feature import match_template

cv2.setNumThreads(1)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "similarity.json")
rng = np.random.default_rng(1717)

METHODS = {
    "sqdiff": cv2.TM_SQDIFF, "sqdiff-normed": cv2.TM_SQDIFF_NORMED, "ccorr": cv2.TM_CCORR,
    "ccorr-normed": cv2.TM_CCORR_NORMED, "ccoeff": cv2.TM_CCOEFF, "ccoeff-normed": cv2.TM_CCOEFF_NORMED,
}


def num(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def arr(a):
    a = np.asarray(a)
    return {"shape": list(a.shape), "data": [num(v) for v in a.ravel()]}


def image(shape, dtype):
    if dtype == "uint8":
        return rng.integers(0, 256, shape).astype(np.uint8)
    return np.round(rng.standard_normal(shape), 3).astype(np.float32)


def mask_of(kind, shape):
    if kind == "binary":
        # uint8 masks are binary in OpenCV: any nonzero value is 1.
        return rng.choice(np.array([0, 1, 7, 255], np.uint8), shape, p=[0.3, 0.3, 0.2, 0.2])
    m = np.round(rng.random(shape), 3).astype(np.float32)
    m[rng.random(shape) < 0.2] = 0
    return m


mt_cases = []


def add_match(name, img, tpl, method, mask=None, mask_kind="none"):
    args = {"image": arr(img), "templ": arr(tpl), "method": method, "dtype": str(img.dtype)}
    if mask is not None:
        args["mask"] = arr(mask)
        args["maskKind"] = mask_kind  # "binary": pass it as a Uint8Array; "float": as float weights
        res = cv2.matchTemplate(img, tpl, METHODS[method], mask=mask.copy())
    else:
        res = cv2.matchTemplate(img, tpl, METHODS[method])
    mt_cases.append({"name": name, "args": args, "expected": arr(res)})


# Every method × mask × channel count × dtype.
for dtype in ["uint8", "float32"]:
    for cn in [1, 3]:
        for mask_kind in ["none", "binary", "float"]:
            for method in METHODS:
                H, W = int(rng.integers(9, 16)), int(rng.integers(9, 16))
                h, w = int(rng.integers(2, 6)), int(rng.integers(2, 6))
                shp = (H, W) if cn == 1 else (H, W, cn)
                tsh = (h, w) if cn == 1 else (h, w, cn)
                img = image(shp, dtype)
                tpl = image(tsh, dtype)
                mask = None
                if mask_kind != "none":
                    msh = (h, w) if cn == 1 or rng.random() < 0.5 else (h, w, cn)
                    mask = mask_of(mask_kind, msh)
                    if mask_kind == "float" and dtype == "uint8":
                        pass  # a float32 mask with a uint8 image is allowed by OpenCV
                add_match(f"{method} {dtype} C={cn} mask={mask_kind}{'' if mask is None else ' ' + 'x'.join(map(str, mask.shape))}",
                          img, tpl, method, mask, mask_kind)

# Flat templates (unmasked: OpenCV's zero-variance guard), flat image regions, template as large as the image.
for dtype in ["uint8", "float32"]:
    for method in METHODS:
        img = image((10, 12), dtype)
        tpl = np.full((3, 4), 5 if dtype == "uint8" else 0.75, dtype=img.dtype)
        add_match(f"flat template {method} {dtype}", img, tpl, method)
        img2 = image((12, 13), dtype)
        img2[2:9, 3:11] = 7 if dtype == "uint8" else -0.5
        img2[0:4, 0:5] = 0
        tpl2 = image((3, 3), dtype)
        add_match(f"flat regions {method} {dtype}", img2, tpl2, method)
        img3 = image((6, 7), dtype)
        tpl3 = image((6, 7), dtype)
        add_match(f"template as large as the image {method} {dtype}", img3, tpl3, method)
        add_match(f"template as large as the image, 3 channels {method} {dtype}", image((5, 6, 3), dtype), image((5, 6, 3), dtype), method)
        add_match(f"zero template {method} {dtype}", img, np.zeros((3, 2), img.dtype), method)
    # Masked, with flat regions (no guard in OpenCV's masked path).
    for method in METHODS:
        img2 = image((11, 12), dtype)
        img2[1:7, 2:9] = 3 if dtype == "uint8" else 0.25
        add_match(f"flat regions, binary mask {method} {dtype}", img2, image((3, 4), dtype), method,
                  mask_of("binary", (3, 4)), "binary")

# A bright, low-contrast image: the window variance is tiny beside the energy (precision of the statistics).
for method in METHODS:
    img = (200 + np.round(rng.random((40, 44)), 3)).astype(np.float32)
    tpl = img[10:18, 20:29].copy() + np.float32(0)
    add_match(f"bright low-contrast {method} float32", img, tpl, method)

# padInput: scikit-image's match_template(pad_input=True), 2-D.
pad_cases = []
for dtype in ["float32", "float64"]:
    for (H, W, h, w) in [(9, 11, 3, 3), (10, 9, 4, 2), (8, 8, 5, 6), (7, 9, 7, 9), (12, 10, 1, 4)]:
        img = np.round(rng.standard_normal((H, W)), 3).astype(dtype)
        tpl = np.round(rng.standard_normal((h, w)), 3).astype(dtype)
        res = match_template(img, tpl, pad_input=True)
        pad_cases.append({"name": f"padInput {dtype} {H}x{W} templ {h}x{w}",
                          "args": {"image": arr(img), "templ": arr(tpl), "dtype": dtype}, "expected": arr(res)})
    img = np.round(rng.standard_normal((8, 9)), 3).astype(dtype)
    img[0:4, 0:5] = 1.5
    tpl = np.full((3, 3), 2.0, dtype)
    pad_cases.append({"name": f"padInput flat template {dtype}", "args": {"image": arr(img), "templ": arr(tpl), "dtype": dtype},
                      "expected": arr(match_template(img, tpl, pad_input=True))})
    tpl = np.round(rng.standard_normal((3, 2)), 3).astype(dtype)
    pad_cases.append({"name": f"padInput flat region {dtype}", "args": {"image": arr(img), "templ": arr(tpl), "dtype": dtype},
                      "expected": arr(match_template(img, tpl, pad_input=True))})

# minMaxLoc: locations as [row, col] (OpenCV's Point is (x=col, y=row)).
mm_cases = []
def add_mm(name, a):
    mn, mx, mnl, mxl = cv2.minMaxLoc(a)
    mm_cases.append({"name": name, "args": {"a": arr(a)},
                     "expected": {"minVal": num(mn), "maxVal": num(mx), "minLoc": [mnl[1], mnl[0]], "maxLoc": [mxl[1], mxl[0]]}})
add_mm("random", np.round(rng.standard_normal((7, 9)), 3).astype(np.float32))
a = rng.integers(-2, 3, (6, 5)).astype(np.float32)
add_mm("ties: first in C order", a)
a = np.round(rng.standard_normal((5, 6)), 3).astype(np.float32)
a[0, 0] = np.nan; a[2, 3] = np.nan; a[4, 5] = np.nan
add_mm("NaN ignored", a)
add_mm("all NaN", np.full((3, 4), np.nan, np.float32))
a = np.round(rng.standard_normal((4, 4)), 3).astype(np.float32)
a[1, 2] = np.inf; a[3, 0] = -np.inf
add_mm("infinities", a)

# xcorr through Octave-signal.
xc = []
def vec(n):
    return np.round(rng.standard_normal(n), 3)
for (nx, ny) in [(8, 8), (8, 5), (5, 8), (2, 2), (7, 2), (6, None), (13, 13)]:  # Octave refuses length-1 vectors
    x = vec(nx)
    y = None if ny is None else vec(ny)
    N = max(nx, ny or nx)
    for maxlag in [None, 0, 2, N - 1, N + 3]:
        for scale in ["none", "biased", "unbiased", "normalized", "coeff"]:
            xc.append({"x": x, "y": y, "maxlag": maxlag, "scale": scale})

lines = ["pkg load signal;", "fid = fopen(argv(){1}, 'w');"]
for i, c in enumerate(xc):
    x, y, maxlag, scale = c["x"], c["y"], c["maxlag"], c["scale"]
    N = len(x) if y is None else max(len(x), len(y))
    xs = np.concatenate([x, np.zeros(N - len(x))]) if y is not None else x
    ys = None if y is None else np.concatenate([y, np.zeros(N - len(y))])
    # Octave refuses scaling unequal lengths: pad explicitly (MATLAB's semantics) unless scale is 'none'.
    if y is not None and scale == "none":
        xs, ys = x, y
    fmt = lambda v: "[" + " ".join(repr(float(t)) for t in v) + "]"
    call = f"xcorr({fmt(xs)}" + ("" if ys is None else f", {fmt(ys)}")
    call += "" if maxlag is None else f", {maxlag}"
    call += f", '{scale}')"
    lines.append(f"[r, l] = {call}; fprintf(fid, '{i} '); fprintf(fid, '%.17g ', r); fprintf(fid, '\\n');")
lines.append("fclose(fid);")
with tempfile.TemporaryDirectory() as d:
    script = os.path.join(d, "xc.m")
    out = os.path.join(d, "out.txt")
    with open(script, "w") as f:
        f.write("\n".join(lines))
    p = subprocess.run(["octave", "--no-gui", "--quiet", "--no-window-system", script, out], capture_output=True, text=True)
    if p.returncode != 0 or not os.path.exists(out):
        raise SystemExit(p.stderr)
    with open(out) as f:
        rows = {int(l.split()[0]): [float(v) for v in l.split()[1:]] for l in f if l.strip()}
    octave_version = subprocess.run(["octave", "--no-gui", "--quiet", "--no-window-system", "--eval",
                                     "pkg load signal; disp(version()); p = pkg('list', 'signal'); disp(p{1}.version)"],
                                    capture_output=True, text=True).stdout.split()
xcorr_cases = []
for i, c in enumerate(xc):
    args = {"x": arr(c["x"]), "scale": c["scale"]}
    if c["y"] is not None:
        args["y"] = arr(c["y"])
    if c["maxlag"] is not None:
        args["maxlag"] = c["maxlag"]
    r = rows[i]
    m = (len(r) - 1) // 2
    xcorr_cases.append({"name": f"xcorr nx={len(c['x'])} ny={'auto' if c['y'] is None else len(c['y'])} maxlag={c['maxlag']} {c['scale']}",
                        "args": args, "expected": {"r": arr(r), "lags": list(range(-m, m + 1))}})

doc = {
    "meta": {"generator": "scripts/gen_fixtures_similarity.py", "seed": 1717, "python": platform.python_version(),
             "numpy": np.__version__, "opencv": cv2.__version__, "skimage": skimage.__version__,
             "octave": octave_version[0] if octave_version else "?", "octave-signal": octave_version[1] if len(octave_version) > 1 else "?"},
    "matchTemplate": mt_cases, "padInput": pad_cases, "minMaxLoc": mm_cases, "xcorr": xcorr_cases,
}
with open(OUT, "w") as f:
    json.dump(doc, f, separators=(",", ":"))
print(f"wrote {OUT}: {len(mt_cases)} matchTemplate, {len(pad_cases)} padInput, {len(mm_cases)} minMaxLoc, {len(xcorr_cases)} xcorr")
