// `npm run test:install`: installs convcorr the ways a user would and runs an ESM, a CJS and a TypeScript example in
// each scratch project (in a temp dir, outside this repo, so nothing resolves from our node_modules):
//   1. the tarball of `npm pack` (the working tree, built by `prepare`);
//   2. a git URL: `git+file://` of a fresh clone of HEAD (committed code only), which npm clones, installs with its
//      devDependencies and builds through `prepare` before packing it: what `npm install github:…` does.
// The tarball route also builds a page with Vite from the scratch project (Vite resolves `convcorr` from the scratch
// project's node_modules, as in a user's app), serves the build and loads it in headless Chromium: the page runs the
// README's first example and must give its printed values, with no bundler warning, on the relaxed SIMD build, and
// fetching one wasm chunk only. Chromium is `CHROMIUM_PATH`, else `/usr/bin/chromium` (playwright drives it; no
// browser download). The npm cache serves the dependencies (`--prefer-offline`). `--skip-git` runs only the tarball
// route.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const skipGit = process.argv.includes('--skip-git');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const env = { ...process.env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };

function run(cmd, args, cwd) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed with ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  }
  return { out: r.stdout, ms: performance.now() - t };
}

// The examples: README's first example, printed values checked exactly, and the backend that ran.
const check = `
const f = [2, 1, 3, 5, 4];
const got = {
  convolve: Array.from(convolve(f, [1, -1], { mode: 'valid' })),
  correlate: Array.from(correlate(f, [1, -1], { mode: 'valid' })),
  f32: correlate(new Float32Array(f), new Float32Array([1, 2]), { mode: 'full' }).constructor.name,
  conv2d: Array.from(conv2d({ data: new Float32Array(16).fill(1), shape: [1, 1, 4, 4] },
    { data: new Float32Array(9).fill(1), shape: [1, 1, 3, 3] }, { padding: 1 }).data),
};
const want = {
  convolve: [-1, 2, 2, -1],
  correlate: [1, -2, -2, 1],
  f32: 'Float32Array',
  conv2d: [4, 6, 6, 4, 6, 9, 9, 6, 6, 9, 9, 6, 4, 6, 6, 4],
};
if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error('wrong results: ' + JSON.stringify(got));
const backend = getBackend();
if (backend.name !== 'wasm') throw new Error('expected the wasm backend, got ' + JSON.stringify(backend));
console.log(KIND + ' ok, backend ' + backend.name + ' (' + backend.variant + ')');
`;
const examples = {
  'esm.mjs': `import { conv2d, convolve, correlate, getBackend } from 'convcorr';\nconst KIND = 'ESM';${check}`,
  'cjs.cjs': `const { conv2d, convolve, correlate, getBackend } = require('convcorr');\nconst KIND = 'CJS';${check}`,
  // Type-checked only (tsc --noEmit): the declarations resolve through `exports`, and float32 in is float32 out.
  'types.mts': `import { correlate, type NDArray } from 'convcorr';
const r: Float32Array = correlate(new Float32Array([1, 2, 3]), new Float32Array([1, 1]));
const n: number = r.length;
const a: NDArray = { data: new Float64Array(4), shape: [2, 2] };
export { n, a };
`,
};

function scratch(dir, spec, label) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `scratch-${label}`, private: true, version: '1.0.0' }, null, 2));
  for (const [name, text] of Object.entries(examples)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: [] },
    files: ['types.mts'],
  }));
  const inst = run(npm, ['install', '--no-save', '--prefer-offline', '--loglevel=error', spec], dir);
  console.log(`  ${label}: npm install ${spec.length > 60 ? `${spec.slice(0, 57)}…` : spec} (${(inst.ms / 1000).toFixed(1)} s)`);
  for (const f of ['esm.mjs', 'cjs.cjs']) console.log(`  ${label}: ${run(process.execPath, [f], dir).out.trim()}`);
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], dir);
  console.log(`  ${label}: TypeScript (nodenext) type-checks against the installed declarations`);
}

