// Differential fuzzer, part 2: replay the cases written by scripts/fuzz_refs.py through convcorr.
//
//   node scripts/fuzz_refs.mjs CASES.json [--backend js|wasm] [--only op,op] [--verbose]
//
// Every case runs on backend 'js' and 'wasm' (option `backend`). Checks: no throw (every case is a
// legal input), output shape exactly, output dtype by API.md's rule (Float32Array iff every array input
// is a Float32Array; `dtype` overrides), plain typed array for plain 1-D inputs, values within a tolerance
// relative to max|expected| (1e-9 float64, 1e-4 float32), correlationLags exactly, inputs unmodified.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cc = await import(resolve(here, '..', 'dist', 'index.js'));

const argv = process.argv.slice(2);
const withValue = new Set(['--backend', '--only']);
const file = argv.find((a, i) => !a.startsWith('--') && !withValue.has(argv[i - 1]));
const flag = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
// --backend default: no backend option (whatever init() chose); --no-init: never call init()
const backends = flag('--backend') ? [flag('--backend')] : ['js', 'wasm'];
const only = flag('--only') ? new Set(flag('--only').split(',')) : null;
const verbose = argv.includes('--verbose');
const noInit = argv.includes('--no-init');
const { cases, seed } = JSON.parse(readFileSync(file, 'utf8'));
// non-finite values are stored as strings
const num = (v) => (typeof v === 'string' ? Number(v) : v);
for (const c of cases) {
  const fix = (e) => { if (e && Array.isArray(e.data)) e.data = e.data.map(num); };
  for (const a of c.args) if (a.arr) fix(a.arr);
  if (c.opts) for (const v of Object.values(c.opts)) if (v && v.arr) fix(v.arr);
  if (c.expected.data) fix(c.expected); else Object.values(c.expected).forEach(fix);
}
if (!noInit) await cc.init();

function resolveOp(name) {
  const parts = name.split('.');
  let f = cc;
  for (const p of parts) f = f[p];
  if (typeof f !== 'function') throw new Error(`no op ${name}`);
  return f;
}

function decodeArr(a) {
  const { arr, dt, kind } = a;
  if (kind === 'list') return arr.data.slice();
  const data = dt === 'f32' ? Float32Array.from(arr.data) : Float64Array.from(arr.data);
  if (kind === 'typed') return data;
  return { data, shape: Object.freeze(arr.shape.slice()) }; // shapes are readonly number[]
}
function deepFreeze(o) {
  if (o && typeof o === 'object' && !ArrayBuffer.isView(o)) { Object.values(o).forEach(deepFreeze); Object.freeze(o); }
  return o;
}
const isArr = (v) => v && typeof v === 'object' && 'arr' in v;
const decodeArg = (a) => (isArr(a) ? decodeArr(a) : structuredClone(a.val));

function snapshot(v) {
  if (Array.isArray(v)) return v.slice();
  if (ArrayBuffer.isView(v)) return v.slice();
  if (v && typeof v === 'object' && v.data) return { data: v.data.slice(), shape: v.shape.slice() };
  return structuredClone(v);
}
function same(a, b) {
  const da = a?.data ?? a, db = b?.data ?? b;
  if (da == null || typeof da !== 'object') return JSON.stringify(a) === JSON.stringify(b);
  if (da.length !== db.length) return false;
  for (let i = 0; i < da.length; i++) if (!Object.is(da[i], db[i])) return false;
  return true;
}

