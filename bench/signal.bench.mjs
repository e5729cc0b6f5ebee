// scipy.signal-style correlate: 1-D n = 1e6 with k = 15 and 127 ('valid'), 2-D 1024² with 3×3 and 7×7 ('same'),
// float32 and float64, wasm against the JS backend; wasm also writing into a preallocated `output` (no fresh result
// array a call, so no page faults of new memory).
import { checkSame, randomFloats, runCase } from './harness.mjs';

export default function signal({ correlate }) {
  const results = [];
  const cases = [];
  for (const [Ctor, dt] of [[Float32Array, 'float32'], [Float64Array, 'float64']]) {
    const x1 = randomFloats(Ctor, 1_000_000, 1);
    for (const k of [15, 127]) {
      cases.push({ id: `correlate 1-D ${dt} n=1e6 k=${k} valid`, in1: x1, in2: randomFloats(Ctor, k, 2), mode: 'valid', macs: (1e6 - k + 1) * k });
    }
    const img = { data: randomFloats(Ctor, 1024 * 1024, 3), shape: [1024, 1024] };
    for (const k of [3, 7]) {
      cases.push({ id: `correlate 2-D ${dt} 1024² ${k}×${k} same`, in1: img, in2: { data: randomFloats(Ctor, k * k, 4), shape: [k, k] }, mode: 'same', macs: 1024 * 1024 * k * k });
    }
  }
  for (const c of cases) {
    const run = (backend) => () => correlate(c.in1, c.in2, { mode: c.mode, method: 'direct', backend });
    const a = run('wasm')();
    const b = run('js')();
    checkSame(c.id, a.data ?? a, b.data ?? b, c.id.includes('float32') ? 1e-4 : 1e-9);
    const output = new (c.id.includes('float32') ? Float32Array : Float64Array)((a.data ?? a).length);
    const into = () => correlate(c.in1, c.in2, { mode: c.mode, method: 'direct', backend: 'wasm', output });
    checkSame(`${c.id} output given`, into().data ?? output, a.data ?? a, 0);
    results.push(runCase({ id: c.id, flops: 2 * c.macs, rounds: 3, variants: [
      { name: 'js', fn: run('js') }, { name: 'wasm', fn: run('wasm') }, { name: 'wasm, output given', fn: into },
    ] }));
  }
  return results;
}
