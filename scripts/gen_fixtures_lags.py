#!/usr/bin/env python3
"""Generate test/fixtures/lags.json: scipy.signal.correlation_lags (1.10) on small and very large lengths.

Run from the repository root with the system interpreter (Debian's python3-scipy):

    /usr/bin/python3 scripts/gen_fixtures_lags.py

Small lengths (1 ... 24 each, every mode) are stored whole. Large lengths are stored as their length and their first
and last four lags (SciPy's lags are an arange, so those pin down the whole array; the test also checks that the
lags it gets are consecutive).
"""

import json
import os

import numpy as np
import scipy
import scipy.signal as sig

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "lags.json")

small = []
for n1 in range(1, 25):
    for n2 in range(1, 25):
        for mode in ("full", "same", "valid"):
            small.append({"in1Len": n1, "in2Len": n2, "mode": mode, "lags": sig.correlation_lags(n1, n2, mode).tolist()})

large = []
pairs = [(3, 10**8, "same"), (10**8, 3, "same"), (3, 10**7, "full"), (10**7 + 1, 4, "full"), (10**7, 10**7 - 1, "same"),
         (3, 10**8, "valid"), (10**8, 5, "valid"), (2**31 - 1, 3, "same"), (3, 2**31 - 1, "same"), (2**31 - 1, 1, "valid"),
         (1, 2**31 - 1, "valid"), (2**31 - 2, 2**31 - 3, "valid")]
for n1, n2, mode in pairs:
    if n1 + n2 < 3 * 10**8:
        lags = sig.correlation_lags(n1, n2, mode)
    else:
        # SciPy builds the whole arange (up to n1 + n2 - 1 int64: 32 GB here) before slicing; for the largest lengths
        # its formula is applied to the ends only (the smaller pairs above check the same formula against SciPy).
        full0 = -n2 + 1
        mid = (n1 + n2 - 1) // 2
        lb = n1 // 2
        if mode == "same":
            lo, hi = full0 + mid - lb, full0 + mid + lb + (n1 % 2)
        else:
            bound = n1 - n2
            lo, hi = (0, bound + 1) if bound >= 0 else (bound, 1)
        large.append({"in1Len": n1, "in2Len": n2, "mode": mode, "length": int(hi - lo),
                      "head": list(range(lo, min(lo + 4, hi))), "tail": list(range(max(hi - 4, lo), hi))})
        continue
    large.append({"in1Len": n1, "in2Len": n2, "mode": mode, "length": int(lags.size),
                  "head": lags[:4].tolist(), "tail": lags[-4:].tolist()})
    del lags

with open(OUT, "w") as fh:
    json.dump({"meta": {"scipy": scipy.__version__, "numpy": np.__version__}, "small": small, "large": large}, fh,
              separators=(",", ":"))
    fh.write("\n")
print(f"wrote {len(small)} small and {len(large)} large cases to {os.path.relpath(OUT, ROOT)}")
