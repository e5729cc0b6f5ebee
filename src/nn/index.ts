// Neural-network layers with torch.nn.functional semantics (API.md "Neural-network layers").
import type { Exact, NDResult } from '../types';
import type { NDArray, Numeric } from '../arrays';
import { convNd, type ConvOptions } from './conv';
import { prepareConvNd, type PreparedConv, type PrepareOptions } from './prepared';
import { withWarmUp } from '../backend';

// init() runs a small float32 conv layer ahead, so the first real one pays no lazy compile (backend.ts `withWarmUp`).
const convLayer = /* @__PURE__ */ withWarmUp(convNd, () => {
  conv2d({ data: new Float32Array(8 * 16 * 16), shape: [1, 8, 16, 16] }, { data: new Float32Array(8 * 8 * 9), shape: [8, 8, 3, 3] }, { padding: 1 });
});

export type { ConvOptions } from './conv';
export type { ConvPlan, GeometryOptions, Layout, Padding, PaddingMode } from './plan';
export { planConv } from './plan';
export { PreparedConv, type PrepareOptions, type RunOptions } from './prepared';

/**
 * 1-D convolution layer as torch.nn.functional.conv1d (a cross-correlation; `flip: true` for true convolution).
 * Input [N, C, L], weight [Cout, C/groups, k] (channels-last: [N, L, C] and [k, C/groups, Cout]).
 * @example conv1d({ data: new Float32Array([1, 2, 3, 4]), shape: [1, 1, 4] }, { data: new Float32Array([1, -1]), shape: [1, 1, 2] })
 * // → { data: Float32Array [-1, -1, -1], shape: [1, 1, 3] }
 */
export function conv1d<A extends NDArray<Numeric>, B extends NDArray<Numeric>, O extends ConvOptions = {}>(input: A, weight: B, opts?: Exact<O, ConvOptions>): NDResult<A, B, O>;
export function conv1d(input: NDArray<Numeric>, weight: NDArray<Numeric>, opts?: ConvOptions): NDArray;
export function conv1d(input: NDArray<Numeric>, weight: NDArray<Numeric>, opts?: ConvOptions): NDArray {
  return convLayer('conv1d', 1, input, weight, opts);
}

/**
 * 2-D convolution layer as torch.nn.functional.conv2d. Input [N, C, H, W], weight [Cout, C/groups, kH, kW]
 * (channels-last: [N, H, W, C] and [kH, kW, C/groups, Cout], as TensorFlow).
 * @example conv2d(x, w, { padding: 'same', bias: [0.5] })  // x [1, 3, 32, 32], w [1, 3, 3, 3] → [1, 1, 32, 32]
 */
export function conv2d<A extends NDArray<Numeric>, B extends NDArray<Numeric>, O extends ConvOptions = {}>(input: A, weight: B, opts?: Exact<O, ConvOptions>): NDResult<A, B, O>;
export function conv2d(input: NDArray<Numeric>, weight: NDArray<Numeric>, opts?: ConvOptions): NDArray;
export function conv2d(input: NDArray<Numeric>, weight: NDArray<Numeric>, opts?: ConvOptions): NDArray {
  return convLayer('conv2d', 2, input, weight, opts);
}

/**
 * 3-D convolution layer as torch.nn.functional.conv3d. Input [N, C, D, H, W], weight [Cout, C/groups, kD, kH, kW]
 * (channels-last: [N, D, H, W, C] and [kD, kH, kW, C/groups, Cout]).
 * @example conv3d(x, w, { stride: [1, 2, 2], padding: 1 })
 */
export function conv3d<A extends NDArray<Numeric>, B extends NDArray<Numeric>, O extends ConvOptions = {}>(input: A, weight: B, opts?: Exact<O, ConvOptions>): NDResult<A, B, O>;
export function conv3d(input: NDArray<Numeric>, weight: NDArray<Numeric>, opts?: ConvOptions): NDArray;
export function conv3d(input: NDArray<Numeric>, weight: NDArray<Numeric>, opts?: ConvOptions): NDArray {
  return convLayer('conv3d', 3, input, weight, opts);
}

/**
 * A conv1d layer with its weights packed once: `run(input, { output })` computes conv1d(input, weight, opts) without
 * packing the weights again; `update(weight, bias?)` packs new ones; `dispose()` frees them now (else the garbage
 * collector does). Options as conv1d's, but `output`, which goes to `run`.
 * @example const layer = prepareConv1d(w, { padding: 1, bias }); const y = layer.run(x); layer.dispose();
 */
export function prepareConv1d(weight: NDArray, opts?: PrepareOptions): PreparedConv {
  return prepareConvNd('prepareConv1d', 1, weight, opts);
}

/**
 * A conv2d layer with its weights packed once (GEMM panels, Winograd's transformed weights, depthwise vectors):
 * `layer.run(x)` equals conv2d(x, weight, opts) bit for bit, minus the packing. See prepareConv1d.
 * @example const layer = prepareConv2d(w, { padding: 1, bias }); for (const x of batches) layer.run(x); layer.dispose();
 */
export function prepareConv2d(weight: NDArray, opts?: PrepareOptions): PreparedConv {
  return prepareConvNd('prepareConv2d', 2, weight, opts);
}

/**
 * A conv3d layer with its weights packed once. See prepareConv1d.
 * @example const layer = prepareConv3d(w, { stride: [1, 2, 2] }); const y = layer.run(x);
 */
export function prepareConv3d(weight: NDArray, opts?: PrepareOptions): PreparedConv {
  return prepareConvNd('prepareConv3d', 3, weight, opts);
}

