// The CommonJS entry: the API of ./index with every wasm build embedded up front (a CJS bundle has no lazily loaded
// chunks), and the thread pool's code, so the synchronous paths can instantiate any build and start a pool.
import * as relaxed from './wasm-binaries/relaxed';
import * as scalar from './wasm-binaries/scalar';
import * as simd from './wasm-binaries/simd';
import * as threadsRelaxed from './wasm-binaries/threads-relaxed';
import * as threadsSimd from './wasm-binaries/threads-simd';
import { provideBinaries } from './wasm';
import { providePool } from './backend';
import * as pool from './pool';

provideBinaries({ relaxed, scalar, simd, 'threads-relaxed': threadsRelaxed, 'threads-simd': threadsSimd });
providePool(pool);

export * from './index';
