// Broadcast product, the JS twin of assembly/bmul.ts. One 2-D block of an elementwise product of strided views
// (stride 0: the axis broadcasts):
//   out[r·cols + c] = a[r·aRow + c·aCol] · b[r·bRow + c·bCol]      r < rows, c < cols
import type { Float } from '../arrays';

export interface Family {
  bmul(mem: Float, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number,
    out: number, rows: number, cols: number): void;
}

function bmul(mem: Float, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number,
  out: number, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const ar = a + r * aRow;
    const br = b + r * bRow;
    const o = out + r * cols;
    for (let c = 0; c < cols; c++) mem[o + c] = mem[ar + c * aCol] * mem[br + c * bCol];
  }
}

export const js: Family = { bmul };
