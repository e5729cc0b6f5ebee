// Backend selection: init/initSync/setBackend/getBackend, the per-call option, and the variants this engine runs.
import { afterAll, describe, expect, it } from 'vitest';
import { correlate, getBackend, init, initSync, setBackend, supportedVariants } from '../src/index';
import { backendCases } from './helpers';

describe('backends', () => {
  afterAll(() => {
    initSync();
  });
  it('every variant this project tests is supported by the engine', () => {
    for (const c of backendCases()) if (c !== 'js') expect(supportedVariants()).toContain(c);
  });
  it('init() picks the best supported build and is idempotent', async () => {
    const a = await init();
    const b = await init();
    expect(a).toEqual(b);
    expect(a.name).toBe('wasm');
    expect(a.variant).toBe(supportedVariants()[0]);
    expect(a.simd).toBe(a.variant !== 'scalar');
    expect(a.relaxedSimd).toBe(a.variant === 'relaxed');
    expect(a.threads).toBe(false);
  });
  it("init({ backend: 'js' }) and setBackend switch the default", async () => {
    expect((await init({ backend: 'js' })).name).toBe('js');
    expect(getBackend()).toEqual({ name: 'js', simd: false, relaxedSimd: false, threads: false, variant: undefined });
    expect(setBackend('wasm').name).toBe('wasm');
    expect(setBackend('js').name).toBe('js');
    expect(setBackend('auto').name).toBe('wasm');
  });
  it('initSync with a variant loads that build', () => {
    for (const v of supportedVariants()) expect(initSync({ backend: 'wasm', variant: v }).variant).toBe(v);
  });
  it('the per-call backend option overrides the default and both agree', () => {
    setBackend('js');
    const x = new Float32Array(100).map((_, i) => Math.sin(i));
    const h = new Float32Array([0.5, -1, 2, 0.25]);
    const a = correlate(x, h, { backend: 'wasm' });
    const b = correlate(x, h, { backend: 'js' });
    expect(a.length).toBe(103);
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
    expect(getBackend().name).toBe('js');
  });
});
