// A minimal ONNX (protobuf) writer for the onnxruntime-web models of the benchmarks: a graph of Conv (or
// ConvTranspose) nodes, every weight and bias an initializer, the named graph inputs and outputs.
function varint(n) {
  const out = [];
  let v = BigInt(n);
  if (v < 0n) v += 1n << 64n; // protobuf int64: negatives as 64-bit two's complement
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
 * Model bytes for a graph of Conv nodes (or `opType` nodes: 'ConvTranspose'). `inputs`: [{ name, shape }]; `convs`:
 * [{ x, y, w, wShape, b?, stride, pad, groups }] (x, y tensor names; w float32 [Cout, Cin/groups, ...k] for Conv,
 * [Cin, Cout/groups, ...k] for ConvTranspose; b [Cout] float32, or none); `outputs`: [{ name, shape }].
 */
export function convGraph({ inputs, convs, outputs, opType = 'Conv' }) {
  const nodes = [];
  const inits = [];
  convs.forEach((c, i) => {
    const k = c.wShape.slice(2);
    const { stride = 1, pad = 0, groups = 1 } = c;
    const bias = c.b ? [fStr(1, `B${i}`)] : [];
    nodes.push(fBytes(1, cat(fStr(1, c.x), fStr(1, `W${i}`), ...bias, fStr(2, c.y), fStr(3, `conv${i}`), fStr(4, opType),
      fBytes(5, attrInts('kernel_shape', k)), fBytes(5, attrInts('strides', k.map(() => stride))),
      fBytes(5, attrInts('pads', [...k.map(() => pad), ...k.map(() => pad)])),
      fBytes(5, attrInts('dilations', k.map(() => 1))), fBytes(5, attrInt('group', groups)))));
    inits.push(fBytes(5, tensorProto(`W${i}`, c.wShape, c.w)));
    if (c.b) inits.push(fBytes(5, tensorProto(`B${i}`, [c.b.length], c.b)));
  });
  const graph = cat(...nodes, fStr(2, 'g'), ...inits, ...inputs.map((v) => fBytes(11, valueInfo(v.name, v.shape))),
    ...outputs.map((v) => fBytes(12, valueInfo(v.name, v.shape))));
  const opset = cat(fStr(1, ''), u8(fInt(2, 13)));
  return cat(u8(fInt(1, 8 /* IR version */)), fStr(2, 'convcorr-bench'), fBytes(8, opset), fBytes(7, graph));
}

/** Model bytes for Y = opType(X, W), one node, no bias: X [N, C, ...S] → Y. */
function oneNodeModel(opType, { w, wShape, xShape, yShape, stride = 1, pad = 0, groups = 1 }) {
  return convGraph({
    opType, inputs: [{ name: 'X', shape: xShape }], outputs: [{ name: 'Y', shape: yShape }],
    convs: [{ x: 'X', y: 'Y', w, wShape, stride, pad, groups }],
  });
}

/** ONNX Conv: weight [Cout, Cin/groups, ...k], input X [N, Cin, ...S], output Y [N, Cout, ...S']. */
export const onnxConv = (m) => oneNodeModel('Conv', m);
/** ONNX ConvTranspose: weight [Cin, Cout/groups, ...k] (a forward Conv weight read backwards), X → Y as for Conv. */
export const onnxConvTranspose = (m) => oneNodeModel('ConvTranspose', m);