// compare one output array (NDArray or plain typed array) with an encoded {shape, data}
function compare(got, exp, wantDtype, plain, label) {
  const problems = [];
  let data, shape;
  if (plain) {
    if (!ArrayBuffer.isView(got)) problems.push(`${label}: expected a plain typed array, got ${got?.constructor?.name}`);
    data = ArrayBuffer.isView(got) ? got : got?.data;
    shape = data ? [data.length] : null;
  } else {
    if (!got || !ArrayBuffer.isView(got.data) || !Array.isArray(got.shape) && !ArrayBuffer.isView(got.shape)) {
      problems.push(`${label}: expected an NDArray, got ${got?.constructor?.name}`);
      data = ArrayBuffer.isView(got) ? got : got?.data;
      shape = data ? [data.length] : null;
    } else { data = got.data; shape = Array.from(got.shape); }
  }
  if (!data) return { problems: [...problems, `${label}: no data`], err: Infinity, shape };
  const ctor = { float32: 'Float32Array', float64: 'Float64Array', int32: 'Int32Array' }[wantDtype];
  if (data.constructor.name !== ctor) problems.push(`${label}: dtype ${data.constructor.name}, expected ${ctor}`);
  if (JSON.stringify(shape) !== JSON.stringify(exp.shape)) {
    problems.push(`${label}: shape ${JSON.stringify(shape)} expected ${JSON.stringify(exp.shape)}`);
    return { problems, err: Infinity, shape };
  }
  if (data.length !== exp.data.length) {
    problems.push(`${label}: data.length ${data.length} expected ${exp.data.length}`);
    return { problems, err: Infinity, shape };
  }
  let maxAbs = 0, maxErr = 0, at = -1;
  for (const v of exp.data) if (Number.isFinite(v)) maxAbs = Math.max(maxAbs, Math.abs(v));
  for (let i = 0; i < data.length; i++) {
    const x = exp.data[i], y = data[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) { // NaN where NaN, the same infinity
      if (!Object.is(x, y) && !(Number.isNaN(x) && Number.isNaN(y))) { maxErr = Infinity; at = i; break; }
      continue;
    }
    const e = Math.abs(y - x);
    if (e > maxErr) { maxErr = e; at = i; }
  }
  const rel = maxErr / Math.max(maxAbs, 1e-300);
  if (wantDtype === 'int32') {
    if (maxErr !== 0) problems.push(`${label}: values differ at ${at}: got ${data[at]} expected ${exp.data[at]}`);
  } else {
    const tol = data.constructor === Float32Array ? 1e-4 : 1e-9;
    if (maxErr === Infinity || (maxAbs === 0 ? maxErr > tol : rel > tol)) {
      problems.push(`${label}: max rel err ${rel.toExponential(2)} (abs ${maxErr.toExponential(2)} at ${at}: got ${data[at]} expected ${exp.data[at]}, max|exp| ${maxAbs.toPrecision(4)})`);
    }
  }
  return { problems, err: rel, shape, data };
}
// outputs never alias an input or the wasm heap
function aliasCheck(outData, inputs, label) {
  const p = [];
  if (!outData) return p;
  for (const a of inputs) {
    const d = ArrayBuffer.isView(a) ? a : a?.data;
    if (ArrayBuffer.isView(d) && d.buffer === outData.buffer) p.push(`${label} shares its buffer with an input`);
  }
  if (typeof WebAssembly !== 'undefined' && outData.buffer.byteLength > outData.byteLength + 65536) {
    p.push(`${label} is a view on a ${outData.buffer.byteLength}-byte buffer (wasm heap?)`);
  }
  return p;
}

const compact = (c) => {
  const a = c.args.map((x) => (isArr(x) ? `${x.kind}${x.dt === 'f32' ? 'f32' : x.kind === 'list' ? '' : 'f64'}${JSON.stringify(x.arr.shape)}` : JSON.stringify(x.val)));
  const o = c.opts ? Object.fromEntries(Object.entries(c.opts).map(([k, v]) => [k, isArr(v) ? `${v.kind}${v.dt}[${v.arr.shape}]` : v])) : null;
  return `${c.op}(${a.join(', ')}${o ? ', ' + JSON.stringify(o) : ''})`;
};

