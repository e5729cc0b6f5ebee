// Panel 3: cut a template by dragging a box, match it everywhere with matchTemplate, box the best match.
import { findTemplate } from '../compute.js';
import { $, canvasPoint, guarded, heatmap, num, paint, placeholder } from '../ui.js';

export const needs = (name) => `needs convcorr's ${name} (not in this build)`;

export function setup(lib, shared) {
  const err = $('#find-error');
  const canvas = $('#find-img');
  const methodSel = $('#find-method');
  const available = typeof lib.matchTemplate === 'function';
  // The ring of shapes.png, so the panel shows a match before anyone drags.
  let box = { x: 127, y: 97, w: 46, h: 46 };
  let drag;
  let last;

  if (!available) {
    $('#find-missing').hidden = false;
    $('#find-missing').textContent = needs('matchTemplate');
    methodSel.disabled = true;
  }

  function draw(best) {
    const img = shared.image;
    paint(canvas, img.rgba, img.W, img.H);
    const ctx = canvas.getContext('2d');
    ctx.lineWidth = 1;
    ctx.setLineDash([3, 2]);
    ctx.strokeStyle = '#ffffff';
    ctx.strokeRect(box.x + 0.5, box.y + 0.5, box.w - 1, box.h - 1);
    ctx.setLineDash([]);
    if (best) {
      ctx.lineWidth = 2;
      ctx.strokeStyle = '#ff00ff';
      ctx.strokeRect(best.x - 0.5, best.y - 0.5, box.w + 1, box.h + 1);
    }
  }

  const run = guarded(err, () => {
    const img = shared.image;
    if (!img) return;
    box = clampBox(box, img);
    if (!available) {
      draw();
      const heat = $('#find-heat');
      heat.width = 2 * img.W; // twice the pixels: the canvas is shown scaled, the text stays sharp
      heat.height = 2 * img.H;
      placeholder(heat, 'no matchTemplate in this build');
      return;
    }
    const method = methodSel.value;
    const t0 = performance.now();
    const r = findTemplate(lib, img.rgba, img.W, img.H, box, method);
    const ms = performance.now() - t0;
    last = { box: { ...box }, method };
    // Each score drawn at the centre of the window it compares, so the heat sits over the object it matches.
    const c = [Math.floor(box.w / 2), Math.floor(box.h / 2)];
    heatmap($('#find-heat'), r.scores, { size: [img.W, img.H], at: c });
    const ctx = $('#find-heat').getContext('2d');
    ctx.strokeStyle = '#ff00ff';
    ctx.lineWidth = 1;
    ctx.strokeRect(r.best.x + c[0] - 3.5, r.best.y + c[1] - 3.5, 8, 8);
    draw(r.best);
    $('[data-check="find-result"]').textContent = `template ${box.w}×${box.h} cut at (${box.x}, ${box.y}); `
      + `best match (${method.startsWith('sqdiff') ? 'minimum' : 'maximum'}) at (${r.best.x}, ${r.best.y}), score ${num(r.best.score, 6)}; `
      + `scores from ${num(r.minVal, 6)} to ${num(r.maxVal, 6)} over ${r.scores.shape[1]}×${r.scores.shape[0]} positions; ${ms.toFixed(1)} ms.`;
  });

  canvas.addEventListener('pointerdown', (ev) => {
    if (!shared.image) return;
    canvas.setPointerCapture(ev.pointerId);
    drag = canvasPoint(canvas, ev);
  });
  canvas.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    const p = canvasPoint(canvas, ev);
    box = { x: Math.min(drag.x, p.x), y: Math.min(drag.y, p.y), w: Math.abs(p.x - drag.x) + 1, h: Math.abs(p.y - drag.y) + 1 };
    draw();
  });
  canvas.addEventListener('pointerup', () => {
    if (!drag) return;
    drag = undefined;
    if (box.w < 3 || box.h < 3) box = { ...box, w: Math.max(box.w, 3), h: Math.max(box.h, 3) };
    run();
  });
  methodSel.addEventListener('change', run);
  shared.listeners.push(run);

  return {
    race: () => (available && last && shared.image ? [{
      panel: '3 · find it',
      op: `matchTemplate '${last.method}', ${shared.image.W}×${shared.image.H}×3, template ${last.box.w}×${last.box.h}`,
      run: (backend) => findTemplate(lib, shared.image.rgba, shared.image.W, shared.image.H, last.box, last.method, backend),
    }] : []),
  };
}

/** Keep the box inside the picture (a new, smaller picture may arrive). */
function clampBox(b, { W, H }) {
  const w = Math.min(Math.max(b.w, 1), W);
  const h = Math.min(Math.max(b.h, 1), H);
  return { x: Math.min(b.x, W - w), y: Math.min(b.y, H - h), w, h };
}
