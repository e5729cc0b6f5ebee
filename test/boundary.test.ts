// The boundary module (src/boundary.ts, assembly/boundary.ts) against NumPy and PyTorch (test/fixtures/boundary.json,
// made by scripts/gen_fixtures_boundary.py): every extension through padInto, through the padPlanes kernel and
// padPlanesInto on every backend (guard words after the output), through fillBorders (channels-last, in place), and
// the gradient of padding through foldBorders. The public names are read through the module's own tables
// (TORCH_PADDING, NDIMAGE_MODES, SIGNAL_BOUNDARIES); NumPy's names are mapped by the table of CONTRIBUTING.md, written
// out here. Every value is a small integer, so every comparison is exact.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  EXTENSION_CODE, EXTENSIONS, fillBorders, foldBorders, NDIMAGE_MODES, padInto, padPlanesInto, SIGNAL_BOUNDARIES,
  sourceIndex, TORCH_PADDING, type Extension,
} from '../src/boundary';
import type { PaddingMode } from '../src/nn/plan';
import { withWorkspace } from '../src/workspace';
import fx from './fixtures/boundary.json';
import { backendCases, useBackend } from './helpers';

interface Arr { shape: number[]; data: number[] }
const { numpy: numpyCases, torch: torchCases, torch_grad: gradCases } = fx.cases as {
  numpy: { mode: string; x: Arr; pads: number[][]; cval: number; expected: Arr }[];
  torch: { mode: string; x: Arr; pads: number[][]; expected: Arr }[];
  torch_grad: { mode: string; x: Arr; pads: number[][]; y: Arr; g: Arr; expected: Arr }[];
};

/** numpy.pad's modes in the code's words (CONTRIBUTING.md): NumPy's 'reflect' is the edge-not-repeated mirror. */
const NUMPY_WORD: Record<string, Extension> = { symmetric: 'symmetric', reflect: 'mirror', edge: 'edge', wrap: 'wrap', constant: 'constant' };
/** F.pad's mode names → the conv layers' paddingMode ('constant' with 0 is 'zeros'). */
const TORCH_OPTION: Record<string, PaddingMode> = { reflect: 'reflect', replicate: 'replicate', circular: 'circular', constant: 'zeros' };
const GUARD = 12345.5;

/** The three spatial axes of a channels-first case [P, ...spatial] (leading axes of size 1), as the nn code sees them. */
function box(shape: number[], pads: number[][]) {
  const lead = 4 - shape.length;
  const inSize = [...new Array<number>(lead).fill(1), ...shape.slice(1)];
  const before = [...new Array<number>(lead).fill(0), ...pads.map((p) => p[0])];
  const after = [...new Array<number>(lead).fill(0), ...pads.map((p) => p[1])];
  return { P: shape[0], inSize, padBefore: before, padded: inSize.map((n, a) => n + before[a] + after[a]) };
}

describe('boundary: the extensions as numpy.pad computes them', () => {
  it.each(numpyCases.map((c, i) => [i, c.mode, c.x.shape.join('×'), c] as const))('#%i %s x=[%s]', (_i, _m, _s, c) => {
    const ext = NUMPY_WORD[c.mode];
    const padShape = c.x.shape.map((n, a) => n + c.pads[a][0] + c.pads[a][1]);
    const dst = new Float64Array(c.expected.data.length + 1).fill(GUARD);
    padInto(dst, 0, Float64Array.from(c.x.data), c.x.shape, padShape, c.pads.map((p) => -p[0]), ext, c.cval);
    expect(padShape).toEqual(c.expected.shape);
    expect(Array.from(dst.subarray(0, -1))).toEqual(c.expected.data);
    expect(dst[dst.length - 1]).toBe(GUARD);
  });

  it('the public names map to the documented extensions, and the codes invert', () => {
    expect(TORCH_PADDING).toEqual({ zeros: 'constant', reflect: 'mirror', replicate: 'edge', circular: 'wrap' });
    expect(NDIMAGE_MODES).toEqual({
      reflect: 'symmetric', mirror: 'mirror', nearest: 'edge', wrap: 'wrap', constant: 'constant',
      'grid-mirror': 'symmetric', 'grid-wrap': 'wrap', 'grid-constant': 'constant',
    });
    expect(SIGNAL_BOUNDARIES).toEqual({ fill: 'constant', pad: 'constant', wrap: 'wrap', circular: 'wrap', symm: 'symmetric', symmetric: 'symmetric' });
    for (const e of EXTENSIONS) expect(EXTENSIONS[EXTENSION_CODE[e]]).toBe(e);
    expect(sourceIndex(-1, 1, 'mirror')).toBe(0);
    expect(sourceIndex(-3, 4, 'constant')).toBe(-1);
  });
});

