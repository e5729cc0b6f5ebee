// The playground: loads convcorr from the repo's own build (./convcorr/ is dist/, see serve.mjs and build.mjs),
// says which backend runs and why, and wires the six panels.
import * as lib from './convcorr/index.js';
import { decode, setup as picture } from './panels/picture.js';
import { setup as seed } from './panels/seed.js';
import { setup as find } from './panels/find.js';
import { setup as delay } from './panels/delay.js';
import { setup as train } from './panels/train.js';
import { setup as race } from './panels/race.js';
import { $ } from './ui.js';

/** Why WebAssembly did not run: the engine's own message when compiling the smallest module throws (a CSP says so). */
function wasmReason() {
  if (typeof WebAssembly !== 'object') return 'this engine has no WebAssembly';
  try {
    new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  } catch (e) {
    // Chromium's message names the directive; say plainly what the page would need.
    return /Content.Security.Policy/i.test(e.message)
      ? `this page's Content-Security-Policy refuses to compile wasm (its script-src has no 'wasm-unsafe-eval'); the engine said: ${e.message}`
      : e.message;
  }
  return 'the wasm builds did not instantiate in this engine';
}

/** init with threads where the build has them (API.md "Threads"); builds without the option refuse it by name. */
async function initBackend() {
  try {
    return { info: await lib.init({ threads: 'auto' }) };
  } catch (e) {
    if (!(e instanceof TypeError && e.message.includes("'threads'"))) throw e;
    return { info: await lib.init(), threadsNote: 'this build has no threads' };
  }
}

async function main() {
  const { info, threadsNote } = await initBackend();
  globalThis.convcorr = lib; // for the console: try any op on the page's backend and threads
  const threads = typeof info.threads === 'number' ? info.threads : 1;
  const status = {
    wasm: info.name === 'wasm',
    variantText: `${info.variant} build${threads > 1 ? `, ${threads} threads` : ''}`,
    reason: info.name === 'wasm' ? '' : wasmReason(),
  };
  status.short = /Content-Security-Policy/.test(status.reason) ? "refused by this page's CSP (no 'wasm-unsafe-eval')" : status.reason;
  const threadsWhy = threads > 1 ? '' : ` (${info.threadsReason ?? threadsNote ?? 'one thread'})`;
  $('#backend').textContent = `${status.wasm ? `backend: wasm — ${info.variant} build` : `backend: js — WebAssembly unavailable: ${status.reason}`}`
    + ` · threads: ${threads}${threadsWhy} · cross-origin isolated: ${globalThis.crossOriginIsolated ? 'yes' : 'no'}`;
  document.body.dataset.backend = info.name;
  document.body.dataset.variant = info.variant ?? '';

  const shared = {
    image: undefined,
    listeners: [],
    setImage(img) {
      this.image = img;
      for (const f of this.listeners) f(img);
      document.body.dataset.pictures = String(Number(document.body.dataset.pictures ?? 0) + 1); // pictures shown so far
    },
  };
  const panels = [seed(lib), picture(lib, shared), find(lib, shared), delay(lib), train(lib)];
  race(lib, panels, status);
  shared.setImage(await decode('pictures/shapes.png'));
  document.body.dataset.ready = '1';
}

main().catch((e) => {
  $('#backend').textContent = `the playground failed to start: ${e.message ?? e}`;
  throw e;
});
