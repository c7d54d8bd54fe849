/** `createGradientPool`: one step's batch split into shards, evaluated on worker threads, the results summed. @module */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError, Tensor, random } from '@natgrad/core';
import type { Params } from '../index.js';
import { type PackedTree, packTree, unpackTree } from '../worker/packed-tree.js';
import { toRemoteError } from '../worker/remote-error.js';
import { type Batch, batchRows, isShared, shareBatch, sliceRows } from './batch.js';
import { GradientPoolError, ShardError } from './errors.js';
import { loadShardObjective, moduleHref } from './objective-module.js';
import type { ColumnMessage, WorkerConfig } from './protocol.js';
import { ShardReducer } from './reduce.js';
import { BadShardResult, type ShardEvaluator, type ShardObjective, type ShardResult, shardWorker } from './shard-worker.js';
import { type ShardInfo, shardRows } from './shards.js';
import { ShardThread, type TaskOutcome } from './thread.js';

/**
 * A sharded gradient: the loss and gradient of `batch` (default: the pool's data) at `params`, as the sum over its
 * shards. `key` and `step` are handed to every shard (default `random.key(0)` and 0). The function a training loop
 * awaits in place of an objective.
 */
export type ShardedGradient<P extends Params = Params> = (params: P, batch?: Batch, key?: random.Key, step?: number) => Promise<ShardResult<P>>;

/** Options of {@link createGradientPool}. */
export interface GradientPoolOptions {
  /**
   * The module that exports the shard objective (see {@link ShardObjective}): a `file:` URL — typically
   * `new URL('./objective.js', import.meta.url)` — or an absolute path. Each thread imports it once.
   */
  readonly module: URL | string;
  /** The export that is the objective. Default `"default"`. */
  readonly exportName?: string;
  /**
   * The data set, used when a step is given no batch: put in shared memory once ({@link shareBatch}), so shards are
   * views and no step copies it.
   */
  readonly data?: Batch;
  /** Worker threads. Default: one fewer than `os.availableParallelism()` when `mainThread`, else one per core (≥ 1). */
  readonly workers?: number;
  /**
   * Whether the main thread evaluates shards too while the workers evaluate theirs (default true: with 2 cores, 1
   * worker + the main thread). Its event loop is blocked meanwhile.
   */
  readonly mainThread?: boolean;
  /**
   * Shards per batch. Default: one per thread (workers, plus the main thread). The result depends on the shard count
   * only through rounding, and not at all on which thread ran what.
   */
  readonly shards?: number;
  /** As {@link ShardWorkerOptions.differentiate}: whether the objective returns a scalar loss. Default: detected. */
  readonly differentiate?: boolean;
}

