// The examples run as a user runs them (node on the built package) and find what they hid. Node only: it spawns node.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('examples', () => {
  const dist = new URL('../dist/index.js', import.meta.url);
  it.skipIf(!existsSync(dist))('examples/find-template.mjs and examples/find-delay.mjs run and find what they hid', () => {
    const run = (f: string) => execFileSync(process.execPath, [new URL(`../examples/${f}`, import.meta.url).pathname], { encoding: 'utf8' });
    expect(run('find-template.mjs')).toMatch(/found at row 37, col 81 .* score 1\.000/);
    expect(run('find-delay.mjs')).toMatch(/true delay 123\.4 samples, estimated 123 \(integer\), 123\.[34]\d* \(subsample\)/);
  });
  it.skipIf(!existsSync(dist))('examples/threads.mjs: threads give the same bits, and the process exits by itself with the pool idle', () => {
    // execFileSync returns only when the process has exited: a pool that kept it alive would time out here.
    const out = execFileSync(process.execPath, [new URL('../examples/threads.mjs', import.meta.url).pathname], { encoding: 'utf8', timeout: 60_000 });
    expect(out).toMatch(/threads: \d+.*the same bits as one thread: true/);
  });
});