// The page: README's "Convolution or cross-correlation?" example, its values and the backend published for the test.
const page = {
  'index.html': `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>convcorr in Vite</title></head>
<body><pre id="out">running</pre><script type="module" src="./main.js"></script></body></html>
`,
  'main.js': `import { convolve, correlate, getBackend } from 'convcorr';

const f = [2, 1, 3, 5, 4];
const result = {
  values: [
    Array.from(convolve(f, [1, -1], { mode: 'valid' })),
    Array.from(correlate(f, [1, -1], { mode: 'valid' })),
    Array.from(convolve(f, [-1, 2, -1], { mode: 'valid' })),
    Array.from(correlate(f, [-1, 2, -1], { mode: 'valid' })),
  ],
  type: correlate(f, [1, -1]).constructor.name,
  backend: getBackend(),
};
document.getElementById('out').textContent = JSON.stringify(result);
`,
};
const pageWant = [[-1, 2, 2, -1], [1, -2, -2, 1], [-3, 0, 3], [-3, 0, 3]];

const mime = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
/** A static server of `dir` on a free localhost port; resolves to the server. */
function serve(dir) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://localhost').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': mime[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Vite builds the page in the scratch project `dir`, then headless Chromium loads it and the results are checked. */
async function vitePage(dir, label) {
  for (const [name, text] of Object.entries(page)) writeFileSync(join(dir, name), text);
  const { build, createLogger } = await import('vite');
  const warnings = [];
  const logger = createLogger('warn');
  const warn = logger.warn;
  logger.warn = (msg, o) => { warnings.push(msg); warn(msg, o); };
  let t = performance.now();
  await build({ root: dir, configFile: false, logLevel: 'warn', customLogger: logger, build: { outDir: join(dir, 'dist') } });
  if (warnings.length) throw new Error(`vite build warned:\n${warnings.join('\n')}`);
  const chunks = readdirSync(join(dir, 'dist', 'assets')).filter((f) => f.endsWith('.js'));
  console.log(`  ${label}: vite build, no warnings, ${chunks.length} JS chunks (${((performance.now() - t) / 1000).toFixed(1)} s)`);

  t = performance.now();
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath} (set CHROMIUM_PATH)`);
  const { chromium } = await import('playwright');
  const server = await serve(join(dir, 'dist'));
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    const tab = await browser.newPage();
    const errors = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    tab.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    const fetched = [];
    tab.on('request', (r) => { if (r.url().endsWith('.js')) fetched.push(new URL(r.url()).pathname.split('/').pop()); });
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    await tab.waitForFunction(() => document.getElementById('out')?.textContent !== 'running', null, { timeout: 30000 })
      .catch(() => { throw new Error(`the page did not finish: ${errors.join('; ') || 'no error reported'}`); });
    const got = JSON.parse(await tab.textContent('#out'));
    if (errors.length) throw new Error(`the page reported errors: ${errors.join('; ')}`);
    if (JSON.stringify(got.values) !== JSON.stringify(pageWant) || got.type !== 'Float64Array') {
      throw new Error(`the page computed ${JSON.stringify(got)}`);
    }
    if (got.backend.name !== 'wasm' || got.backend.variant !== 'relaxed') {
      throw new Error(`expected the relaxed wasm build in Chromium, got ${JSON.stringify(got.backend)}`);
    }
    // Each build is a chunk whose name starts with the build's name (the package's dist/<build>-<hash>.js).
    const builds = fetched.filter((f) => /^(relaxed|simd|scalar)-/.test(f));
    if (builds.length !== 1) throw new Error(`expected one wasm chunk fetched, got ${JSON.stringify(fetched)}`);
    console.log(`  ${label}: Vite page in Chromium ok, backend wasm (relaxed), fetched ${fetched.length} JS files, one build (${builds[0]}) (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  } finally {
    await browser.close();
    server.close();
  }
}

const tmp = mkdtempSync(join(os.tmpdir(), 'convcorr-install-'));
try {
  console.log('test:install: npm pack (runs prepare: the build)');
  const packed = run(npm, ['pack', '--pack-destination', tmp, '--loglevel=error'], root);
  const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball:\n${packed.out}`);
  console.log(`  packed ${tarball} (${(packed.ms / 1000).toFixed(1)} s)`);
  scratch(join(tmp, 'from-tarball'), join(tmp, tarball), 'tarball');
  await vitePage(join(tmp, 'from-tarball'), 'tarball');

  if (!skipGit) {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const clone = join(tmp, 'clone');
    run('git', ['clone', '--quiet', '--no-checkout', root, clone], tmp);
    run('git', ['checkout', '--quiet', head], clone);
    console.log(`test:install: git URL of a fresh clone at ${head.slice(0, 12)} (npm installs devDependencies and runs prepare)`);
    scratch(join(tmp, 'from-git'), `git+file://${clone}#${head}`, 'git');
  }
  console.log('test:install: ok');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
