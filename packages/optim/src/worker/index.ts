/**
 * `@natgrad/optim/worker`: training off the main thread in a browser. In the worker, {@link exposeTraining} serves
 * training streams made from configs; on the page, {@link trainInWorker} is a cold Observable of their states. No
 * Node built-ins: this entry loads in browsers and Web Workers (and in Node, over a `MessagePort`).
 *
 * ```ts
 * // training.worker.ts
 * import { exposeTraining } from '@natgrad/optim/worker';
 * exposeTraining(self, (config: { lr: number }) => train({ objective, params, optimiser: Adam(config.lr), steps: 5000 }));
 *
 * // page.ts
 * const worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module' });
 * trainInWorker(worker, { lr: 0.01 }).subscribe((s) => draw(s.params));
 * ```
 * @module @natgrad/optim/worker
 */
export { trainInWorker, type TrainInWorkerOptions } from './train-in-worker.js';
export { exposeTraining, type TrainingFactory } from './expose-training.js';
export type { WorkerLike, TrainingScope } from './protocol.js';
export type { RemoteTrainState } from './remote-state.js';
export type { RemoteError } from './remote-error.js';
export { WorkerTrainingError, TransferError, type WorkerTrainingFailure } from './errors.js';
export { packTree, unpackTree, type PackedTree, MAX_PACKED_NODES, MAX_PACKED_DEPTH } from './packed-tree.js';
