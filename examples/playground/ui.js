// Small DOM and canvas helpers shared by the panels (no framework: a few functions are all the page needs).

export const $ = (sel, root = document) => root.querySelector(sel);

/** An element with attributes and children; strings become text nodes (never HTML). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

/** Numbers as the page prints them: integers plainly, others with up to `digits` decimals, a real minus sign. */
export function num(v, digits = 4) {
  const r = Math.abs(v) < 0.5 * 10 ** -digits ? 0 : v;
  const s = Number.isInteger(r) ? String(r) : String(Number(r.toFixed(digits)));
  return s.replace('-', '−');
}

/** Show an error in a panel's error line (and clear it with `null`). */
export function showError(node, e) {
  node.hidden = !e;
  node.textContent = e ? String(e.message ?? e) : '';
}

/** Run `fn` (sync or async) and report any error in the panel: bad user input is a message, not a crash. */
export function guarded(errNode, fn) {
  return (...args) => {
    try {
      showError(errNode, null);
      const r = fn(...args);
      return r instanceof Promise ? r.catch((e) => showError(errNode, e)) : r;
    } catch (e) {
      showError(errNode, e);
      return undefined;
    }
  };
}

/** Put an ImageData on a canvas (resizing it to the image). */
export function putImage(canvas, img) {
  canvas.width = img.width;
  canvas.height = img.height;
  canvas.getContext('2d').putImageData(img, 0, 0);
}

/** Put RGBA bytes on a canvas (resizing it to the image). */
export function paint(canvas, rgba, W, H) {
  const img = new ImageData(W, H);
  img.data.set(rgba);
  putImage(canvas, img);
}

/** Canvas pixel coordinates of a pointer event (the canvas may be displayed scaled, inside a CSS border). */
export function canvasPoint(canvas, ev) {
  // clientWidth/Height are rounded to whole pixels: take the exact box and subtract the computed borders.
  const r = canvas.getBoundingClientRect();
  const cs = getComputedStyle(canvas);
  const [bl, br, bt, bb] = ['Left', 'Right', 'Top', 'Bottom'].map((s) => parseFloat(cs[`border${s}Width`]) || 0);
  const x = (ev.clientX - r.left - bl) / (r.width - bl - br);
  const y = (ev.clientY - r.top - bt) / (r.height - bt - bb);
  return {
    x: Math.max(0, Math.min(canvas.width - 1, Math.floor(x * canvas.width))),
    y: Math.max(0, Math.min(canvas.height - 1, Math.floor(y * canvas.height))),
  };
}

/** viridis-like ramp, 0 → dark blue, 1 → yellow (five stops of matplotlib's viridis, linearly mixed). */
const STOPS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
export function ramp(t) {
  const u = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(u));
  const f = u - i;
  return STOPS[i].map((c, k) => Math.round(c + (STOPS[i + 1][k] - c) * f));
}

/**
 * A 2-D NDArray as a heat map, scaled between its min and max, on a canvas of `size` (default: the array's) with the
 * array's [0, 0] at `at`; the rest stays grey.
 */
export function heatmap(canvas, { data, shape }, { size = [shape[1], shape[0]], at = [0, 0] } = {}) {
  const [h, w] = shape;
  const [W, H] = size;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const rgba = new Uint8ClampedArray(W * H * 4).fill(225);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [r, g, b] = ramp(hi > lo ? (data[y * w + x] - lo) / (hi - lo) : 0.5);
      rgba.set([r, g, b, 255], 4 * ((y + at[1]) * W + x + at[0]));
    }
  }
  paint(canvas, rgba, W, H);
}

/**
 * Line plot on a canvas: series [{ x, y, color, dash }], optional vertical markers [{ x, color, label }];
 * `logY` plots log10 of y.
 */
export function plot(canvas, series, { markers = [], logY = false, xLabel = '', yLabel = '' } = {}) {
  const ctx = canvas.getContext('2d');
  const W = canvas.width;
  const H = canvas.height;
  const m = { l: 46, r: 10, t: 10, b: 36 };
  ctx.clearRect(0, 0, W, H);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  const tf = (v) => (logY ? (v > 0 ? Math.log10(v) : NaN) : v); // log of 0 is not drawn
  const xs = series.flatMap((s) => Array.from(s.x));
  const ys = series.flatMap((s) => Array.from(s.y, tf)).filter(Number.isFinite);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  let y0 = Math.min(...ys);
  let y1 = Math.max(...ys);
  if (logY) { y0 = Math.floor(y0); y1 = Math.ceil(y1); }
  if (y1 === y0) { y0 -= 1; y1 += 1; }
  const X = (v) => m.l + ((v - x0) / (x1 - x0 || 1)) * (W - m.l - m.r);
  const Y = (v) => m.t + (1 - (v - y0) / (y1 - y0)) * (H - m.t - m.b);
  ctx.strokeStyle = '#ccc';
  ctx.fillStyle = '#555';
  ctx.font = '11px system-ui, sans-serif';
  ctx.lineWidth = 1;
  // Log scale: a grid line on whole decades only (at most about six); linear: five evenly spaced lines.
  const decade = Math.max(1, Math.ceil((y1 - y0) / 6));
  const ticks = logY ? Array.from({ length: Math.floor((y1 - y0) / decade) + 1 }, (_, k) => y0 + k * decade) : niceTicks(y0, y1);
  for (const v of ticks) {
    ctx.beginPath(); ctx.moveTo(m.l, Y(v)); ctx.lineTo(W - m.r, Y(v)); ctx.stroke();
    ctx.textAlign = 'right';
    ctx.fillText(logY ? `1e${num(v, 0)}` : num(v, 2), m.l - 4, Y(v) + 4);
  }
  ctx.textAlign = 'center';
  for (const v of niceTicks(x0, x1)) ctx.fillText(num(v, 2), X(v), H - m.b + 14);
  if (xLabel) ctx.fillText(xLabel, (m.l + W - m.r) / 2, H - 3);
  if (yLabel) { ctx.textAlign = 'left'; ctx.fillText(yLabel, m.l + 4, m.t + 10); }
  for (const mk of markers) {
    ctx.strokeStyle = mk.color;
    ctx.setLineDash([4, 3]);
    ctx.beginPath(); ctx.moveTo(X(mk.x), m.t); ctx.lineTo(X(mk.x), H - m.b); ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = mk.color;
    ctx.textAlign = X(mk.x) > W / 2 ? 'right' : 'left';
    ctx.fillText(mk.label, X(mk.x) + (X(mk.x) > W / 2 ? -4 : 4), m.t + 12 + 14 * markers.indexOf(mk));
  }
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = s.width ?? 1.5;
    ctx.setLineDash(s.dash ?? []);
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < s.x.length; i++) {
      const py = Y(tf(s.y[i]));
      if (!Number.isFinite(py)) { pen = false; continue; }
      if (pen) ctx.lineTo(X(s.x[i]), py); else ctx.moveTo(X(s.x[i]), py);
      pen = true;
    }
    ctx.stroke();
    ctx.setLineDash([]);
  }
}

/** Round tick values (steps of 1, 2 or 5 × 10ⁿ) inside [lo, hi], about five of them. */
function niceTicks(lo, hi) {
  const raw = (hi - lo) / 5 || 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** A canvas that has nothing to show yet: grey, with one line of text. */
export function placeholder(canvas, text) {
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#eee';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#777';
  ctx.font = `${Math.max(9, Math.round(canvas.width / 28))}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.fillText(text, canvas.width / 2, canvas.height / 2);
}

/** Median of numbers. */
export function median(a) {
  const s = [...a].sort((p, q) => p - q);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
