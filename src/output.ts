// The `output` option (scipy.ndimage's output=, and convcorr's extension of it to correlate and convolve): an array
// the caller owns that receives the result in place of a fresh one, or a dtype. A result that would share memory
// with an input is computed into a fresh array first and then copied in, as SciPy does.
import { product, type DType, type Float } from './arrays';
import { describe, rangeError, typeError } from './errors';

/** A checked `output` option: the array to write (its type sets the dtype), or just a dtype, or neither. */
export interface OutputTarget {
  array?: Float;
  dtype?: DType;
}

/**
 * Check `output` against the `dtype` option and the result's shape (`what` names that shape in messages, e.g.
 * "the input's shape"). Returns the dtype to compute in (undefined: the usual rule) and the array, if one was given.
 */
export function outputOption(op: string, output: unknown, dtype: unknown, shape: readonly number[], what: string): OutputTarget {
  // An unknown dtype is left for resultDtype to refuse with its own message.
  if (output === undefined || (dtype !== undefined && dtype !== 'float32' && dtype !== 'float64')) return { dtype: dtype as DType | undefined };
  const n = product(shape);
  let array: Float | undefined;
  let given: DType;
  if (output === 'float32' || output === 'float64') {
    given = output;
  } else if (output instanceof Float32Array || output instanceof Float64Array) {
    if (output.length !== n) throw rangeError(op, `output has length ${output.length} but ${what} [${shape.join(', ')}] holds ${n} elements`);
    array = output;
  } else if (output !== null && typeof output === 'object' && 'data' in output && 'shape' in output) {
    const nd = output as { data: unknown; shape: unknown };
    if (!(nd.data instanceof Float32Array || nd.data instanceof Float64Array)) {
      throw typeError(op, 'output.data', 'a Float32Array or Float64Array', nd.data);
    }
    if (!Array.isArray(nd.shape) || nd.shape.length !== shape.length || nd.shape.some((m, a) => m !== shape[a]) || nd.data.length !== n) {
      throw rangeError(op, `output must have ${what} [${shape.join(', ')}] and as many elements, got shape ${describe(nd.shape)} holding ${nd.data.length}`);
    }
    array = nd.data;
  } else {
    throw typeError(op, 'output', `a Float32Array, a Float64Array, an NDArray of ${what}, or 'float32' | 'float64'`, output);
  }
  if (array) given = array instanceof Float32Array ? 'float32' : 'float64';
  if (dtype !== undefined && dtype !== given!) throw rangeError(op, `output is ${given!} but dtype is '${dtype}'; give one of them, or make them agree`);
  return { array, dtype: given! };
}

/** The output array for the kernels to write straight into: none when it shares memory with one of the inputs. */
export function writable(t: OutputTarget, ...inputs: Float[]): Float | undefined {
  const a = t.array;
  return a && !inputs.some((b) => a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength) ? a : undefined;
}

/** The result as the caller asked for it: `data` itself, or copied into the output array. */
export function delivered(t: OutputTarget, data: Float): Float {
  if (!t.array || data === t.array) return data;
  t.array.set(data);
  return t.array;
}
