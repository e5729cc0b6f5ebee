// Result types that follow the inputs and options (API.md "Types"): Float32Array inputs (or dtype: 'float32', or a
// Float32Array `output`) give a Float32Array, NDArray inputs an NDArray whose `data` has that precise type. Types
// only: nothing here exists at run time. Where the types cannot tell (a `Float` union, a dtype held in a variable
// typed `DType`), the result is the union, never a wrong precise type.
import type { Float, NDArray } from './arrays';

/** An NDArray whose data has a known type: what ops return for NDArray inputs. */
export type NDArrayOf<D extends Float> = NDArray & { data: D };

/** Typed arrays that count as float32 in the result rule (8- and 16-bit integers are exact in float32: NumPy). */
type F32Like = Float32Array | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array;
type F64Like = Float64Array | Int32Array | Uint32Array;

/** What one input says about the result: 'f32', 'f64', 'any' (cannot tell), or nothing (a number[], no dtype). */
type Kind<T> = [T] extends [readonly number[]] ? never
  : [T extends { data: infer D } ? D : T] extends [F32Like] ? 'f32'
  : [T extends { data: infer D } ? D : T] extends [F64Like] ? 'f64' : 'any';

/** The data type the inputs give: float64 when any counts as float64 or none has a dtype; float32 when all say so. */
type FromInputs<K> = [K] extends [never] ? Float64Array : 'f64' extends K ? Float64Array : 'any' extends K ? Float
  : Float32Array;

type OutputData<X> = [X] extends [Float32Array | 'float32' | { data: Float32Array }] ? Float32Array
  : [X] extends [Float64Array | 'float64' | { data: Float64Array }] ? Float64Array : Float;

/** The result's data type: `output` first, then `dtype`, then the inputs. */
export type ResultData<O, K> = 'output' extends keyof O ? ([O['output' & keyof O]] extends [undefined] ? FromDtype<O, K> : OutputData<O['output' & keyof O]>)
  : FromDtype<O, K>;
type FromDtype<O, K> = 'dtype' extends keyof O
  ? [O['dtype' & keyof O]] extends ['float32'] ? Float32Array
    : [O['dtype' & keyof O]] extends ['float64'] ? Float64Array
      : [O['dtype' & keyof O]] extends [undefined] ? FromInputs<K> : Float
  : FromInputs<K>;

/** 'nd' for an NDArray, 'plain' for a plain array, 'either' where the type allows both. */
type Form<T> = [T] extends [{ shape: readonly number[] }] ? 'nd' : [T] extends [ArrayLike<number>] ? 'plain' : 'either';

/** An NDArray when any input is one, the plain typed array when none is, else either. */
type Shaped<F, D extends Float> = 'nd' extends F ? NDArrayOf<D> : 'either' extends F ? D | NDArrayOf<D> : D;

/** A `bias` option is an array input too (conv layers). */
type BiasKind<O> = 'bias' extends keyof O ? Kind<Exclude<O['bias' & keyof O], undefined>> : never;

/** The result's data type for array inputs A, B (and C) with options O. */
export type DataOf<A, B, O, C = never> = ResultData<O, Kind<A> | Kind<B> | Kind<C> | BiasKind<O>>;

/** The result of an op of two array inputs A and B with options O: plain or NDArray as the inputs are. */
export type Result<A, B, O> = Shaped<Form<A> | Form<B>, DataOf<A, B, O>>;

/** The NDArray result of an op whose result is always an NDArray (2-D signal ops, conv layers, gradients). */
export type NDResult<A, B, O, C = never> = NDArrayOf<DataOf<A, B, O, C>>;

/** conv{1,2,3}dBackward's result with the precise data type of every gradient. */
export interface ConvGradientsOf<D extends Float> {
  gradInput: NDArrayOf<D>;
  gradWeight: NDArrayOf<D>;
  gradBias?: D;
}

/** Refuses option names the options type does not have (a generic options parameter loses excess-property checks). */
export type Exact<O, Allowed> = O & Record<Exclude<keyof O, keyof Allowed>, never>;
