// Complex signals (API.md "Complex signals"): the split `Complex` type, its validation, its dtype rule, the
// `output` option of complex results, and the result's form. The ops themselves are in src/complexops.ts.
import { asTensor, product, type DType, type Float } from './arrays';
import { describe, integer, rangeError, typeError } from './errors';

/** Every typed array read as numbers (API.md "Inputs of every numeric type"). */
export type Numeric = Float | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array;

/**
 * A complex array in split storage: `re[i] + i·im[i]`, C-order, `re` and `im` of the same type and length; `shape`
 * as in `NDArray` (omitted for 1-D). Float32Array parts are complex64, Float64Array parts complex128.
 */
export interface Complex {
  re: Numeric | number[];
  im: Numeric | number[];
  shape?: readonly number[];
}

/** A complex result: Float32Array parts (complex64) or Float64Array parts (complex128). */
export interface ComplexArray<F extends Float = Float> {
  re: F;
  im: F;
  shape?: number[];
}

/** Two planes of one dtype. */
export interface CPair {
  re: Float;
  im: Float;
}

/** An input of a complex op after validation; `im` is null for a real input. */
export interface CTensor {
  re: Float;
  im: Float | null;
  shape: number[];
  /** Given with a shape (an NDArray, or a Complex with `shape`): the result then has one too. */
  nd: boolean;
  /** Counts as float32 in the dtype rule. */
  f32: boolean;
}

/** Whether v is meant as a Complex (an object with `re` and `im`), to route an op to its complex path. */
export function isComplex(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v) && 're' in v && 'im' in v;
}

const F32_LIKE = [Float32Array, Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array] as const;
const F64_LIKE = [Float64Array, Int32Array, Uint32Array] as const;

/** One part as a float typed array (never copied when it already is one) and whether it counts as float32. */
function part(op: string, what: string, v: unknown): { data: Float; f32: boolean } {
  if (v instanceof Float32Array || v instanceof Float64Array) return { data: v, f32: v instanceof Float32Array };
  if (F32_LIKE.some((C) => v instanceof C)) return { data: Float32Array.from(v as ArrayLike<number>), f32: true };
  if (F64_LIKE.some((C) => v instanceof C)) return { data: Float64Array.from(v as ArrayLike<number>), f32: false };
  const F16 = (globalThis as { Float16Array?: new (...a: never[]) => unknown }).Float16Array;
  if (F16 && v instanceof F16) return { data: Float32Array.from(v as ArrayLike<number>), f32: true };
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'number') throw typeError(op, `${what}[${i}]`, 'a number', v[i]);
    return { data: Float64Array.from(v), f32: false };
  }
  throw typeError(op, what, 'a typed array or number[]', v);
}

function kindOf(v: unknown): string {
  return Array.isArray(v) ? 'number[]' : ArrayBuffer.isView(v) ? v.constructor.name : typeof v;
}

/** Validate one argument of a complex op: a Complex, or any real input the real ops take. Empty arrays are refused. */
export function asCTensor(op: string, name: string, v: unknown): CTensor {
  if (!isComplex(v)) {
    const t = asTensor(op, name, v);
    const re = Array.isArray(t.data) ? Float64Array.from(t.data) : (t.data as Float);
    return { re, im: null, shape: t.shape, nd: t.nd, f32: re instanceof Float32Array };
  }
  const c = v as { re: unknown; im: unknown; shape?: unknown };
  const r = part(op, `${name}.re`, c.re);
  const i = part(op, `${name}.im`, c.im);
  if (kindOf(c.re) !== kindOf(c.im)) {
    throw typeError(op, `${name}.im`, `of the same type as ${name}.re (${kindOf(c.re)})`, c.im);
  }
  if (r.data.length !== i.data.length) {
    throw rangeError(op, `${name}.im has length ${i.data.length} but ${name}.re has length ${r.data.length}; the parts must have equal lengths`);
  }
  let shape: number[];
  if (c.shape === undefined) {
    shape = [r.data.length];
  } else {
    if (!Array.isArray(c.shape)) throw typeError(op, `${name}.shape`, 'an array of integers', c.shape);
    c.shape.forEach((s, a) => integer(op, `${name}.shape[${a}]`, s, 0));
    shape = c.shape.slice();
    if (product(shape) !== r.data.length) {
      throw rangeError(op, `${name}.shape [${shape.join(', ')}] holds ${product(shape)} elements but ${name}.re and ${name}.im have length ${r.data.length}`);
    }
  }
  if (shape.length === 0) throw rangeError(op, `${name} must have rank ≥ 1, got a 0-d array`);
  if (product(shape) === 0) throw rangeError(op, `${name} is empty (shape [${shape.join(', ')}])`);
  return { re: r.data, im: i.data, shape, nd: c.shape !== undefined, f32: r.f32 };
}

