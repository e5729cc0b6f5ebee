// The non-finite scan, the JS twin of assembly/nonfinite.ts: its own family, because every path that steps aside on
// NaN or ±Infinity (src/nonfinite.ts holds the policy) asks it, not only the FFT.
import type { Float } from '../arrays';

export interface Family {
  /** 1 when any of mem[x … x+n) is NaN or ±Infinity, else 0. */
  nonFinite(mem: Float, x: number, n: number): number;
}

function nonFinite(mem: Float, x: number, n: number): number {
  for (let i = 0; i < n; i++) if (!Number.isFinite(mem[x + i])) return 1;
  return 0;
}

export const js: Family = { nonFinite };
