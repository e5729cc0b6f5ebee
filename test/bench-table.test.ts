// The README's benchmark table is generated (scripts/bench-table.mjs) from the committed bench/results: it must equal
// what the script writes now, so a new results file or an edited table cannot leave the README behind.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without declarations
import { END, START, renderTable, withTable } from '../scripts/bench-table.mjs';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README benchmark table', () => {
  it('equals what scripts/bench-table.mjs writes from bench/results', () => {
    const table: string = renderTable();
    expect(table).toMatch(/^\| case \| peer \| convcorr vs peer \|/);
    expect(readme.slice(readme.indexOf(START) + START.length + 1, readme.indexOf(END) - 1)).toBe(table);
    expect(withTable(readme, table)).toBe(readme);
  });
  it('every figure in the table is a ratio read from the results (no row without one)', () => {
    const rows = (renderTable() as string).split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| case'));
    expect(rows.length).toBeGreaterThan(0);
    // A ratio, or a ratio and the layer it is of (the slowest-layer rows).
    for (const r of rows) expect(r.split(' | ')[2]).toMatch(/^\d+\.\d×( \([\w.]+\))?( \/ \d+\.\d×( \([\w.]+\))?)*$/);
  });
});
