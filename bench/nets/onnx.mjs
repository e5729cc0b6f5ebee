// A minimal ONNX (protobuf) writer for a graph of Conv nodes with bias (the nets suite's onnxruntime-web models):
// every weight and bias an initializer, the named graph inputs, and every output no node consumes as a graph output.
function varint(n) {
  const out = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}
const tag = (field, wire) => varint((field << 3) | wire);
const fInt = (field, n) => [...tag(field, 0), ...varint(n)];
const fBytes = (field, bytes) => {
  const head = [...tag(field, 2), ...varint(bytes.length)];
  const out = new Uint8Array(head.length + bytes.length);
  out.set(head);
  out.set(bytes, head.length);
  return out;
};
const fStr = (field, s) => fBytes(field, new TextEncoder().encode(s));
const cat = (...parts) => {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const u8 = (a) => Uint8Array.from(a);

function tensorProto(name, dims, data) {
  return cat(...dims.map((d) => u8(fInt(1, d))), u8(fInt(2, 1 /* FLOAT */)), fStr(8, name),
    fBytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
}
function valueInfo(name, dims) {
  const shape = cat(...dims.map((d) => fBytes(1, u8(fInt(1, d)))));
  const tensorType = cat(u8(fInt(1, 1 /* FLOAT */)), fBytes(2, shape));
  return cat(fStr(1, name), fBytes(2, fBytes(1, tensorType)));
}
const attrInts = (name, ints) => cat(fStr(1, name), ...ints.map((i) => u8(fInt(8, i))), u8(fInt(20, 7 /* INTS */)));
const attrInt = (name, i) => cat(fStr(1, name), u8(fInt(3, i)), u8(fInt(20, 2 /* INT */)));

/**
 * Model bytes for a graph of 2-D Conv nodes. `inputs`: [{ name, shape }]; `convs`: [{ x, y, w, wShape, b, stride,
 * pad, groups }] (x, y tensor names; w [Cout, Cin/groups, k, k] and b [Cout] float32); `outputs`: [{ name, shape }].
 */
export function convGraph({ inputs, convs, outputs }) {
  const nodes = [];
  const inits = [];
  convs.forEach((c, i) => {
    const k = c.wShape.slice(2);
    nodes.push(fBytes(1, cat(fStr(1, c.x), fStr(1, `W${i}`), fStr(1, `B${i}`), fStr(2, c.y), fStr(3, `conv${i}`), fStr(4, 'Conv'),
      fBytes(5, attrInts('kernel_shape', k)), fBytes(5, attrInts('strides', k.map(() => c.stride))),
      fBytes(5, attrInts('pads', [...k.map(() => c.pad), ...k.map(() => c.pad)])),
      fBytes(5, attrInts('dilations', k.map(() => 1))), fBytes(5, attrInt('group', c.groups)))));
    inits.push(fBytes(5, tensorProto(`W${i}`, c.wShape, c.w)), fBytes(5, tensorProto(`B${i}`, [c.wShape[0]], c.b)));
  });
  const graph = cat(...nodes, fStr(2, 'g'), ...inits, ...inputs.map((v) => fBytes(11, valueInfo(v.name, v.shape))),
    ...outputs.map((v) => fBytes(12, valueInfo(v.name, v.shape))));
  const opset = cat(fStr(1, ''), u8(fInt(2, 13)));
  return cat(u8(fInt(1, 8 /* IR version */)), fStr(2, 'convcorr-bench'), fBytes(8, opset), fBytes(7, graph));
}
