/**
 * The script of a gradient pool's worker threads (built as dist/parallel-worker.js): serves shards to the pool that
 * started it. Not an import for users.
 * @module
 * @internal
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerConfig } from './protocol.js';
import { serveShards } from './serve.js';

if (parentPort === null) throw new Error('@natgrad/optim parallel-worker: run as a worker thread by createGradientPool');
void serveShards(parentPort, workerData as WorkerConfig);
