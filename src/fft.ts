// FFT-based correlation and convolution: the FFT method lands with its own issue. Until then method 'fft' is
// refused with a clear error rather than silently computed another way.
import type { Float } from './arrays';
import type { DirectPlan } from './direct';

export function fftAvailable(): boolean {
  return false;
}

export function runFft(op: string, _backend: unknown, _plan: DirectPlan, _x: Float, _h: Float): Float {
  throw new Error(`${op}: method 'fft' is not available in this version; use method 'direct' or 'auto'`);
}
