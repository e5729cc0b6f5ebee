// Assertion helpers: every message names the operation and the argument, TypeError for the wrong kind of value,
// RangeError for a value of the right kind but out of range. All checks run before any work or allocation.

export function typeError(op: string, what: string, expected: string, got: unknown): TypeError {
  return new TypeError(`${op}: ${what} must be ${expected}, got ${describe(got)}`);
}

export function rangeError(op: string, message: string): RangeError {
  return new RangeError(`${op}: ${message}`);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/** A value from a fixed list of strings, or the default when undefined. */
export function oneOf<T extends string>(op: string, what: string, value: unknown, allowed: readonly T[], dflt: T): T {
  if (value === undefined) return dflt;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw typeError(op, what, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
  return value as T;
}

/** A finite integer ≥ min. */
export function integer(op: string, what: string, value: unknown, min: number): number {
  if (typeof value !== 'number') throw typeError(op, what, 'a number', value);
  if (!Number.isInteger(value)) throw rangeError(op, `${what} must be an integer, got ${value}`);
  if (value < min) throw rangeError(op, `${what} must be ≥ ${min}, got ${value}`);
  return value;
}

/**
 * An options bag: undefined or a plain object whose every key is one of `allowed`. An unknown key is refused, as
 * NumPy, SciPy and PyTorch refuse an unknown keyword, naming the key and, where it is a reference's spelling
 * (`padding_mode`) or a near miss (`boundry`), the name to use.
 */
export function options<T extends object>(op: string, value: unknown, allowed: readonly (keyof T & string)[]): Partial<T> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) throw typeError(op, 'options', 'an object', value);
  for (const key of Object.keys(value)) {
    if (!(allowed as readonly string[]).includes(key)) {
      const hint = suggest(key, allowed);
      throw new TypeError(`${op}: unknown option '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; ` +
        `the options are ${allowed.map((a) => `'${a}'`).join(', ')}`);
    }
  }
  return value as Partial<T>;
}

/** The allowed name a reference spelling or a typo most likely meant: camelCase of snake_case, a plural, or ≤ 2 edits. */
export function suggest(key: string, allowed: readonly string[]): string | undefined {
  const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const fold = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
  const exact = allowed.find((a) => fold(a) === fold(camel) || fold(a) === fold(camel).replace(/s$/, '') || fold(a) === `${fold(camel)}s`);
  if (exact) return exact;
  // torch's and SciPy's names for the same thing under another word.
  const aliases: Record<string, string> = { axis: 'axes', fill_value: 'fillvalue', out: 'output' };
  if (aliases[key] && allowed.includes(aliases[key])) return aliases[key];
  let best: string | undefined;
  let bestD = 3;
  for (const a of allowed) {
    const d = editDistance(fold(key), fold(a));
    if (d < bestD) {
      bestD = d;
      best = a;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
