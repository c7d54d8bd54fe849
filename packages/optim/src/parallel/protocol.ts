/** The messages between a gradient pool and its worker threads. @module */
import type { PackedTree } from '../worker/packed-tree.js';
import type { RemoteError } from '../worker/remote-error.js';
import type { ShardInfo } from './shards.js';

/** What a worker thread is started with (`workerData`). @internal */
export interface WorkerConfig {
  /** `file:` URL of the objective's module. */
  readonly module: string;
  /** The export that is the shard objective. */
  readonly exportName: string;
  readonly differentiate: boolean | undefined;
}

/** A column of the step's batch, in shared memory. @internal */
export interface ColumnMessage {
  readonly name: string;
  readonly data: Float64Array;
  readonly shape: readonly number[];
}

/** Evaluate these shards of this batch at these parameters. @internal */
export interface RunMessage {
  readonly type: 'run';
  readonly id: number;
  readonly params: PackedTree;
  readonly key: readonly [number, number];
  readonly step: number;
  readonly columns: readonly ColumnMessage[];
  readonly shards: readonly ShardInfo[];
}

/** One shard's result, its gradient packed (the buffer is transferred). @internal */
export interface PackedShardResult {
  readonly index: number;
  readonly loss: number;
  readonly grad: PackedTree;
}

/** Messages from a worker thread. @internal */
export type FromShardWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly error: RemoteError }
  | { readonly type: 'result'; readonly id: number; readonly results: readonly PackedShardResult[] }
  | {
      readonly type: 'error';
      readonly id: number;
      readonly shard: number;
      readonly reason: 'threw' | 'bad-result';
      readonly error: RemoteError;
    };
