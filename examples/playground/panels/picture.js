// Panel 2: a picture through convolution and correlation with one kernel, the two results and their difference.
import { BOUNDARIES, acceptsImageBytes, diffStats, filterRGBA, kernelText, parseKernel } from '../compute.js';
import { $, canvasPoint, el, guarded, paint, putImage } from '../ui.js';

/** Largest side a dropped picture is scaled down to: the panels stay interactive on any image. */
const MAX_SIDE = 480;

/** Decode an image (URL or File) into RGBA bytes, exactly as stored: no colour-space conversion, no premultiply. */
export async function decode(source) {
  const blob = typeof source === 'string' ? await (await fetch(source)).blob() : source;
  const bmp = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const s = Math.min(1, MAX_SIDE / Math.max(bmp.width, bmp.height));
  const W = Math.max(1, Math.round(bmp.width * s));
  const H = Math.max(1, Math.round(bmp.height * s));
  const c = document.createElement('canvas');
  c.width = W;
  c.height = H;
  const ctx = c.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(bmp, 0, 0, W, H);
  bmp.close();
  const rgba = ctx.getImageData(0, 0, W, H).data;
  for (let i = 3; i < rgba.length; i += 4) rgba[i] = 255; // transparent pictures: show them opaque
  return { rgba, W, H };
}

/** What flipping does to this kernel: nothing (symmetric), a sign change (antisymmetric), or something else. */
function symmetry({ data }) {
  const n = data.length;
  if (data.every((v, i) => v === data[n - 1 - i])) return 'This kernel equals its 180° rotation: convolution and correlation are the same operation.';
  if (data.every((v, i) => v === -data[n - 1 - i])) {
    return 'Rotating this kernel by 180° negates it: convolve = −correlate, so each result keeps exactly the edges the other clamps to 0.';
  }
  return 'This kernel differs from its 180° rotation: convolution and correlation give two different pictures.';
}

