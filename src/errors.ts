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

/** An options bag: undefined or a plain object. */
export function options<T extends object>(op: string, value: unknown): Partial<T> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw typeError(op, 'options', 'an object', value);
  return value as Partial<T>;
}
