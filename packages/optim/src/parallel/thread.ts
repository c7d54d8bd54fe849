/** One worker thread of a gradient pool: its start-up handshake, its tasks in flight, and its death. @module */
import { Worker } from 'node:worker_threads';
import { type RemoteError, readRemoteError, toRemoteError } from '../worker/remote-error.js';
import { GradientPoolError } from './errors.js';
import type { FromShardWorker, PackedShardResult, RunMessage, WorkerConfig } from './protocol.js';
import { workerScript } from './worker-script.js';

/** What became of a task: every shard's result, or the first shard that failed and why. @internal */
export type TaskOutcome =
  | { readonly ok: true; readonly results: readonly PackedShardResult[] }
  | { readonly ok: false; readonly shard: number; readonly reason: 'threw' | 'bad-result' | 'crashed'; readonly error: RemoteError };

/**
 * A worker thread. `ready` settles once the objective is loaded there (rejecting with a `GradientPoolError` if it
 * did not load). A dead thread settles its tasks as `'crashed'` and calls `onDeath`. Idle, it does not keep the
 * process alive (so a pool that is never closed does not hang Node); with tasks in flight it does. @internal
 */
export class ShardThread {
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private readonly tasks = new Map<number, { readonly firstShard: number; readonly settle: (o: TaskOutcome) => void }>();
  private lastError: RemoteError | undefined;
  private alive = true;
  private terminating = false;

  constructor(
    readonly number: number,
    config: WorkerConfig,
    onDeath: (thread: ShardThread) => void,
  ) {
    const { script, eval: isEval } = workerScript();
    this.worker = new Worker(script, { eval: isEval, workerData: config });
    let started = false;
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.on('message', (m: FromShardWorker) => {
        if (m?.type === 'ready') {
          started = true;
          this.worker.unref();
          resolve();
        } else if (m?.type === 'init-error') {
          const remote = readRemoteError(m.error);
          reject(new GradientPoolError('start-failed', `worker ${number} could not load the objective: ${remote.name}: ${remote.message}`, remote));
          void this.terminate();
        } else if (m?.type === 'result' || m?.type === 'error') {
          const task = this.tasks.get(m.id);
          if (task === undefined) return;
          this.tasks.delete(m.id);
          if (this.tasks.size === 0) this.worker.unref();
          task.settle(m.type === 'result' ? { ok: true, results: m.results } : { ok: false, shard: m.shard, reason: m.reason, error: readRemoteError(m.error) });
        }
      });
      this.worker.on('error', (err) => {
        this.lastError = toRemoteError(err);
      });
      this.worker.on('exit', (code) => {
        this.alive = false;
        const error = this.lastError ?? { name: 'Error', message: `the worker thread exited with code ${code}` };
        if (!started) {
          reject(new GradientPoolError('start-failed', `worker ${number} stopped while starting: ${error.name}: ${error.message}`, error));
        }
        for (const [, task] of this.tasks) task.settle({ ok: false, shard: task.firstShard, reason: 'crashed', error });
        this.tasks.clear();
        if (started && !this.terminating) onDeath(this);
      });
    });
    this.ready.catch(() => undefined); // observed by the pool; never an unhandled rejection here
  }

  /** True until the thread has exited. */
  get isAlive(): boolean {
    return this.alive;
  }

  /** Sends a task; settles when the worker answers or dies. */
  run(message: RunMessage): Promise<TaskOutcome> {
    return new Promise<TaskOutcome>((settle) => {
      if (!this.alive) {
        settle({ ok: false, shard: message.shards[0]?.index ?? 0, reason: 'crashed', error: this.lastError ?? { name: 'Error', message: 'the worker thread is gone' } });
        return;
      }
      this.tasks.set(message.id, { firstShard: message.shards[0]?.index ?? 0, settle });
      this.worker.ref();
      this.worker.postMessage(message);
    });
  }

  /** Ends the thread (its tasks settle as crashed); resolves once it has exited. */
  async terminate(): Promise<void> {
    this.terminating = true;
    if (!this.alive) return;
    await this.worker.terminate();
  }
}
