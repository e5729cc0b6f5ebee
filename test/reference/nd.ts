// Index helpers shared by the slow references (test-owned, nothing from src/): C-order ravel/unravel and the
// boundary extensions, under scipy.ndimage's names (torch's padding modes map onto them: zeros → constant,
// reflect → mirror, replicate → nearest, circular → wrap).

export type Ext = 'constant' | 'reflect' | 'mirror' | 'nearest' | 'wrap';

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    idx[a] = i % shape[a];
    i = Math.floor(i / shape[a]);
  }
  return idx;
}

export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let i = 0;
  for (let a = 0; a < shape.length; a++) i = i * shape[a] + idx[a];
  return i;
}

/** The index of x (length n) that position i reads under the extension, or −1 for the constant. */
export function extIndex(i: number, n: number, mode: Ext): number {
  if (i >= 0 && i < n) return i;
  const mod = (a: number, p: number) => ((a % p) + p) % p;
  switch (mode) {
    case 'constant':
      return -1;
    case 'nearest':
      return i < 0 ? 0 : n - 1;
    case 'wrap':
      return mod(i, n);
    case 'reflect': {
      // d c b a | a b c d | d c b a
      const m = mod(i, 2 * n);
      return m < n ? m : 2 * n - 1 - m;
    }
    case 'mirror': {
      // d c b | a b c d | c b a
      if (n === 1) return 0;
      const m = mod(i, 2 * n - 2);
      return m < n ? m : 2 * n - 2 - m;
    }
  }
}

/** torch's padding_mode names as extensions. */
export const TORCH_EXT: Record<'zeros' | 'reflect' | 'replicate' | 'circular', Ext> = {
  zeros: 'constant', reflect: 'mirror', replicate: 'nearest', circular: 'wrap',
};
