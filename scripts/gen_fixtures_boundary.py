#!/usr/bin/env python3
"""Generate test/fixtures/boundary.json: boundary extensions as NumPy and PyTorch compute them.

Run from the repository root with the system interpreter (Debian's python3-numpy, python3-torch):

    /usr/bin/python3 scripts/gen_fixtures_boundary.py

  - "numpy": numpy.pad of 1-D and 2-D arrays in each of its modes ('symmetric', 'reflect', 'edge', 'wrap',
    'constant' with a constant value), pads up to twice the axis length + 2 (the extensions are periodic), 'wrap'
    pads up to the axis length (NumPy 1.x is not periodic beyond: see gen_numpy);
  - "torch": torch.nn.functional.pad of channels-first planes [1, P, h, w] in each padding mode ('reflect',
    'replicate', 'circular', 'constant' with 0), within torch's limits (reflect: pad < size; circular: pad <= size);
  - "torch_grad": F.pad of [1, P, d, h, w] and [1, P, h, w] (y) and its gradient (x.grad for the upstream gradient g).
Values are small integers, so every padded value and every folded sum is exact in float32.
"""

import json
import os

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "boundary.json")


def arr(a):
    a = np.asarray(a, dtype=np.float64)
    return {"shape": list(a.shape), "data": [int(v) if float(v).is_integer() else float(v) for v in a.ravel()]}


def ints(rng, shape):
    return rng.integers(-9, 10, size=shape).astype(np.float64)


def gen_numpy(rng):
    cases = []
    for mode in ["symmetric", "reflect", "edge", "wrap", "constant"]:
        for rank in (1, 2):
            for _ in range(8):
                shape = [int(rng.integers(1, 6)) for _ in range(rank)]
                # NumPy < 2.0 wraps a pad longer than the axis in uneven pieces (its 2.0 release notes: "pads with strict
                # multiples of original data" since); scipy.ndimage's 'wrap' is periodic: wrap pads stay <= the length.
                hi = [n + 1 if mode == "wrap" else 2 * n + 3 for n in shape]
                pads = [[int(rng.integers(0, h)), int(rng.integers(0, h))] for h in hi]
                x = ints(rng, shape)
                kw = {"constant_values": 2.5} if mode == "constant" else {}
                y = np.pad(x, pads, mode=mode, **kw)
                cases.append({"mode": mode, "x": arr(x), "pads": pads, "cval": 2.5 if mode == "constant" else 0,
                              "expected": arr(y)})
    return cases


def torch_pads(rng, mode, sizes):
    """Per axis (before, after) within torch's limits for the mode."""
    out = []
    for n in sizes:
        hi = n - 1 if mode == "reflect" else n if mode == "circular" else n + 3
        out.append([int(rng.integers(0, hi + 1)), int(rng.integers(0, hi + 1))])
    return out


def flat(pads):
    # F.pad lists the last axis first.
    return [p for pair in reversed(pads) for p in pair]


def gen_torch(rng):
    cases = []
    for mode in ["reflect", "replicate", "circular", "constant"]:
        for _ in range(12):
            P = int(rng.integers(1, 4))
            h, w = int(rng.integers(1, 7)), int(rng.integers(1, 7))
            pads = torch_pads(rng, mode, [h, w])
            x = ints(rng, [1, P, h, w])
            y = F.pad(torch.tensor(x), flat(pads), mode=mode)
            cases.append({"mode": mode, "x": arr(x[0]), "pads": pads, "expected": arr(y.numpy()[0])})
    return cases


def gen_torch_grad(rng):
    cases = []
    for mode in ["reflect", "replicate", "circular", "constant"]:
        for rank in (2, 3):
            for _ in range(8):
                P = int(rng.integers(1, 4))
                sizes = [int(rng.integers(1, 6)) for _ in range(rank)]
                pads = torch_pads(rng, mode, sizes)
                x = torch.tensor(ints(rng, [1, P] + sizes), requires_grad=True)
                y = F.pad(x, flat(pads), mode=mode)
                g = torch.tensor(ints(rng, list(y.shape)))
                y.backward(g)
                cases.append({"mode": mode, "x": arr(x.detach().numpy()[0]), "pads": pads, "y": arr(y.detach().numpy()[0]),
                              "g": arr(g.numpy()[0]), "expected": arr(x.grad.numpy()[0])})
    return cases


def main():
    rng = np.random.default_rng(12)
    fx = {"numpy": gen_numpy(rng), "torch": gen_torch(rng), "torch_grad": gen_torch_grad(rng)}
    with open(OUT, "w") as f:
        json.dump({"meta": {"numpy": np.__version__, "torch": torch.__version__}, "cases": fx}, f, separators=(",", ":"))
    print(f"wrote {OUT}: " + ", ".join(f"{k} {len(v)}" for k, v in fx.items()))


if __name__ == "__main__":
    main()