/** A pool of worker threads computing sharded gradients; see {@link createGradientPool}. */
export interface GradientPool<P extends Params = Params> {
  /** The sharded gradient (a bound function: pass it around as it is). */
  readonly valueAndGrad: ShardedGradient<P>;
  /** The pool's data set, in shared memory (undefined when none was given). */
  readonly data: Batch | undefined;
  /** Number of worker threads (not counting the main thread). */
  readonly workers: number;
  /** Shards per batch. */
  readonly shards: number;
  /** True once `close` was called. */
  readonly closed: boolean;
  /** Terminates every worker thread; steps in flight reject with a `GradientPoolError` (`'closed'`). Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts worker threads that each import the objective's module, and resolves with a pool once they are all ready.
 * Each `valueAndGrad(params, batch, key, step)` splits the batch's rows into shards ({@link shardRows}), sends the
 * parameters (a copy: they are small) and the batch's columns (shared memory: no copy) to the workers, evaluates the
 * main thread's shards meanwhile, and sums the results in shard order ({@link ShardReducer}): the loss and gradient
 * of the whole batch, equal to a single thread's up to rounding and identical from run to run.
 *
 * A shard whose objective throws rejects the step with a {@link ShardError} (shard, rows, thread, step, and the
 * worker's error with its stack); a worker that dies is replaced, and its shards' step rejects with a `'crashed'`
 * ShardError. `close()` ends every thread. Idle threads do not keep Node alive.
 * @example
 * const pool = await createGradientPool({ module: new URL('./objective.js', import.meta.url), data: shareBatch({ x, y }) });
 * try {
 *   for (let t = 0; t < 100; t++) [opt, params] = update(opt, params, (await pool.valueAndGrad(params)).grad);
 * } finally {
 *   await pool.close();
 * }
 * @throws {InvalidArgumentError} (rejects) for invalid options; {@link GradientPoolError} (`'start-failed'`) when a
 * worker cannot load the objective — no thread is left running then.
 */
export async function createGradientPool<P extends Params = Params>(options: GradientPoolOptions): Promise<GradientPool<P>> {
  const config = readOptions(options);
  const data = options.data === undefined ? undefined : shareBatch(options.data);
  let evaluate: ShardEvaluator<P> | undefined;
  if (config.mainThread) {
    try {
      evaluate = shardWorker((await loadShardObjective(config.worker.module, config.worker.exportName)) as unknown as ShardObjective<P>, config.worker);
    } catch (err) {
      const remote = toRemoteError(err);
      throw new GradientPoolError('start-failed', `the main thread could not load the objective: ${remote.name}: ${remote.message}`, remote);
    }
  }
  const pool = new Pool<P>(config, data, evaluate);
  try {
    await pool.started();
  } catch (err) {
    await pool.close();
    throw err;
  }
  return pool;
}

interface PoolConfig {
  readonly worker: WorkerConfig;
  readonly workers: number;
  readonly mainThread: boolean;
  readonly shards: number;
}

function readOptions(o: GradientPoolOptions): PoolConfig {
  const bad = (msg: string): never => {
    throw new InvalidArgumentError(`createGradientPool: ${msg}`);
  };
  if (o === null || typeof o !== 'object') bad('expected an options object');
  const module = moduleHref(o.module);
  const exportName = o.exportName ?? 'default';
  if (typeof exportName !== 'string' || exportName === '') bad('exportName must be a non-empty string');
  const mainThread = o.mainThread ?? true;
  if (typeof mainThread !== 'boolean') bad('mainThread must be a boolean');
  const workers = o.workers ?? Math.max(1, availableParallelism() - (mainThread ? 1 : 0));
  if (!Number.isInteger(workers) || workers < 0 || workers > 256) bad(`workers must be an integer in 0…256, got ${String(workers)}`);
  if (workers === 0 && !mainThread) bad('with no workers, mainThread must be true');
  const shards = o.shards ?? workers + (mainThread ? 1 : 0);
  if (!Number.isInteger(shards) || shards < 1 || shards > 65_536) bad(`shards must be an integer in 1…65536, got ${String(shards)}`);
  if (o.differentiate !== undefined && typeof o.differentiate !== 'boolean') bad('differentiate must be a boolean');
  return { worker: { module, exportName, differentiate: o.differentiate }, workers, mainThread, shards };
}

class Pool<P extends Params> implements GradientPool<P> {
  readonly workers: number;
  readonly shards: number;
  private readonly threads: ShardThread[] = [];
  private tasks = 0;
  private isClosed = false;

  constructor(
    private readonly config: PoolConfig,
    readonly data: Batch | undefined,
    private readonly evaluate: ShardEvaluator<P> | undefined,
  ) {
    this.workers = config.workers;
    this.shards = config.shards;
    for (let i = 0; i < config.workers; i++) this.threads.push(this.spawn(i));
  }

  get closed(): boolean {
    return this.isClosed;
  }

  started(): Promise<void> {
    return Promise.all(this.threads.map((t) => t.ready)).then(() => undefined);
  }

