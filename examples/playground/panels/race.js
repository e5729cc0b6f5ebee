// Panel 6: every panel's operation timed on the wasm build in use and on the JS backend, side by side.
import { $, el, guarded, median } from '../ui.js';

/**
 * Time `run(backend)` for each backend: every variant warmed first, then `rounds` rounds with the backends in
 * alternating order; in a round each runs repeatedly for at least `minMs`. Returns the median time per call of
 * each backend and the median of the per-round ratios js ÷ wasm (the project's benchmark practice, in small).
 */
async function race(run, backends, { rounds, minMs }) {
  for (const b of backends) run(b);
  const per = Object.fromEntries(backends.map((b) => [b, []]));
  const ratios = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...backends].reverse() : backends;
    const t = {};
    for (const b of order) {
      let n = 0;
      const t0 = performance.now();
      let dt;
      do { run(b); n++; dt = performance.now() - t0; } while (dt < minMs);
      t[b] = dt / n;
      per[b].push(t[b]);
    }
    if (t.wasm !== undefined) ratios.push(t.js / t.wasm);
    await new Promise((ok) => setTimeout(ok, 0)); // let the page paint between rounds
  }
  return { ms: Object.fromEntries(backends.map((b) => [b, median(per[b])])), ratio: ratios.length ? median(ratios) : undefined };
}

const fmt = (ms) => (ms >= 10 ? `${ms.toFixed(1)} ms` : ms >= 0.1 ? `${ms.toFixed(3)} ms` : `${(ms * 1000).toFixed(1)} µs`);

export function setup(lib, panels, status) {
  const err = $('#race-error');
  const rows = $('#race-rows');
  // ?quick: fewer, shorter rounds (the browser test uses it on a busy machine).
  const quick = new URLSearchParams(location.search).has('quick');
  const budget = quick ? { rounds: 3, minMs: 4 } : { rounds: 7, minMs: 25 };
  let busy = false;

  const start = guarded(err, async () => {
    if (busy) return;
    busy = true;
    document.body.dataset.race = 'running';
    try {
      const info = lib.getBackend();
      const backends = status.wasm ? ['wasm', 'js'] : ['js'];
      $('#race-wasm-head').textContent = status.wasm ? `wasm (${status.variantText})` : 'wasm';
      const ops = panels.flatMap((p) => p.race());
      rows.replaceChildren();
      for (const op of ops) {
        const cells = [el('td', { text: op.panel }), el('td', { text: op.op }), el('td', { text: '…' }), el('td', { text: '…' }), el('td', { text: '' })];
        rows.append(el('tr', {}, ...cells));
        $('#race-status').textContent = `timing ${op.panel}…`;
        const r = await race(op.run, backends, budget);
        cells[2].textContent = status.wasm ? fmt(r.ms.wasm) : `unavailable: ${status.short}`;
        cells[3].textContent = fmt(r.ms.js);
        cells[4].textContent = r.ratio === undefined ? '—' : `${r.ratio.toFixed(1)}×`;
      }
      $('#race-status').textContent = `done: ${ops.length} operations; getBackend() = ${JSON.stringify(info)}`;
      document.body.dataset.race = 'done';
    } finally {
      busy = false;
    }
  });
  $('#race-run').addEventListener('click', start);
  return { start };
}
