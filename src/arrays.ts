// Input normalisation and output wrapping: the only place that knows the accepted input forms (API.md "Data").
import { integer, rangeError, typeError } from './errors';

export type Float = Float32Array | Float64Array;
export type DType = 'float32' | 'float64';

/** Float16Array where the engine has one (ES2025); `never` in type checks against older libs. */
type Float16 = typeof globalThis extends { Float16Array: abstract new (...a: never[]) => infer T } ? T : never;

/**
 * Every typed array an op reads as numbers (API.md "Inputs of every numeric type"): the float arrays, the integer
 * arrays (`ImageData.data`, decoded audio, file bytes) and Float16Array where present. Integers are read as numbers:
 * nothing is computed in integer arithmetic.
 */
export type Numeric =
  | Float | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array | Float16;

/** A C-order, contiguous N-D array: `data.length === product(shape)`. Results have float data; inputs any Numeric. */
export interface NDArray<D extends Numeric = Float> {
  data: D;
  shape: readonly number[];
}

/** Anything an op accepts as an array. */
export type ArrayLike1D = Numeric | number[];
export type Input = ArrayLike1D | NDArray<Numeric>;

/**
 * How an input counts in the result's dtype, NumPy's promotion with float32: 8- and 16-bit integers and float16 as
 * float32, 32-bit integers as float64 (np.result_type(np.int16, np.float32) is float32, int32's is float64). A plain
 * number[] has no dtype of its own ('plain'): it takes the typed inputs' dtype, float64 when there are none.
 */
export type Kind = 'float32' | 'float64' | 'plain';

/** An input after validation: its data (never copied here), its shape, and whether it came as an NDArray. */
export interface Tensor {
  /**
   * Typed arrays of every Numeric kind pass through as they came, never copied: the type says Float because the
   * drivers only read them element-wise or by TypedArray#set into scratch, which converts any Numeric to the dtype.
   */
  data: Float | number[];
  shape: number[];
  nd: boolean;
  kind: Kind;
}

/** Typed array names by how they promote. Recognised by the [[TypedArrayName]] tag, so arrays from another realm
 * (a node:vm context, an iframe) count too: `instanceof` would refuse them. */
const KINDS: Record<string, 'float32' | 'float64'> = {
  Float32Array: 'float32', Float16Array: 'float32', Int8Array: 'float32', Uint8Array: 'float32',
  Uint8ClampedArray: 'float32', Int16Array: 'float32', Uint16Array: 'float32',
  Float64Array: 'float64', Int32Array: 'float64', Uint32Array: 'float64',
};

/**
 * %TypedArray%.prototype[Symbol.toStringTag]: the [[TypedArrayName]] of a typed array of any realm, undefined for
 * anything else (a DataView, an ArrayBuffer, a plain object). Called directly, it is about 10× cheaper than
 * Object.prototype.toString, which every op paid several times per call.
 */
const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!.get!;

/** The typed-array name of v (`'Uint8ClampedArray'`, …), from any realm, or undefined for anything else. */
export function typedName(v: unknown): string | undefined {
  return typedArrayTag.call(v) as string | undefined;
}

/** Whether v is a Numeric typed array (BigInt64Array, DataView and the like are not). */
export function isNumeric(v: unknown): v is Numeric {
  const n = typedName(v);
  return n !== undefined && Object.prototype.hasOwnProperty.call(KINDS, n);
}

/** The promotion kind of a Numeric typed array. */
export function kindOf(v: Numeric): 'float32' | 'float64' {
  return KINDS[typedName(v)!];
}

/** Whether v is a Float32Array or Float64Array of any realm. */
export function isFloat(v: unknown): v is Float {
  const n = typedName(v);
  return n === 'Float32Array' || n === 'Float64Array';
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

/** Validate one array argument. Empty arrays are refused: no reference op defines a result for them. */
export function asTensor(op: string, name: string, v: unknown, allowEmpty = false): Tensor {
  let t: Tensor;
  const expected = 'a typed array of numbers (Float32Array, Float64Array, Uint8Array, Int16Array, …), number[] or NDArray { data, shape }';
  if (isNumeric(v)) {
    t = { data: v as Float, shape: [v.length], nd: false, kind: kindOf(v) };
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      if (typeof v[i] !== 'number') throw typeError(op, `${name}[${i}]`, 'a number', v[i]);
    }
    t = { data: v as number[], shape: [v.length], nd: false, kind: 'plain' };
  } else if (v !== null && typeof v === 'object' && 'data' in v && 'shape' in v) {
    const { data, shape } = v as { data: unknown; shape: unknown };
    if (!isNumeric(data)) throw typeError(op, `${name}.data`, 'a typed array of numbers (Float32Array, Float64Array, Uint8Array, Int16Array, …)', data);
    if (!Array.isArray(shape)) throw typeError(op, `${name}.shape`, 'an array of integers', shape);
    shape.forEach((s, a) => integer(op, `${name}.shape[${a}]`, s, 0));
    if (product(shape) !== data.length) {
      throw rangeError(op, `${name}.data has length ${data.length} but ${name}.shape [${shape.join(', ')}] holds ${product(shape)} elements`);
    }
    t = { data: data as Float, shape: shape.slice(), nd: true, kind: kindOf(data) };
  } else {
    throw typeError(op, name, expected, v);
  }
  if (t.shape.length === 0) throw rangeError(op, `${name} must have rank ≥ 1, got a 0-d array`);
  if (!allowEmpty && product(t.shape) === 0) throw rangeError(op, `${name} is empty (shape [${t.shape.join(', ')}])`);
  return t;
}

/**
 * API.md: float32 when every typed input counts as float32 (Float32Array, 8/16-bit integers, Float16Array) and
 * there is at least one; float64 otherwise. Plain number[] inputs follow the typed ones (see Kind). `dtype` overrides.
 */
export function resultDtype(op: string, dtype: unknown, ...inputs: Tensor[]): DType {
  if (dtype !== undefined) {
    if (dtype !== 'float32' && dtype !== 'float64') throw typeError(op, 'dtype', "'float32' or 'float64'", dtype);
    return dtype;
  }
  const typed = inputs.filter((t) => t.kind !== 'plain');
  return typed.length > 0 && typed.every((t) => t.kind === 'float32') ? 'float32' : 'float64';
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