export function setup(lib, shared) {
  const err = $('#pic-error');
  const kernelSel = $('#pic-kernel');
  const kernelBox = $('#pic-kernel-text');
  const modeSel = $('#pic-mode');
  const src = $('#pic-src');
  const direct = acceptsImageBytes(lib);
  let probe = { x: 82, y: 52 };
  let last;

  for (const b of BOUNDARIES) {
    modeSel.append(el('option', { value: b.ndimage, text: `${b.ndimage} · signal ${b.signal} · np ${b.numpy} · ${b.opencv.split(' ')[0]}` }));
  }
  function names() {
    const b = BOUNDARIES.find((r) => r.ndimage === modeSel.value);
    const rows = [['scipy.ndimage mode', `'${b.ndimage}'`], ['scipy.signal boundary', b.signal], ['numpy.pad mode', b.numpy],
      ['OpenCV border', b.opencv], ['PyTorch padding_mode', b.torch], ['outside the edge', b.picture]];
    $('#pic-names').replaceChildren(...rows.map(([k, v]) => el('tr', {}, el('th', { text: k }), el('td', { text: v }))));
  }

  const run = guarded(err, () => {
    const img = shared.image;
    if (!img) return;
    const kernel = parseKernel(kernelBox.value);
    const mode = modeSel.value;
    // Each result is stored straight into the data of the ImageData that then goes on its canvas.
    const convImg = new ImageData(img.W, img.H);
    const corrImg = new ImageData(img.W, img.H);
    const t0 = performance.now();
    const conv = filterRGBA(lib, 'convolve', img.rgba, img.W, img.H, kernel, mode, { direct, out: convImg.data });
    const corr = filterRGBA(lib, 'correlate', img.rgba, img.W, img.H, kernel, mode, { direct, out: corrImg.data });
    const ms = performance.now() - t0;
    const diff = new Uint8ClampedArray(conv.length);
    for (let i = 0; i < diff.length; i++) diff[i] = (i & 3) === 3 ? 255 : 4 * Math.abs(conv[i] - corr[i]);
    putImage($('#pic-conv'), convImg);
    putImage($('#pic-corr'), corrImg);
    paint($('#pic-diff'), diff, img.W, img.H);
    last = { conv, corr, kernel, mode };
    showProbe();
    const d = diffStats(conv, corr);
    $('#pic-symmetry').textContent = symmetry(kernel);
    $('[data-check="pic-diff"]').textContent = d.pixels === 0
      ? `convolve and correlate agree on every pixel (${img.W}×${img.H}): the kernel equals its 180° rotation.`
      : `pixels that differ: ${d.pixels} of ${img.W * img.H}, largest difference ${d.max}.`;
    $('#pic-path').textContent = `${direct
      ? 'The canvas ImageData bytes went straight in, and the results straight into ImageData (output: imageData.data).'
      : 'This build takes Float32Array/Float64Array only: the bytes go through a Float32Array copy, and back through Uint8ClampedArray (same rounding as the canvas).'} Both filters: ${ms.toFixed(1)} ms.`;
  });

  function showProbe() {
    const img = shared.image;
    if (!last || !img) return;
    probe = { x: Math.min(probe.x, img.W - 1), y: Math.min(probe.y, img.H - 1) };
    const i = 4 * (probe.y * img.W + probe.x);
    const rgb = (a) => `(${a[i]}, ${a[i + 1]}, ${a[i + 2]})`;
    $('[data-check="pic-probe"]').textContent =
      `pixel (${probe.x}, ${probe.y}) — click any picture to move it: convolve RGB = ${rgb(last.conv)}, correlate RGB = ${rgb(last.corr)}.`;
    for (const id of ['#pic-conv', '#pic-corr', '#pic-diff']) {
      const ctx = $(id).getContext('2d');
      ctx.strokeStyle = '#ff00ff';
      ctx.strokeRect(probe.x - 3.5, probe.y - 3.5, 8, 8);
    }
  }

  kernelSel.addEventListener('change', () => {
    if (kernelSel.value !== 'typed') kernelBox.value = kernelText(kernelSel.value);
    run();
  });
  kernelBox.addEventListener('input', () => { kernelSel.value = 'typed'; run(); });
  modeSel.addEventListener('change', () => { names(); run(); });
  for (const id of ['#pic-conv', '#pic-corr', '#pic-diff']) {
    $(id).addEventListener('click', (ev) => { probe = canvasPoint($(id), ev); run(); });
  }
  const load = guarded(err, async (source) => {
    try {
      shared.setImage(await decode(source));
    } catch (e) {
      $('#pic-error').hidden = false;
      $('#pic-error').textContent = `could not read that picture: ${e.message ?? e}`;
    }
  });
  $('#pic-source').addEventListener('change', () => {
    $('#pic-file').value = '';
    load(`pictures/${$('#pic-source').value}.png`);
  });
  $('#pic-file').addEventListener('change', (ev) => { if (ev.target.files[0]) load(ev.target.files[0]); });
  src.addEventListener('dragover', (ev) => { ev.preventDefault(); src.classList.add('drop'); });
  src.addEventListener('dragleave', () => src.classList.remove('drop'));
  src.addEventListener('drop', (ev) => {
    ev.preventDefault();
    src.classList.remove('drop');
    const f = ev.dataTransfer.files[0];
    $('#pic-file').value = '';
    if (f) load(f);
  });
  shared.listeners.push((img) => { paint(src, img.rgba, img.W, img.H); run(); });

  kernelBox.value = kernelText(kernelSel.value);
  names();
  return {
    load,
    race: () => (last && shared.image ? [{
      panel: '2 · picture',
      op: `ndimage.correlate, ${shared.image.W}×${shared.image.H}×4, kernel ${last.kernel.shape.join('×')}${direct ? '' : ' (with the Float32Array copy)'}`,
      run: (backend) => filterRGBA(lib, 'correlate', shared.image.rgba, shared.image.W, shared.image.H, last.kernel, last.mode, { direct, backend }),
    }] : []),
  };
}
