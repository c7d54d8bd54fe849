// Entry point of natgrad's WebAssembly SIMD kernels: the exports the JavaScript backend (src/backend/wasm/) calls.
// One file per kernel; a new kernel is exported here and wrapped in src/backend/wasm/<name>.ts.
export { heapBase, reserve } from './arena';
export { gemm } from './gemm';
export { trsm } from './trsm';
export { trmm } from './trmm';
export { potrf } from './potrf';
export { trtri, potri } from './trtri';
export { getrf, getrs } from './getrf';
export { syev } from './syev';
export { geqrf, orgqr } from './householder';
export { gesvj } from './gesvj';
