// Panel 5: one conv layer learns a hidden asymmetric kernel K by SGD, with flip: false and with flip: true.
import { HIDDEN_K, TRAIN, maxAbsDiff, rot180, trainer, trainingSet } from '../compute.js';
import { $, el, guarded, num, plot } from '../ui.js';

/** Steps drawn per animation frame: the loss curves grow visibly, the whole run still takes well under a second. */
const STEPS_PER_FRAME = 6;

export function setup(lib) {
  const err = $('#train-error');
  const status = $('#train-status');
  let set;
  let running = false;

  function grid(node, k) {
    const scale = Math.max(...HIDDEN_K.map(Math.abs));
    node.replaceChildren(...Array.from(k, (v) => {
      const t = Math.max(-1, Math.min(1, v / scale));
      const cell = el('span', { text: num(v, 3) });
      // Red for positive, blue for negative, as in examples/learn-kernel (set through the CSSOM: allowed by a strict CSP).
      const [r, g, b] = t >= 0 ? [202, 0, 32] : [5, 113, 176];
      const mix = (c) => Math.round(255 + (c - 255) * Math.abs(t));
      cell.style.background = `rgb(${mix(r)}, ${mix(g)}, ${mix(b)})`;
      cell.style.color = Math.abs(t) > 0.6 ? '#fff' : '#111';
      return cell;
    }));
  }

  const start = guarded(err, () => {
    if (running) return;
    running = true;
    document.body.dataset.train = 'running';
    set ??= trainingSet(lib);
    const a = trainer(lib, false, set);
    const b = trainer(lib, true, set);
    const frame = guarded(err, () => {
      for (let i = 0; i < STEPS_PER_FRAME && a.losses.length < TRAIN.steps; i++) { a.step(); b.step(); }
      grid($('#train-corr'), a.w.data);
      grid($('#train-conv'), b.w.data);
      const steps = Array.from(a.losses, (_, i) => i);
      plot($('#train-loss'), [
        { x: steps, y: a.losses, color: '#0571b0', width: 2 },
        { x: steps, y: b.losses, color: '#ca0020', width: 2, dash: [6, 4] },
      ], { logY: true, xLabel: 'SGD step' });
      status.textContent = `step ${a.losses.length} of ${TRAIN.steps}`;
      if (a.losses.length < TRAIN.steps) { requestAnimationFrame(frame); return; }
      running = false;
      document.body.dataset.train = 'done';
      const e1 = maxAbsDiff(a.w.data, HIDDEN_K);
      const e2 = maxAbsDiff(b.w.data, rot180(HIDDEN_K));
      $('[data-check="train-result"]').textContent = `after ${TRAIN.steps} steps: loss ${a.losses.at(-1).toExponential(2)} (flip: false) and `
        + `${b.losses.at(-1).toExponential(2)} (flip: true); max |learned − K| = ${e1.toExponential(1)}, max |learned − K rotated 180°| = ${e2.toExponential(1)}.`;
    });
    requestAnimationFrame(frame);
  });

  grid($('#train-k'), HIDDEN_K);
  $('#train-run').addEventListener('click', start);
  start();

  return {
    race: () => {
      set ??= trainingSet(lib);
      return [{
        panel: '5 · train',
        op: `one SGD step: conv2d + conv2dGradWeight, ${TRAIN.batch}×1×${TRAIN.size}×${TRAIN.size}, 3×3`,
        run: (backend) => trainer(lib, false, set, backend).step(),
      }];
    },
  };
}
