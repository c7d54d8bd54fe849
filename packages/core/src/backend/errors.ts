/** Errors of the backend layer. @module */
import { NatgradError } from '../errors.js';

/**
 * The WebAssembly backend was requested (`setBackend('wasm')`) where it cannot run: the engine has no WebAssembly
 * SIMD, or the module is still compiling in the background (browsers' main thread; `await wasmReady()` first).
 */
export class BackendUnavailableError extends NatgradError {
  /** The backend that was asked for. */
  readonly backend: string;
  constructor(backend: string, reason: string) {
    super('BACKEND_UNAVAILABLE', `setBackend('${backend}'): ${reason}`);
    this.backend = backend;
  }
}
