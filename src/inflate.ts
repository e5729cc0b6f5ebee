// A raw DEFLATE decoder (RFC 1951), after Jørgen Ibsen's tinf. The wasm builds are embedded deflated (their base64
// text compresses poorly: 40–47 KB gzip per build against 26–31 KB deflated); decoding must be synchronous for
// initSync(), which rules out DecompressionStream, and Node's zlib does not exist in browsers.

/** A canonical Huffman code: `counts[len]` codes of each length, `symbols` sorted by code. */
interface Code {
  counts: Uint16Array;
  symbols: Uint16Array;
}

function code(lengths: Uint8Array, n: number): Code {
  const counts = new Uint16Array(16);
  const symbols = new Uint16Array(n);
  const offs = new Uint16Array(16);
  for (let i = 0; i < n; i++) counts[lengths[i]]++;
  counts[0] = 0;
  for (let len = 1, sum = 0; len < 16; len++) {
    offs[len] = sum;
    sum += counts[len];
  }
  for (let i = 0; i < n; i++) if (lengths[i]) symbols[offs[lengths[i]]++] = i;
  return { counts, symbols };
}

// RFC 1951 §3.2.5: base lengths and distances of the length codes 257–285 and distance codes 0–29, extra bits each.
const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
  227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
  4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
/** The order in which code-length code lengths are sent (§3.2.7). */
const CLEN_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

let fixed: [Code, Code] | undefined;
/** The fixed codes of §3.2.6. */
function fixedCodes(): [Code, Code] {
  if (!fixed) {
    const l = new Uint8Array(288);
    l.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
    fixed = [code(l, 288), code(new Uint8Array(30).fill(5), 30)];
  }
  return fixed;
}

/**
 * Decode a raw DEFLATE stream whose decoded length is `size`.
 * @example inflateRaw(new Uint8Array([0x4b, 0x04, 0x00]), 1) // Uint8Array [97] ('a')
 */
export function inflateRaw(src: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let pos = 0; // next input byte
  let bits = 0; // bit buffer, least significant bit first
  let nbits = 0;
  let o = 0;
  const fail = (why: string): never => {
    throw new Error(`inflate: corrupt data (${why})`);
  };
  const need = (n: number): number => {
    while (nbits < n) {
      if (pos >= src.length) fail('input ends early');
      bits |= src[pos++] << nbits;
      nbits += 8;
    }
    const v = bits & ((1 << n) - 1);
    bits >>>= n;
    nbits -= n;
    return v;
  };
  const decode = (c: Code): number => {
    let first = 0; // first code of the current length
    let index = 0; // index of that code in `symbols`
    let value = 0;
    for (let len = 1; len < 16; len++) {
      value |= need(1);
      const count = c.counts[len];
      if (value - first < count) return c.symbols[index + value - first];
      index += count;
      first = (first + count) << 1;
      value <<= 1;
    }
    return fail('no such code');
  };

  let last = 0;
  while (!last) {
    last = need(1);
    const type = need(2);
    if (type === 0) {
      bits = 0; // stored block: skip to the byte boundary
      nbits = 0;
      if (pos + 4 > src.length) fail('input ends early');
      const len = src[pos] | (src[pos + 1] << 8);
      if ((len ^ (src[pos + 2] | (src[pos + 3] << 8))) !== 0xffff) fail('stored length check');
      pos += 4;
      if (pos + len > src.length || o + len > size) fail('stored block too long');
      out.set(src.subarray(pos, pos + len), o);
      pos += len;
      o += len;
      continue;
    }
    let lit: Code;
    let dist: Code;
    if (type === 1) {
      [lit, dist] = fixedCodes();
    } else if (type === 2) {
      const hlit = need(5) + 257;
      const hdist = need(5) + 1;
      const hclen = need(4) + 4;
      const cl = new Uint8Array(19);
      for (let i = 0; i < hclen; i++) cl[CLEN_ORDER[i]] = need(3);
      const clc = code(cl, 19);
      const lengths = new Uint8Array(hlit + hdist);
      for (let i = 0; i < hlit + hdist;) {
        const sym = decode(clc);
        if (sym < 16) {
          lengths[i++] = sym;
          continue;
        }
        let rep: number;
        let val = 0;
        if (sym === 16) {
          if (i === 0) fail('repeat with no previous length');
          val = lengths[i - 1];
          rep = 3 + need(2);
        } else if (sym === 17) {
          rep = 3 + need(3);
        } else {
          rep = 11 + need(7);
        }
        if (i + rep > hlit + hdist) fail('code lengths overflow');
        lengths.fill(val, i, i + rep);
        i += rep;
      }
      lit = code(lengths.subarray(0, hlit), hlit);
      dist = code(lengths.subarray(hlit), hdist);
    } else {
      return fail('block type 3');
    }
    for (;;) {
      const sym = decode(lit);
      if (sym < 256) {
        if (o >= size) fail('output longer than expected');
        out[o++] = sym;
      } else if (sym === 256) {
        break;
      } else {
        const li = sym - 257;
        if (li >= 29) fail('length code');
        const len = LEN_BASE[li] + need(LEN_EXTRA[li]);
        const di = decode(dist);
        if (di >= 30) fail('distance code');
        const d = DIST_BASE[di] + need(DIST_EXTRA[di]);
        if (d > o) fail('distance before the start');
        if (o + len > size) fail('output longer than expected');
        for (let k = 0; k < len; k++, o++) out[o] = out[o - d];
      }
    }
  }
  if (o !== size) fail(`${o} bytes decoded, ${size} expected`);
  return out;
}
