/** The dense-kernel backend layer (see docs/ARCHITECTURE.md, "Backends"). @module */
export type { DenseKernels, KernelName } from './kernels.js';
export { BackendUnavailableError } from './errors.js';
export { type BackendName, dense, getBackend, setBackend, wasmReady } from './select.js';
