/** The worker thread's side of a gradient pool: load the objective once, then evaluate shards on request. @module */
import type { MessagePort } from 'node:worker_threads';
import { Tensor, random } from '@natgrad/core';
import type { Params } from '../index.js';
import { TransferError } from '../worker/errors.js';
import { packTree, unpackTree } from '../worker/packed-tree.js';
import { toRemoteError } from '../worker/remote-error.js';
import type { Batch } from './batch.js';
import { sliceRows } from './batch.js';
import { loadShardObjective } from './objective-module.js';
import type { ColumnMessage, FromShardWorker, PackedShardResult, RunMessage, WorkerConfig } from './protocol.js';
import { BadShardResult, type ShardEvaluator, shardWorker } from './shard-worker.js';

/** Loads the objective named by `config`, reports ready (or why not), and serves `run` messages. @internal */
export async function serveShards(port: MessagePort, config: WorkerConfig): Promise<void> {
  const send = (m: FromShardWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
  let evaluate: ShardEvaluator;
  try {
    evaluate = shardWorker(await loadShardObjective(config.module, config.exportName), { differentiate: config.differentiate });
  } catch (err) {
    send({ type: 'init-error', error: toRemoteError(err) });
    return;
  }
  port.on('message', (m: RunMessage) => {
    if (m === null || typeof m !== 'object' || m.type !== 'run') return;
    let params: Params;
    let batch: Batch;
    let key: random.Key;
    try {
      params = unpackTree<Params>(m.params, 'gradient pool worker: params');
      batch = readColumns(m.columns);
      key = random.wrapKeyData(m.key);
    } catch (err) {
      send({ type: 'error', id: m.id, shard: m.shards[0]?.index ?? 0, reason: 'threw', error: toRemoteError(err) });
      return;
    }
    const results: PackedShardResult[] = [];
    for (const info of m.shards) {
      try {
        const r = evaluate(params, sliceRows(batch, info.start, info.end), key, m.step, info);
        results.push({ index: info.index, loss: r.loss, grad: packTree(r.grad, 'gradient pool worker: gradient') });
      } catch (err) {
        send({ type: 'error', id: m.id, shard: info.index, reason: err instanceof BadShardResult ? 'bad-result' : 'threw', error: toRemoteError(err) });
        return;
      }
    }
    send({ type: 'result', id: m.id, results }, results.map((r) => r.grad.data.buffer as ArrayBuffer));
  });
  send({ type: 'ready' });
}

/** The step's batch from its columns: a null-prototype record of tensors over the shared memory. */
function readColumns(columns: readonly ColumnMessage[]): Batch {
  const where = 'gradient pool worker: batch';
  if (!Array.isArray(columns)) throw new TransferError(where, 'columns must be an array');
  const out = Object.create(null) as Record<string, Tensor>;
  for (const c of columns) {
    if (typeof c?.name !== 'string' || !(c.data instanceof Float64Array) || !Array.isArray(c.shape)) {
      throw new TransferError(where, 'a column must be { name, data: Float64Array, shape }');
    }
    if (Object.prototype.hasOwnProperty.call(out, c.name)) throw new TransferError(where, `column "${c.name}" appears twice`);
    out[c.name] = new Tensor(c.data, c.shape); // checks that data fills the shape
  }
  return out;
}