describe.each(backendCases())('boundary kernels on %s', (be) => {
  beforeAll(() => useBackend(be));

  for (const dtype of ['float32', 'float64'] as const) {
    it(`padPlanes equals F.pad on channels-first planes, ${dtype}`, () => {
      for (const c of torchCases) {
        const [P, h, w] = c.x.shape;
        const [ph, pw] = [h + c.pads[0][0] + c.pads[0][1], w + c.pads[1][0] + c.pads[1][1]];
        const n = P * ph * pw;
        const got = withWorkspace('test', undefined, dtype, [P * h * w, n + 4], (ws) => {
          const [xo, yo] = ws.off;
          ws.mem.set(c.x.data, xo);
          ws.mem.fill(GUARD, yo, yo + n + 4);
          ws.k.padPlanes(ws.mem, xo, P, h, w, yo, ph, pw, c.pads[0][0], c.pads[1][0], EXTENSION_CODE[TORCH_PADDING[TORCH_OPTION[c.mode]]]);
          return Array.from(ws.mem.subarray(yo, yo + n + 4));
        });
        expect(got.slice(0, n), `${c.mode} x=[${c.x.shape}] pads=${JSON.stringify(c.pads)}`).toEqual(c.expected.data);
        expect(got.slice(n), 'guard words after the output').toEqual([GUARD, GUARD, GUARD, GUARD]);
      }
    });

    it(`padPlanesInto and fillBorders equal F.pad in 2-D and 3-D, ${dtype}`, () => {
      for (const c of gradCases) {
        const ext = TORCH_PADDING[TORCH_OPTION[c.mode]];
        const g = box(c.x.shape, c.pads);
        const { P } = g;
        const inVol = g.inSize[0] * g.inSize[1] * g.inSize[2];
        const padVol = g.padded[0] * g.padded[1] * g.padded[2];
        const label = `${c.mode} x=[${c.x.shape}] pads=${JSON.stringify(c.pads)}`;
        const [cf, cl] = withWorkspace('test', undefined, dtype, [P * inVol, P * padVol + 4, P * padVol], (ws) => {
          const [xo, yo, lo] = ws.off;
          const { mem } = ws;
          mem.set(c.x.data, xo);
          mem.fill(GUARD, yo, yo + P * padVol + 4);
          padPlanesInto(mem, ws.k, xo, P, g, ext, yo);
          // Channels-last: the interior placed by hand, the border filled in place.
          mem.fill(GUARD, lo, lo + P * padVol);
          const [D, H, W] = g.inSize;
          const [, Ph, Pw] = g.padded;
          const [bD, bH, bW] = g.padBefore;
          for (let p = 0; p < P; p++) {
            for (let z = 0; z < D; z++) {
              for (let y = 0; y < H; y++) {
                for (let x = 0; x < W; x++) mem[lo + (((z + bD) * Ph + y + bH) * Pw + x + bW) * P + p] = c.x.data[((p * D + z) * H + y) * W + x];
              }
            }
          }
          fillBorders(mem, lo, 1, P, g, ext);
          return [Array.from(mem.subarray(yo, yo + P * padVol + 4)), Array.from(mem.subarray(lo, lo + P * padVol))];
        });
        expect(cf.slice(0, P * padVol), `padPlanesInto ${label}`).toEqual(c.y.data);
        expect(cf.slice(P * padVol), 'guard words after the output').toEqual([GUARD, GUARD, GUARD, GUARD]);
        const want = new Array<number>(P * padVol);
        for (let p = 0; p < P; p++) for (let i = 0; i < padVol; i++) want[i * P + p] = c.y.data[p * padVol + i];
        expect(cl, `fillBorders ${label}`).toEqual(want);
      }
    });
  }
});

describe('boundary: foldBorders is the gradient of F.pad', () => {
  it.each(gradCases.map((c, i) => [i, c.mode, c.x.shape.join('×'), c] as const))('#%i %s x=[%s]', (_i, _m, _s, c) => {
    const ext = TORCH_PADDING[TORCH_OPTION[c.mode]];
    const g = box(c.x.shape, c.pads);
    const [D, H, W] = g.inSize;
    const [, Ph, Pw] = g.padded;
    const [bD, bH, bW] = g.padBefore;
    const padVol = g.padded[0] * Ph * Pw;
    const mem = Float64Array.from(c.g.data);
    foldBorders(mem, 0, g.P, g, ext);
    const got: number[] = [];
    for (let p = 0; p < g.P; p++) {
      for (let z = 0; z < D; z++) {
        for (let y = 0; y < H; y++) {
          for (let x = 0; x < W; x++) got.push(mem[p * padVol + ((z + bD) * Ph + y + bH) * Pw + x + bW]);
        }
      }
    }
    expect(got).toEqual(c.expected.data);
  });
});