  readonly valueAndGrad: ShardedGradient<P> = async (params, batch, key, step = 0) => {
    if (this.isClosed) throw new GradientPoolError('closed', 'valueAndGrad called after close()');
    const stepKey = key ?? random.key(0);
    random.keyData(stepKey); // checks the key
    if (!Number.isSafeInteger(step) || step < 0) throw new InvalidArgumentError(`gradient pool: step must be a non-negative integer, got ${String(step)}`);
    const data = batch ?? this.data;
    if (data === undefined) throw new InvalidArgumentError('gradient pool: no batch given, and the pool has no data');
    const rows = batchRows(data, 'gradient pool: batch');
    const packed = packTree(params, 'gradient pool: params');
    const shards = shardRows(rows, this.shards);
    const threads = this.config.mainThread ? this.threads.length + 1 : this.threads.length;
    // Shard i goes to thread i mod threads; thread 0 is the main thread when it takes part.
    const assigned = (t: number) => shards.filter((s) => s.index % threads === t);
    const firstWorker = this.config.mainThread ? 1 : 0;
    await Promise.all(this.threads.map((t) => t.ready)).catch((err: unknown) => {
      throw this.isClosed ? new GradientPoolError('closed', 'the pool was closed during the step') : err;
    });
    const columns = this.threads.length > 0 ? sharedColumns(data) : [];
    const id = ++this.tasks;
    const key2 = random.keyData(stepKey);
    const pending = this.threads.map((thread, w) => {
      const mine = assigned(w + firstWorker);
      if (mine.length === 0) return Promise.resolve<TaskOutcome>({ ok: true, results: [] });
      return thread.run({ type: 'run', id, params: packed, key: key2, step, columns, shards: mine });
    });
    // the main thread's shards, while the workers compute theirs
    const outcomes = this.evaluate === undefined ? [] : assigned(0).map((s) => this.onMain(params, data, stepKey, step, s));
    const settled = await Promise.all(pending);
    if (this.isClosed) throw new GradientPoolError('closed', 'the pool was closed during the step');
    settled.forEach((o, w) => {
      const thread = this.threads[w]?.number ?? w;
      if (o.ok) {
        for (const r of o.results) {
          const s = shards[r.index];
          outcomes.push({ shard: s, result: { loss: r.loss, grad: unpackTree<P>(r.grad as PackedTree, 'gradient pool: result') } });
        }
      } else {
        outcomes.push({ shard: shards[o.shard], error: new ShardError(o.reason, shards[o.shard], step, thread, { remote: o.error }) });
      }
    });
    const failed = outcomes.filter((o) => o.error !== undefined).sort((a, b) => a.shard.index - b.shard.index);
    if (failed.length > 0) throw failed[0].error as ShardError;
    const reducer = new ShardReducer<P>(shards.length);
    for (const o of outcomes) reducer.add(o.shard.index, o.result as ShardResult<P>);
    return reducer.result();
  };

  /** One shard evaluated on the main thread. */
  private onMain(params: P, data: Batch, key: random.Key, step: number, s: ShardInfo): Outcome<P> {
    try {
      return { shard: s, result: (this.evaluate as ShardEvaluator<P>)(params, sliceRows(data, s.start, s.end), key, step, s) };
    } catch (err) {
      return { shard: s, error: new ShardError(err instanceof BadShardResult ? 'bad-result' : 'threw', s, step, 'main', { cause: err }) };
    }
  }

  async close(): Promise<void> {
    this.isClosed = true;
    await Promise.all(this.threads.map((t) => t.terminate()));
  }

  private spawn(number: number): ShardThread {
    return new ShardThread(number, this.config.worker, (dead) => {
      if (this.isClosed) return;
      const i = this.threads.indexOf(dead);
      if (i >= 0) this.threads[i] = this.spawn(dead.number); // a replacement; the next step waits until it is ready
    });
  }
}

/** What became of one shard of a step. */
interface Outcome<P extends Params> {
  readonly shard: ShardInfo;
  readonly result?: ShardResult<P>;
  readonly error?: ShardError;
}

/** The batch's columns for the workers, in shared memory (copied into it, once per step, if they are not yet). */
function sharedColumns(batch: Batch): ColumnMessage[] {
  const shared = Object.keys(batch).every((k) => isShared(batch[k])) ? batch : shareBatch(batch);
  return Object.keys(shared).map((name) => {
    const t = shared[name] as Tensor;
    return { name, data: t.data, shape: t.shape };
  });
}
