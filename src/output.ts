// The `output` option (scipy.ndimage's output=, and convcorr's extension of it to correlate, convolve and the conv
// layers): an array the caller owns that receives the result in place of a fresh one, or a dtype. A result that
// would share memory with an input is computed into a fresh array first and then copied in, as SciPy does.
// Integer arrays receive the float result rounded to nearest, ties to even, and saturated to their range: OpenCV's
// saturate_cast (modules/core/include/opencv2/core/saturate.hpp), which is also ECMAScript's ToUint8Clamp for a
// Uint8ClampedArray (a canvas ImageData store). NaN stores 0.
import { isFloat, isNumeric, product, typedName, type DType, type Float, type Numeric } from './arrays';
import { describe, rangeError, typeError } from './errors';

/** A checked `output` option: the array to write, or just a dtype, or neither. */
export interface OutputTarget {
  array?: Numeric;
  /** The dtype to compute in (undefined: the usual rule). */
  dtype?: DType;
  /** The array is an integer array: it receives rounded, saturated values. */
  integer?: boolean;
}

const EXPECTED = "a typed array of numbers (Float32Array, Float64Array, Uint8ClampedArray, Int16Array, …)";

/**
 * Check `output` against the `dtype` option and the result's shape (`what` names that shape in messages, e.g.
 * "the input's shape"). A float array's type sets the dtype. An integer array computes in float64 (unless `dtype`
 * says otherwise), so its rounding sees the sum as SciPy's double accumulator does.
 */
export function outputOption(op: string, output: unknown, dtype: unknown, shape: readonly number[], what: string): OutputTarget {
  // An unknown dtype is left for resultDtype to refuse with its own message.
  if (output === undefined || (dtype !== undefined && dtype !== 'float32' && dtype !== 'float64')) return { dtype: dtype as DType | undefined };
  const n = product(shape);
  let array: Numeric | undefined;
  if (output === 'float32' || output === 'float64') {
    if (dtype !== undefined && dtype !== output) throw rangeError(op, `output is ${output} but dtype is '${dtype}'; give one of them, or make them agree`);
    return { dtype: output };
  } else if (isNumeric(output)) {
    if (output.length !== n) throw rangeError(op, `output has length ${output.length} but ${what} [${shape.join(', ')}] holds ${n} elements`);
    array = output;
  } else if (output !== null && typeof output === 'object' && 'data' in output && 'shape' in output) {
    const nd = output as { data: unknown; shape: unknown };
    if (!isNumeric(nd.data)) throw typeError(op, 'output.data', EXPECTED, nd.data);
    if (!Array.isArray(nd.shape) || nd.shape.length !== shape.length || nd.shape.some((m, a) => m !== shape[a]) || nd.data.length !== n) {
      throw rangeError(op, `output must have ${what} [${shape.join(', ')}] and as many elements, got shape ${describe(nd.shape)} holding ${nd.data.length}`);
    }
    array = nd.data;
  } else {
    throw typeError(op, 'output', `${EXPECTED.slice(0, -1)}, an NDArray of ${what}, or 'float32' | 'float64')`, output);
  }
  if (!isFloat(array)) return { array, dtype: (dtype as DType | undefined) ?? 'float64', integer: true };
  const given: DType = typedName(array) === 'Float32Array' ? 'float32' : 'float64';
  if (dtype !== undefined && dtype !== given) throw rangeError(op, `output is ${given} but dtype is '${dtype}'; give one of them, or make them agree`);
  return { array, dtype: given };
}

/**
 * The output array for the kernels to write straight into: a float array of the computed dtype that shares no memory
 * with the inputs (integer outputs take the rounded result afterwards, in `delivered`).
 */
export function writable(t: OutputTarget, ...inputs: readonly unknown[]): Float | undefined {
  const a = t.array;
  if (!a || t.integer || !isFloat(a)) return undefined;
  return inputs.some((b) => ArrayBuffer.isView(b) && overlaps(a, b)) ? undefined : a;
}

/** Whether two views share bytes. */
export function overlaps(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/** The result as the caller asked for it: `data` itself, or copied into the output array (rounded for integers). */
export function delivered(t: OutputTarget, data: Float): Float {
  const a = t.array;
  if (!a || (data as Numeric) === a) return data;
  if (t.integer) storeRounded(a, data, 0, 0, data.length);
  else (a as Float).set(data);
  return a as Float;
}

/** [min, max] of each integer typed array (by name, so arrays of any realm). */
const RANGES: Record<string, readonly [number, number]> = {
  Int8Array: [-128, 127], Uint8Array: [0, 255], Uint8ClampedArray: [0, 255], Int16Array: [-32768, 32767],
  Uint16Array: [0, 65535], Int32Array: [-2147483648, 2147483647], Uint32Array: [0, 4294967295],
};

/** The range of an integer typed array, or undefined for a float one. */
export function integerRange(a: Numeric): readonly [number, number] | undefined {
  return RANGES[typedName(a)!];
}

/**
 * dst[to + i] = saturate(roundHalfEven(src[from + i])) for i < n; NaN stores 0 (saturate_cast). A Uint8ClampedArray
 * store is exactly that already (ToUint8Clamp); float arrays take the values as they are.
 */
export function storeRounded(dst: Numeric, src: ArrayLike<number>, to: number, from: number, n: number): void {
  const r = integerRange(dst);
  const d = dst as unknown as { [i: number]: number };
  if (!r || typedName(dst) === 'Uint8ClampedArray') {
    for (let i = 0; i < n; i++) d[to + i] = src[from + i];
    return;
  }
  const [lo, hi] = r;
  for (let i = 0; i < n; i++) {
    const v = src[from + i];
    let q: number;
    if (v > lo) {
      if (v < hi) {
        q = Math.round(v);
        // Math.round takes ties up; ties go to the even neighbour.
        if (q - v === 0.5 && q % 2 !== 0) q -= 1;
      } else {
        q = hi;
      }
    } else {
      q = v <= lo ? lo : 0; // NaN fails both comparisons
    }
    d[to + i] = q;
  }
}
