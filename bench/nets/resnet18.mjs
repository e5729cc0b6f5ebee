// Every convolution of torchvision's ResNet-18 (He et al. 2016, "Deep Residual Learning"; torchvision.models.resnet18)
// at 224 × 224, batch 1: the layers as data. `size` is the input's height = width; `from` names the layer whose output
// the layer reads (default: the one before it); `from: null` reads a fresh input of its own shape. The max-pool
// after conv1 (112 → 56) is not a convolution: layer1 starts from a fresh 56 × 56 map instead. ReLU, batch norm
// (folded into the weights and bias at inference) and the residual adds are not run; a block's second block reads
// the first block's conv2 output (where the real net reads conv2 + downsample, the same shape).
export const name = 'ResNet-18';

export const layers = [
  { name: 'conv1', cin: 3, cout: 64, k: 7, stride: 2, pad: 3, size: 224 },
  { name: 'layer1.0.conv1', cin: 64, cout: 64, k: 3, stride: 1, pad: 1, size: 56, from: null },
  { name: 'layer1.0.conv2', cin: 64, cout: 64, k: 3, stride: 1, pad: 1, size: 56 },
  { name: 'layer1.1.conv1', cin: 64, cout: 64, k: 3, stride: 1, pad: 1, size: 56 },
  { name: 'layer1.1.conv2', cin: 64, cout: 64, k: 3, stride: 1, pad: 1, size: 56 },
  { name: 'layer2.0.conv1', cin: 64, cout: 128, k: 3, stride: 2, pad: 1, size: 56 },
  { name: 'layer2.0.conv2', cin: 128, cout: 128, k: 3, stride: 1, pad: 1, size: 28 },
  { name: 'layer2.0.downsample', cin: 64, cout: 128, k: 1, stride: 2, pad: 0, size: 56, from: 'layer1.1.conv2' },
  { name: 'layer2.1.conv1', cin: 128, cout: 128, k: 3, stride: 1, pad: 1, size: 28, from: 'layer2.0.conv2' },
  { name: 'layer2.1.conv2', cin: 128, cout: 128, k: 3, stride: 1, pad: 1, size: 28 },
  { name: 'layer3.0.conv1', cin: 128, cout: 256, k: 3, stride: 2, pad: 1, size: 28 },
  { name: 'layer3.0.conv2', cin: 256, cout: 256, k: 3, stride: 1, pad: 1, size: 14 },
  { name: 'layer3.0.downsample', cin: 128, cout: 256, k: 1, stride: 2, pad: 0, size: 28, from: 'layer2.1.conv2' },
  { name: 'layer3.1.conv1', cin: 256, cout: 256, k: 3, stride: 1, pad: 1, size: 14, from: 'layer3.0.conv2' },
  { name: 'layer3.1.conv2', cin: 256, cout: 256, k: 3, stride: 1, pad: 1, size: 14 },
  { name: 'layer4.0.conv1', cin: 256, cout: 512, k: 3, stride: 2, pad: 1, size: 14 },
  { name: 'layer4.0.conv2', cin: 512, cout: 512, k: 3, stride: 1, pad: 1, size: 7 },
  { name: 'layer4.0.downsample', cin: 256, cout: 512, k: 1, stride: 2, pad: 0, size: 14, from: 'layer3.1.conv2' },
  { name: 'layer4.1.conv1', cin: 512, cout: 512, k: 3, stride: 1, pad: 1, size: 7, from: 'layer4.0.conv2' },
  { name: 'layer4.1.conv2', cin: 512, cout: 512, k: 3, stride: 1, pad: 1, size: 7 },
].map((l) => ({ groups: 1, ...l }));
