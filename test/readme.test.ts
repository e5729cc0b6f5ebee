// Every ```js block of README.md runs as a test, so no example can rot. A block imports from 'convcorr' (pointed at
// src/ here) and states its values in end-of-line comments, which become assertions:
//   expr;              // Float64Array [-1, 2, 2, -1]   (a typed array of that type and those values)
//   const y = expr;    // Float32Array [4, 3]           (the same, checked on y)
//   expr;              // => 'fft'                      (any JS literal: number, string, boolean, array, object)
// A note after the value, two spaces on, in parentheses, is prose.
// Printed numbers are compared to the precision they are printed with. Node only (it writes the blocks to files).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = join(root, 'test', '.readme');

interface Block {
  line: number;
  code: string;
}

/** The ```js blocks of a Markdown file, with the line each starts on. */
export function jsBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```js') continue;
    const start = i + 1;
    let j = start;
    while (j < lines.length && lines[j].trim() !== '```') j++;
    blocks.push({ line: start + 1, code: lines.slice(start, j).join('\n') });
    i = j;
  }
  return blocks;
}

const TYPED = 'Float32Array|Float64Array|Int32Array|Uint8ClampedArray|Uint8Array|Int8Array|Int16Array|Uint16Array|Uint32Array';
const typedLine = new RegExp(`^(\\s*)(?:(const|let)\\s+(\\w+)\\s*=\\s*)?(.+?);?\\s*//\\s*(${TYPED})\\s*\\[([^\\]]*)\\]`);
const literalLine = /^(\s*)(?:(const|let)\s+(\w+)\s*=\s*)?(.+?);?\s*\/\/\s*=>\s*(.+?)(?:\s{2,}\(.*\))?\s*$/;

/** The block's code with each value comment turned into a check of that value (line numbers of README.md). */
export function instrument(block: Block, index: string): { code: string; checks: number } {
  let checks = 0;
  const out = block.code.split('\n').map((text, k) => {
    const line = block.line + k;
    const t = typedLine.exec(text);
    if (t) {
      const [, indent, decl, name, expr, type, values] = t;
      checks++;
      const head = decl ? `${indent}${decl} ${name} = ${expr};\n` : '';
      return `${head}${indent}globalThis.__readme.typed(${line}, ${decl ? name : `(${expr})`}, '${type}', [${values}], ${JSON.stringify(values)});`;
    }
    const l = literalLine.exec(text);
    if (l) {
      const [, indent, decl, name, expr, value] = l;
      checks++;
      const head = decl ? `${indent}${decl} ${name} = ${expr};\n` : '';
      return `${head}${indent}globalThis.__readme.equal(${line}, ${decl ? name : `(${expr})`}, (${value}));`;
    }
    return text;
  });
  return { code: out.join('\n').replace(/from 'convcorr'/g, `from '${index}'`), checks };
}

/** Decimal places a printed number shows (1e-7 → 7, 0.25 → 2, 3 → 0). */
function decimals(s: string): number {
  const m = /^-?\d*(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(s.trim());
  if (!m) return 0;
  return Math.max(0, (m[1]?.length ?? 0) - Number(m[2] ?? 0));
}

const readme = {
  typed(line: number, value: unknown, type: string, expected: number[], printed: string) {
    const data = (value && typeof value === 'object' && 'data' in value ? (value as { data: unknown }).data : value) as ArrayLike<number>;
    expect((data as object)?.constructor?.name, `README line ${line}: type`).toBe(type);
    expect(data.length, `README line ${line}: length`).toBe(expected.length);
    const texts = printed.split(',');
    for (let i = 0; i < expected.length; i++) {
      const tol = 0.5 * 10 ** -decimals(texts[i]) * (1 + 1e-9);
      if (Math.abs(data[i] - expected[i]) > tol) {
        expect.fail(`README line ${line}: element ${i} is ${data[i]}, the README prints ${texts[i].trim()}`);
      }
    }
  },
  equal(line: number, value: unknown, expected: unknown) {
    if (typeof expected === 'number' && typeof value === 'number') {
      expect(Math.abs(value - expected), `README line ${line}: ${value} vs ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
    } else {
      expect(value, `README line ${line}`).toEqual(expected);
    }
  },
};

describe('README code blocks run and print what they say', () => {
  const blocks = jsBlocks(readFileSync(join(root, 'README.md'), 'utf8'));
  mkdirSync(scratch, { recursive: true });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  (globalThis as { __readme?: typeof readme }).__readme = readme;

  it('README has code blocks with checked values', () => {
    expect(blocks.length).toBeGreaterThan(3);
    expect(blocks.reduce((n, b) => n + instrument(b, '').checks, 0)).toBeGreaterThan(10);
  });

  for (const [i, block] of blocks.entries()) {
    it(`block at README line ${block.line}`, async () => {
      const { code } = instrument(block, join(root, 'src', 'index.ts'));
      const file = join(scratch, `block-${i}.ts`);
      writeFileSync(file, code);
      await import(/* @vite-ignore */ file);
    });
  }
});
