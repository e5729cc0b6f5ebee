// What the first call costs against a later one: import, `init()`, the first call, the second, and the median of later
// calls, for the sync path (the first call instantiates), the async path (`await init()` then the call) and 'ahead'
// (`init()` started, 50 ms of other work, then awaited: a page that starts convcorr early). Each run is a fresh start
// (bench/first-call-child.mjs): a fresh Node process (RUNS of each), and a fresh Chromium page (a new browser context
// each run, CHROMIUM_PATH or /usr/bin/chromium; skipped when absent). Medians over the runs; the ratio column is
// later / first (1 = the first call costs what a later one does; the target is ≥ 0.5 on the 'async' and 'ahead' paths).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './harness.mjs';
import { CASES } from './first-call-child.mjs';

const RUNS = 7;
const PATHS = ['sync', 'async', 'ahead'];
const root = fileURLToPath(new URL('..', import.meta.url));
const child = fileURLToPath(new URL('first-call-child.mjs', import.meta.url));

function summarise(id, runs) {
  const m = (k) => median(runs.map((r) => r.ms[k] ?? 0));
  const ms = { import: m('import'), init: m('init'), first: m('first'), second: m('second'), later: m('later') };
  const ratio = median(runs.map((r) => r.ms.later / r.ms.first));
  const variant = runs[0].backend.variant ?? runs[0].backend.name;
  console.log(`${id.padEnd(58)} import ${ms.import.toFixed(1).padStart(6)}  init ${ms.init.toFixed(1).padStart(6)}  first ${ms.first.toFixed(2).padStart(7)}  second ${ms.second.toFixed(2).padStart(7)}  later ${ms.later.toFixed(2).padStart(6)} ms  later/first ${ratio.toFixed(2)}  (${variant}, ${runs.length} runs)`);
  return {
    id, flops: 0, ms,
    rows: [
      { name: 'later call (median)', ms: ms.later, gflops: 0, ratio: 1 },
      { name: 'first call', ms: ms.first, gflops: 0, ratio },
    ],
  };
}

function checkSameChecksums(id, runs) {
  const sums = new Set(runs.map((r) => r.checksum));
  if (sums.size !== 1) throw new Error(`first-call: ${id} gave different results across runs: ${[...sums]}`);
}

function nodeRuns(path, name) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, [child, path, name], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`first-call child failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout));
  }
  return runs;
}

const mime = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript' };
function serve(dir) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://localhost').pathname));
    const file = join(dir, path);
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><link rel="icon" href="data:,"><title>first call</title>');
      return;
    }
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': mime[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function chromiumRuns(browser, base, path, name) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext(); // no module or code cache shared with the previous run
    const page = await context.newPage();
    await page.goto(`${base}/`);
    runs.push(await page.evaluate(async ([p, c]) => {
      const { measure } = await import('/bench/first-call-child.mjs');
      return measure(() => import('/dist/index.js'), p, c);
    }, [path, name]));
    await context.close();
  }
  return runs;
}

export default async function firstCall() {
  const results = [];
  console.log(`Node ${process.version}, fresh process per run`);
  for (const [name, c] of Object.entries(CASES)) {
    for (const path of PATHS) {
      const runs = nodeRuns(path, name);
      checkSameChecksums(`node ${name} ${path}`, runs);
      results.push(summarise(`node ${path}: ${c.label}`, runs));
    }
  }
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    console.log(`no Chromium at ${executablePath}: the browser half is skipped`);
    return results;
  }
  const { chromium } = await import('playwright');
  const server = await serve(root);
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    console.log(`Chromium ${browser.version()}, fresh browser context per run`);
    const base = `http://127.0.0.1:${server.address().port}`;
    for (const [name, c] of Object.entries(CASES)) {
      for (const path of PATHS) {
        const runs = await chromiumRuns(browser, base, path, name);
        checkSameChecksums(`chromium ${name} ${path}`, runs);
        results.push(summarise(`chromium ${path}: ${c.label}`, runs));
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  return results;
}