/** complex64 parts (float32) when every input counts as float32, else complex128 (float64); `dtype` overrides. */
export function complexDtype(op: string, dtype: unknown, ...inputs: CTensor[]): DType {
  if (dtype !== undefined) {
    if (dtype !== 'float32' && dtype !== 'float64') throw typeError(op, 'dtype', "'float32' or 'float64'", dtype);
    return dtype;
  }
  return inputs.every((t) => t.f32) ? 'float32' : 'float64';
}

/** The parts of an input (zeros for the imaginary part of a real one). */
export function pair(t: CTensor): CPair {
  return { re: t.re, im: t.im ?? new Float64Array(t.re.length) };
}

/** A checked `output` of a complex result: the Complex to write (its parts' type sets the dtype), or a dtype. */
export interface ComplexTarget {
  re?: Float;
  im?: Float;
  dtype?: DType;
}

export function complexOutputOption(op: string, output: unknown, dtype: unknown, shape: readonly number[], what: string): ComplexTarget {
  if (output === undefined || (dtype !== undefined && dtype !== 'float32' && dtype !== 'float64')) return { dtype: dtype as DType | undefined };
  const n = product(shape);
  let given: DType;
  let re: Float | undefined;
  let im: Float | undefined;
  if (output === 'float32' || output === 'float64') {
    given = output;
  } else if (isComplex(output)) {
    const o = output as { re: unknown; im: unknown; shape?: unknown };
    for (const [k, p] of [['re', o.re], ['im', o.im]] as const) {
      if (!(p instanceof Float32Array || p instanceof Float64Array)) throw typeError(op, `output.${k}`, 'a Float32Array or Float64Array', p);
      if (p.length !== n) throw rangeError(op, `output.${k} has length ${p.length} but ${what} [${shape.join(', ')}] holds ${n} elements`);
    }
    re = o.re as Float;
    im = o.im as Float;
    if (re.constructor !== im.constructor) throw typeError(op, 'output.im', `of the same type as output.re (${re.constructor.name})`, im);
    if (re.buffer === im.buffer && re.byteOffset < im.byteOffset + im.byteLength && im.byteOffset < re.byteOffset + re.byteLength) {
      throw rangeError(op, 'output.re and output.im share memory; give two separate arrays');
    }
    if (o.shape !== undefined && (!Array.isArray(o.shape) || o.shape.length !== shape.length || o.shape.some((m, a) => m !== shape[a]))) {
      throw rangeError(op, `output.shape must be ${what} [${shape.join(', ')}], got ${describe(o.shape)}`);
    }
    given = re instanceof Float32Array ? 'float32' : 'float64';
  } else {
    throw typeError(op, 'output', `a Complex { re, im } of ${what} (the result is complex), or 'float32' | 'float64'`, output);
  }
  if (dtype !== undefined && dtype !== given) throw rangeError(op, `output is ${given} but dtype is '${dtype}'; give one of them, or make them agree`);
  return { re, im, dtype: given };
}

function overlaps(a: Float, b: Float): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/** The output planes to write into directly: none when either shares memory with an input part. */
export function writableC(t: ComplexTarget, ...inputs: (Float | null)[]): CPair | undefined {
  if (!t.re || !t.im) return undefined;
  const parts = inputs.filter((p): p is Float => p !== null);
  return parts.some((p) => overlaps(t.re!, p) || overlaps(t.im!, p)) ? undefined : { re: t.re, im: t.im };
}

/** The result as the caller asked for it: the computed planes, or copied into the output, with `shape` when nd. */
export function deliverC(t: ComplexTarget, data: CPair, shape: number[], nd: boolean): ComplexArray {
  let { re, im } = data;
  if (t.re && t.im && re !== t.re) {
    t.re.set(re);
    t.im.set(im);
    re = t.re;
    im = t.im;
  }
  return nd ? { re, im, shape } : { re, im };
}
