// Panel 4: two noisy copies of a signal, y delayed by d; xcorr's curve and findDelay's estimate against the truth.
import { delaySignals } from '../compute.js';
import { $, guarded, num, placeholder, plot } from '../ui.js';
import { needs } from './find.js';

export const DELAY = { n: 600, maxlag: 80 };

export function setup(lib) {
  const err = $('#delay-error');
  const dIn = $('#delay-d');
  const noiseIn = $('#delay-noise');
  const missing = ['xcorr', 'findDelay'].filter((f) => typeof lib[f] !== 'function');
  let seed = 1;
  let last;

  if (missing.length) {
    $('#delay-missing').hidden = false;
    $('#delay-missing').textContent = missing.map(needs).join('; ');
  }

  const run = guarded(err, () => {
    const d = Number(dIn.value);
    const sigma = Number(noiseIn.value);
    $('#delay-d-out').textContent = String(d);
    $('#delay-noise-out').textContent = String(sigma);
    const { x, y } = delaySignals(seed, DELAY.n, d, sigma);
    last = { x, y };
    const idx = Array.from({ length: 200 }, (_, i) => i);
    plot($('#delay-signals'), [
      { x: idx, y: Array.from(idx, (i) => x[i]), color: '#0571b0' },
      { x: idx, y: Array.from(idx, (i) => y[i]), color: '#ca0020' },
    ], { xLabel: 'sample n (first 200)' });
    if (missing.length) {
      placeholder($('#delay-xcorr'), `no ${missing.join(' or ')} in this build`);
      return;
    }
    const { r, lags } = lib.xcorr(x, y, { maxlag: DELAY.maxlag, scale: 'normalized' });
    const est = lib.findDelay(x, y, { maxlag: DELAY.maxlag });
    const sub = lib.findDelay(x, y, { maxlag: DELAY.maxlag, subsample: true });
    let peak = 0;
    for (let k = 1; k < r.length; k++) if (r[k] > r[peak]) peak = k;
    plot($('#delay-xcorr'), [{ x: Array.from(lags), y: Array.from(r), color: '#333' }], {
      xLabel: 'lag',
      markers: [{ x: -d, color: '#2a9d2a', label: `truth: lag −d = ${num(-d)}` }, { x: lags[peak], color: '#ca0020', label: `peak: lag ${num(lags[peak])}` }],
    });
    $('[data-check="delay-result"]').textContent = `findDelay(x, y) = ${num(est)} (truth ${num(d)}); `
      + `with subsample: true, ${num(sub, 3)}; xcorr peak ${num(r[peak], 4)} at lag ${num(lags[peak])}.`;
  });

  dIn.addEventListener('input', run);
  noiseIn.addEventListener('input', run);
  $('#delay-seed').addEventListener('click', () => { seed++; run(); });
  run();

  return {
    race: () => (missing.length || !last ? [] : [{
      panel: '4 · delay',
      op: `xcorr + findDelay, ${DELAY.n} samples, maxlag ${DELAY.maxlag}`,
      run: (backend) => {
        lib.xcorr(last.x, last.y, { maxlag: DELAY.maxlag, scale: 'normalized', backend });
        lib.findDelay(last.x, last.y, { maxlag: DELAY.maxlag, backend });
      },
    }]),
  };
}
