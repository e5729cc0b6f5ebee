// Panel 1: f = [2, 1, 3, 5, 4] against a short h, both operations, with the kernel drawn where it sits for one output.
import { parseNumbers } from '../compute.js';
import { $, el, guarded, num } from '../ui.js';

export function setup(lib) {
  const fIn = $('#seed-f');
  const hIn = $('#seed-h');
  const modeIn = $('#seed-mode');
  const kIn = $('#seed-k');
  const err = $('#seed-error');
  let state;

  /** One slide: the padded f on top, the kernel (as given, or flipped) under the cells it multiplies. */
  function slide(node, f, kern, j, value) {
    const M = kern.length;
    const cols = f.length + 2 * (M - 1);
    const row = (cells) => el('div', { class: 'cells' }, ...cells);
    const fRow = Array.from({ length: cols }, (_, c) => {
      const i = c - (M - 1);
      const inside = i >= 0 && i < f.length;
      const hit = c >= j && c < j + M;
      return el('span', { class: `cell${inside ? '' : ' pad'}${hit ? ' hit' : ''}`, text: inside ? num(f[i]) : '0' });
    });
    const kRow = Array.from({ length: cols }, (_, c) => (c >= j && c < j + M
      ? el('span', { class: 'cell kern', text: num(kern[c - j]) })
      : el('span', { class: 'cell blank' })));
    const terms = kern.map((w, i) => {
      const fi = j + i - (M - 1);
      return `${num(fi >= 0 && fi < f.length ? f[fi] : 0)}·${w < 0 ? `(${num(w)})` : num(w)}`;
    });
    node.replaceChildren(row(fRow), row(kRow), el('p', { class: 'sum', text: `${terms.join(' + ')} = ${num(value)}` }));
  }

  const update = guarded(err, () => {
    const f = parseNumbers(fIn.value, 'f');
    const h = parseNumbers(hIn.value, 'h');
    const mode = modeIn.value;
    const corr = lib.correlate(f, h, { mode });
    const conv = lib.convolve(f, h, { mode });
    state = { f, h, mode };
    kIn.max = String(corr.length - 1);
    if (Number(kIn.value) > corr.length - 1) kIn.value = String(corr.length - 1);
    const k = Number(kIn.value);
    // The numbers, with output k (the one the slides show) highlighted.
    const show = (node, a) => node.replaceChildren('[', ...Array.from(a, (v, i) => [i ? ', ' : '', el('span', { class: i === k ? 'now' : '', text: num(v) })]).flat(), ']');
    show($('[data-check="seed-corr"]'), corr);
    show($('[data-check="seed-conv"]'), conv);
    $('#seed-k-out').textContent = String(k);
    const swapped = mode === 'valid' && h.length > f.length;
    // Output k of 'same' and 'valid' is output k + offset of 'full' (SciPy centres them in the full result).
    const offset = Math.floor((f.length + h.length - 1 - corr.length) / 2);
    $('#seed-corr-slide').hidden = swapped;
    $('#seed-conv-slide').hidden = swapped;
    if (!swapped) {
      slide($('#seed-corr-slide'), f, h, k + offset, corr[k]);
      slide($('#seed-conv-slide'), f, h.slice().reverse(), k + offset, conv[k]);
    }
    const symmetric = h.every((v, i) => v === h[h.length - 1 - i]);
    $('#seed-note').textContent = swapped
      ? "With 'valid' and h longer than f, SciPy swaps the two inputs (so does NumPy): no picture for that case."
      : symmetric
        ? 'h is symmetric: flipping it changes nothing, so convolution and correlation agree.'
        : `h is asymmetric: convolve(f, h) = correlate(f, h reversed). NumPy: np.convolve(f, h, '${mode}') and np.correlate(f, h, '${mode}') give the same numbers.`;
  });

  for (const b of document.querySelectorAll('#seed [data-h]')) {
    b.addEventListener('click', () => { hIn.value = b.dataset.h; update(); });
  }
  for (const n of [fIn, hIn, modeIn, kIn]) n.addEventListener('input', update);
  update();

  return {
    race: () => (state ? [{ panel: '1 · seed', op: `convolve + correlate, ${state.f.length} × ${state.h.length}`, run: (backend) => {
      lib.convolve(state.f, state.h, { mode: state.mode, backend });
      lib.correlate(state.f, state.h, { mode: state.mode, backend });
    } }] : []),
  };
}