const perOp = new Map();
const mismatches = [];
const t0 = Date.now();
for (const c of cases) {
  if (only && !only.has(c.op)) continue;
  const st = perOp.get(c.op) ?? { cases: 0, runs: 0, bad: 0, threw: 0, nonfin: 0, nonfinBad: 0, maxErr: 0, maxErr64: 0 };
  perOp.set(c.op, st);
  st.cases++;
  if (c.nonfinite) st.nonfin++;
  const f = resolveOp(c.op);
  for (const backend of backends) {
    st.runs++;
    const args = c.args.map(decodeArg);
    let opts;
    if (c.opts) {
      opts = {};
      for (const [k, v] of Object.entries(c.opts)) {
        // an output array (ndimage's output=, correlate's and convolve's): a fresh one of the asked type, which the
        // result must be written into
        // ('auto': the result's dtype by the API's rule, which the case's expected dtype is)
        if (v && v.alloc) opts[k] = (v.alloc === 'f32' || (v.alloc === 'auto' && c.dtype === 'float32')) ? new Float32Array(v.n).fill(NaN) : new Float64Array(v.n).fill(NaN);
        else opts[k] = isArr(v) ? decodeArr(v) : structuredClone(v);
      }
      if (backend !== 'default') opts.backend = backend;
      deepFreeze(opts);
    }
    const before = args.map(snapshot);
    const biasBefore = opts?.bias ? snapshot(opts.bias) : null;
    const callArgs = c.opts ? [...args, opts] : args; // correlationLags takes no options object
    let got, problems = [], err = 0, shapes = '';
    args.forEach((a) => { if (Array.isArray(a)) Object.freeze(a); });
    try {
      got = f(...callArgs);
    } catch (e) {
      problems.push(`threw ${e?.constructor?.name}: ${e?.message}`);
      err = Infinity;
    }
    if (got !== undefined && ArrayBuffer.isView(opts?.output) && (got.data ?? got) !== opts.output) {
      problems.push('the result is not the output array it was given');
    }
    if (got !== undefined) {
      if (c.op.endsWith('Backward')) {
        for (const key of Object.keys(c.expected)) {
          const r = compare(got?.[key], c.expected[key], c.dtype, key === 'gradBias', key);
          problems.push(...r.problems, ...aliasCheck(r.data, [...args, opts?.bias], key)); err = Math.max(err, r.err);
          shapes += `${key}:${JSON.stringify(r.shape)} `;
        }
        for (const key of Object.keys(got ?? {})) if (!(key in c.expected) && got[key] !== undefined) problems.push(`unexpected output ${key}`);
      } else {
        const r = compare(got, c.expected, c.dtype, c.plain, 'out');
        problems.push(...r.problems, ...aliasCheck(r.data, [...args, opts?.bias], 'out')); err = r.err; shapes = JSON.stringify(r.shape);
      }
      args.forEach((a, i) => { if (!same(a, before[i])) problems.push(`argument ${i} was modified`); });
      if (biasBefore && !same(opts.bias, biasBefore)) problems.push('bias was modified');
    }
    if (Number.isFinite(err)) st.maxErr = Math.max(st.maxErr, err);
    if (Number.isFinite(err) && c.dtype === 'float64') st.maxErr64 = Math.max(st.maxErr64, err);
    if (problems.length) {
      st.bad++;
      if (problems[0].startsWith('threw')) st.threw++;
      if (c.nonfinite) st.nonfinBad++;
      mismatches.push({ id: c.id, backend, desc: (c.nonfinite ? '[non-finite input] ' : '') + compact(c), problems, shapes, expShape: c.expected.shape ?? Object.fromEntries(Object.entries(c.expected).map(([k, v]) => [k, v.shape])) });
    } else if (verbose) console.log(`ok #${c.id} ${backend} ${compact(c)}`);
  }
}

console.log(`convcorr differential fuzz: ${cases.length} cases from seed ${seed}, backends ${backends.join('+')}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log('op'.padEnd(22) + 'cases'.padStart(6) + 'runs'.padStart(6) + 'bad'.padStart(6) + 'threw'.padStart(7) + '  non-finite cases/bad runs'.padEnd(28) + 'max rel err: all / float64 out');
for (const [op, s] of [...perOp].sort()) {
  console.log(op.padEnd(22) + String(s.cases).padStart(6) + String(s.runs).padStart(6) + String(s.bad).padStart(6) + String(s.threw).padStart(7) + `  ${s.nonfin}/${s.nonfinBad}`.padEnd(28) + s.maxErr.toExponential(2) + ' / ' + s.maxErr64.toExponential(2));
}
const nf = mismatches.filter((m) => m.desc.startsWith('[non-finite')).length;
console.log(`\n${mismatches.length} mismatching runs (${nf} of them with NaN/Infinity inputs)`);
for (const m of mismatches) {
  console.log(`#${m.id} [${m.backend}] ${m.desc}\n    expected shape ${JSON.stringify(m.expShape)} got ${m.shapes}\n    ${m.problems.join('\n    ')}`);
}
process.exitCode = mismatches.length ? 1 : 0;
