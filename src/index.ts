// convcorr: convolution and cross-correlation with the semantics of SciPy, NumPy and PyTorch.
export type { Float, NDArray, DType, Input, Numeric } from './arrays';
export { init, initSync, setBackend, getBackend, terminate, WasmUnavailableError } from './backend';
export type { Complex, ComplexArray } from './complex';
export type { BackendInfo, BackendName, InitOptions } from './backend';
export type { WasmVariant } from './wasm';
export { supportedVariants } from './wasm';
export { convolve, correlate, correlationLags, chooseConvMethod } from './signal';
export type { ChooseOptions, CorrelateOptions, MeasuredChoice, Mode, Method, SignalOptions } from './signal';
export * as numpy from './numpy';
export { conv1d, conv2d, conv3d } from './nn';
export type { ConvOptions, Layout, Padding, PaddingMode } from './nn';
export { prepareConv1d, prepareConv2d, prepareConv3d, PreparedConv } from './nn';
export type { PrepareOptions, RunOptions } from './nn';
export {
  conv1dGradInput, conv2dGradInput, conv3dGradInput, conv1dGradWeight, conv2dGradWeight, conv3dGradWeight,
  conv1dBackward, conv2dBackward, conv3dBackward,
} from './nn/grad';
export type { ConvGradients } from './nn/grad';
export { convTranspose1d, convTranspose2d, convTranspose3d } from './nn/transposed';
export type { ConvTransposeOptions } from './nn/transposed';
export { convolve2d, correlate2d } from './signal2d';
export type { Boundary, Signal2dOptions } from './signal2d';
export * as ndimage from './ndimage';
export { fftconvolve, oaconvolve } from './fftconv';
export type { FftConvOptions } from './fftconv';
export { matchTemplate, minMaxLoc, xcorr, findDelay } from './similarity';
export type { FindDelayOptions, Mask, MatchTemplateOptions, TemplateMethod, XcorrOptions, XcorrScale } from './similarity';
