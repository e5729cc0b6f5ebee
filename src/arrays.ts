// Input normalisation and output wrapping: the only place that knows the accepted input forms (API.md "Data").
import { integer, rangeError, typeError } from './errors';

export type Float = Float32Array | Float64Array;
export type DType = 'float32' | 'float64';

/** A C-order, contiguous N-D array: `data.length === product(shape)`. */
export interface NDArray {
  data: Float;
  shape: readonly number[];
}

/** Anything an op accepts as an array. */
export type ArrayLike1D = Float | number[];
export type Input = ArrayLike1D | NDArray;

/** An input after validation: its data (never copied here), its shape, and whether it came as an NDArray. */
export interface Tensor {
  data: Float | number[];
  shape: number[];
  nd: boolean;
}

export const DTYPES = ['float32', 'float64'] as const;

export function product(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

export function stridesOf(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    st[a] = s;
    s *= shape[a];
  }
  return st;
}

function isFloat(v: unknown): v is Float {
  return v instanceof Float32Array || v instanceof Float64Array;
}

/** Validate one array argument. Empty arrays are refused: no reference op defines a result for them. */
export function asTensor(op: string, name: string, v: unknown, allowEmpty = false): Tensor {
  let t: Tensor;
  if (isFloat(v)) {
    t = { data: v, shape: [v.length], nd: false };
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      if (typeof v[i] !== 'number') throw typeError(op, `${name}[${i}]`, 'a number', v[i]);
    }
    t = { data: v as number[], shape: [v.length], nd: false };
  } else if (v !== null && typeof v === 'object' && 'data' in v && 'shape' in v) {
    const { data, shape } = v as { data: unknown; shape: unknown };
    if (!isFloat(data)) throw typeError(op, `${name}.data`, 'a Float32Array or Float64Array', data);
    if (!Array.isArray(shape)) throw typeError(op, `${name}.shape`, 'an array of integers', shape);
    shape.forEach((s, a) => integer(op, `${name}.shape[${a}]`, s, 0));
    if (product(shape) !== data.length) {
      throw rangeError(op, `${name}.data has length ${data.length} but ${name}.shape [${shape.join(', ')}] holds ${product(shape)} elements`);
    }
    t = { data, shape: shape.slice(), nd: true };
  } else {
    throw typeError(op, name, 'a Float32Array, Float64Array, number[] or NDArray { data, shape }', v);
  }
  if (t.shape.length === 0) throw rangeError(op, `${name} must have rank ≥ 1, got a 0-d array`);
  if (!allowEmpty && product(t.shape) === 0) throw rangeError(op, `${name} is empty (shape [${t.shape.join(', ')}])`);
  return t;
}

/** API.md: float32 when every array input is a Float32Array, else float64; `dtype` overrides. */
export function resultDtype(op: string, dtype: unknown, ...inputs: Tensor[]): DType {
  if (dtype !== undefined) {
    if (dtype !== 'float32' && dtype !== 'float64') throw typeError(op, 'dtype', "'float32' or 'float64'", dtype);
    return dtype;
  }
  return inputs.every((t) => t.data instanceof Float32Array) ? 'float32' : 'float64';
}

export function ctorOf(dtype: DType): Float32ArrayConstructor | Float64ArrayConstructor {
  return dtype === 'float32' ? Float32Array : Float64Array;
}

/** The result in the form of the inputs: an NDArray when any input was one, else the plain typed array. */
export function wrap(data: Float, shape: number[], nd: boolean): Float | NDArray {
  return nd ? { data, shape } : data;
}

interface NodeBuffer {
  allocUnsafeSlow(bytes: number): Uint8Array<ArrayBuffer>;
}

/**
 * A fresh typed array whose every element the caller overwrites. Node's Buffer.allocUnsafeSlow skips the zero fill
 * (a tenth of a 3×3 filter's time at 1024²) and owns its ArrayBuffer alone; elsewhere a plain typed array.
 */
export function uninitialized(dtype: DType, n: number): Float {
  const Ctor = ctorOf(dtype);
  const B = (globalThis as { Buffer?: NodeBuffer }).Buffer;
  if (B && typeof B.allocUnsafeSlow === 'function' && n >= 4096) {
    const bytes = B.allocUnsafeSlow(n * Ctor.BYTES_PER_ELEMENT);
    if (bytes.byteOffset === 0 && bytes.buffer.byteLength === n * Ctor.BYTES_PER_ELEMENT) return new Ctor(bytes.buffer, 0, n);
  }
  return new Ctor(n);
}

/** Whether any value is NaN or ±Infinity: x·0 is 0 for every finite x and NaN otherwise (four sums, no branch). */
export function anyNonFinite(d: ArrayLike<number>): boolean {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = d.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += d[i] * 0;
    s1 += d[i + 1] * 0;
    s2 += d[i + 2] * 0;
    s3 += d[i + 3] * 0;
  }
  for (; i < n; i++) s0 += d[i] * 0;
  return s0 + s1 + s2 + s3 !== 0;
}
