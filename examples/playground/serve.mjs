// A tiny static server for the playground, loopback only.
//   node examples/playground/serve.mjs [--port 8080] [--no-isolation] [--strict-csp] [--static]
// Serves this folder, and the repo's dist/ under /convcorr/ (what main.js imports). --static serves the output of
// build.mjs (examples/playground/dist/) instead, as any static host would.
// Headers: Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp by default, so the
// page is cross-origin isolated and wasm threads can share memory (--no-isolation drops them); --strict-csp adds a
// Content-Security-Policy without 'wasm-unsafe-eval', under which no wasm compiles and convcorr runs on its JS backend.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoDist = fileURLToPath(new URL('../../dist/', import.meta.url));
export const builtDir = join(here, 'dist');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.png': 'image/png', '.json': 'application/json', '.map': 'application/json',
  '.md': 'text/markdown; charset=utf-8', '.svg': 'image/svg+xml',
};

/** The strict policy: everything from this origin only, and no 'wasm-unsafe-eval' (nor 'unsafe-eval'). */
export const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
  + "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The file a URL path names, or undefined when it leaves the served folders. */
function resolve(path, staticOnly) {
  const p = decodeURIComponent(path.split('?')[0]);
  const [root, rest] = !staticOnly && p.startsWith('/convcorr/') ? [repoDist, p.slice('/convcorr/'.length)] : [staticOnly ? builtDir : here, p.slice(1)];
  const file = normalize(join(root, rest || 'index.html'));
  return file.startsWith(root.endsWith(sep) ? root : root + sep) || file === root ? file : undefined;
}

/** Start serving; resolves with the server and its URL. Options: port (0 = any free one), isolation, csp, static. */
export function serve({ port = 8080, isolation = true, csp = false, static: staticOnly = false } = {}) {
  const server = createServer(async (req, res) => {
    const headers = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
    if (isolation) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
      headers['Cross-Origin-Resource-Policy'] = 'same-origin';
    }
    if (csp) headers['Content-Security-Policy'] = STRICT_CSP;
    try {
      let file = resolve(req.url ?? '/', staticOnly); // throws on a malformed %-escape: a 404 like any other
      if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) throw new Error('refused');
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${server.address().port}/` }));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const known = ['--port', '--no-isolation', '--strict-csp', '--static', '--help'];
  const bad = args.filter((a, i) => a.startsWith('--') && !known.includes(a) && args[i - 1] !== '--port');
  if (bad.length || args.includes('--help')) {
    console.log('usage: node examples/playground/serve.mjs [--port 8080] [--no-isolation] [--strict-csp] [--static]');
    process.exit(bad.length ? 2 : 0);
  }
  const portArg = args.indexOf('--port');
  const opts = {
    port: portArg >= 0 ? Number(args[portArg + 1]) : 8080,
    isolation: !args.includes('--no-isolation'),
    csp: args.includes('--strict-csp'),
    static: args.includes('--static'),
  };
  const { url } = await serve(opts);
  console.log(`playground: ${url}  (COOP/COEP ${opts.isolation ? 'on' : 'off'}${opts.csp ? ', strict CSP: JS backend' : ''}${opts.static ? ', serving examples/playground/dist' : ''}; Ctrl-C stops)`);
}
