import { it } from 'vitest';
import { conv2d, init, prepareConv2d } from '../../src/index';
import { tuning } from '../../src/threads';
// @ts-ignore
import { setup } from '../../bench/nets.bench.mjs';
// @ts-ignore
import * as mnv2 from '../../bench/nets/mobilenetv2.mjs';
// @ts-ignore
import * as resnet18 from '../../bench/nets/resnet18.mjs';
it('dbg', async () => {
  for (const net of [mnv2, resnet18]) {
  const L = setup(net);
  await init({ threads: 2 });
  const prep = L.map((l: any) => prepareConv2d({ data: l.wCF, shape: l.wShape }, { stride: l.stride, padding: l.pad, groups: l.groups, bias: l.b }));
  const rows: string[] = [];
  for (const l of L) {
    const x = { data: l.xCF, shape: l.xShape };
    const r0 = tuning.regions;
    const f = () => conv2d(x, { data: l.wCF, shape: l.wShape }, { stride: l.stride, padding: l.pad, groups: l.groups, bias: l.b });
    f();
    const r1 = tuning.regions;
    prep[l.index].run(x);
    const r2 = tuning.regions;
    rows.push(`${l.name} ${l.cin}->${l.cout} k${l.k} s${l.stride} g${l.groups} @${l.size} macs ${(l.macs / 1e6).toFixed(1)}M regions plain ${r1 - r0} prepared ${r2 - r1}`);
  }
  console.log(rows.join('\n'));
  }
});
