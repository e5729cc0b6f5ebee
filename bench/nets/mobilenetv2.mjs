// Every convolution of torchvision's MobileNetV2 (Sandler et al. 2018, "MobileNetV2: Inverted Residuals and Linear
// Bottlenecks", Table 2; torchvision.models.mobilenet_v2, width 1.0) at 224 × 224, batch 1: the layers as data.
// `size` is the input's height = width; each layer reads the output of the one before it. ReLU6, batch norm (folded
// into the weights and bias at inference) and the residual adds are not run (the adds keep shapes, so the chain is
// the real network's sequence of convolutions).
export const name = 'MobileNetV2';

/** The paper's Table 2: expansion t, output channels c, repeats n, first stride s. */
const BLOCKS = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]];

function build() {
  const out = [{ name: 'features.0', cin: 3, cout: 32, k: 3, stride: 2, pad: 1, size: 224, groups: 1 }];
  let cin = 32;
  let size = 112;
  let f = 1;
  for (const [t, c, n, s] of BLOCKS) {
    for (let i = 0; i < n; i++, f++) {
      const stride = i === 0 ? s : 1;
      const hidden = cin * t;
      if (t !== 1) out.push({ name: `features.${f}.expand`, cin, cout: hidden, k: 1, stride: 1, pad: 0, size, groups: 1 });
      out.push({ name: `features.${f}.dw`, cin: hidden, cout: hidden, k: 3, stride, pad: 1, size, groups: hidden });
      size = Math.floor((size + 2 - 3) / stride) + 1;
      out.push({ name: `features.${f}.project`, cin: hidden, cout: c, k: 1, stride: 1, pad: 0, size, groups: 1 });
      cin = c;
    }
  }
  out.push({ name: `features.${f}`, cin, cout: 1280, k: 1, stride: 1, pad: 0, size, groups: 1 });
  return out;
}

export const layers = build();
