/**
 * Signatures of `@natgrad/optim/parallel` (data-parallel gradients) and `@natgrad/optim/worker` (training in a
 * worker). No thread is started: gradient pools run in main-thread mode (`workers: 0`), and a "worker" is one end of
 * an in-process `MessageChannel` whose other end is served by `exposeTraining`, so every case is a real round trip
 * of the protocol within the fuzz worker process. (A port nobody serves is not a bad value: the stream waits for the
 * worker, as it does while a real worker's script loads.)
 * @module
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { Tensor, random } from '@natgrad/core';
import * as optim from '@natgrad/optim';
import * as parallel from '@natgrad/optim/parallel';
import * as worker from '@natgrad/optim/worker';
import { type Observable, of } from 'rxjs';
import { collect } from '../../harness/async.js';
import { bad, wrongTypes } from '../../harness/hostile.js';
import { type ExportSpec, call, constant, construct, covered, getter, method, stage } from '../../harness/entry.js';
import { anything, bool, field, fixed, fn, int, options, slot, str, tree } from '../../harness/slots.js';
import { trainState } from '../../harness/slots-optim.js';
import type { Slot } from '../../harness/types.js';

const OBJECTIVE = new URL('./fixtures/shard-objective.ts', import.meta.url);

/** A batch of 6 rows: x [6, 2], y [6, 2]. */
const batch = () => ({ x: Tensor.from([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12]]), y: Tensor.from([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6]]) });
const weights = () => ({ w: Tensor.from([0.5, -0.5]) });

const batchSlot = (name = 'batch'): Slot =>
  slot(name, batch, [
    ...wrongTypes(['object']),
    bad('empty object (no columns)', () => ({}), 'reject', 'shape'),
    bad('a Tensor instead of columns', () => Tensor.zeros([6, 2]), 'reject', 'type'),
    bad('a column that is a nested array', () => ({ ...batch(), x: [[1, 2]] }), 'reject', 'type'),
    bad('columns of different row counts', () => ({ ...batch(), y: Tensor.zeros([5, 2]) }), 'reject', 'shape'),
    bad('a scalar column', () => ({ ...batch(), y: Tensor.scalar(1) }), 'reject', 'shape'),
    bad('a getter column', () => Object.defineProperty({ ...batch() }, 'y', { enumerable: true, get: () => Tensor.zeros([6, 2]) }), 'reject', 'hostile'),
    bad('2000 columns', () => Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`c${i}`, Tensor.zeros([1])])), 'reject', 'size'),
    bad('own "__proto__" column (JSON.parse)', () => JSON.parse('{"__proto__": 1, "x": 2}'), 'reject', 'hostile'),
    bad('NaN in a column', () => ({ ...batch(), x: Tensor.from([[NaN, 1], [1, 1], [1, 1], [1, 1], [1, 1], [1, 1]]) }), 'ieee', 'nonfinite'),
  ]);

const shardResult = (loss = 1) => ({ loss, grad: { w: Tensor.from([1, 2]) } });
const shardResults = () =>
  slot('results', () => [shardResult(1), shardResult(2)], [
    ...wrongTypes(['array']),
    bad('empty list', () => [], 'reject', 'shape'),
    bad('a result with loss "1"', () => [shardResult(), { ...shardResult(), loss: '1' }], 'reject', 'type'),
    bad('a result with NaN loss', () => [shardResult(), shardResult(NaN)], 'ieee', 'nonfinite'),
    bad('a result without grad', () => [shardResult(), { loss: 1 }], 'reject', 'shape'),
    bad('gradients of different structure', () => [shardResult(), { loss: 1, grad: { v: Tensor.from([1, 2]) } }], 'reject', 'shape'),
    bad('gradients of different shapes', () => [shardResult(), { loss: 1, grad: { w: Tensor.from([1, 2, 3]) } }], 'reject', 'shape'),
    bad('a gradient leaf "abc"', () => [shardResult(), { loss: 1, grad: { w: 'abc' } }], 'reject', 'type'),
    bad('null result', () => [shardResult(), null], 'reject', 'type'),
  ]);

/** A port whose partner serves training runs: Σ(w − 1)² with Descent, `config.steps` steps (default 3). */
function servedPort(): MessagePort {
  const { port1, port2 } = new MessageChannel();
  worker.exposeTraining(port2, (config: { steps?: number } | undefined) =>
    optim.train({ objective: (p: { w: Tensor }) => p.w.sub(1).square().sum(), params: { w: Tensor.from([0, 2]) }, optimiser: optim.Descent(0.1), steps: config?.steps ?? 3 }),
  );
  port2.unref();
  port1.unref();
  return port1;
}

const port = (name: string, serve: () => MessagePort) =>
  slot(name, serve, [
    ...wrongTypes(),
    bad('object without postMessage', () => ({ addEventListener() {}, removeEventListener() {} }), 'reject', 'type'),
    bad('object without addEventListener', () => ({ postMessage() {} }), 'reject', 'type'),
  ]);

const run = stage([], (s: Observable<unknown>) => collect(s, 5, 2000));

const remoteError = () => ({ name: 'Error', message: 'remote', stack: undefined });

/** The tables of `@natgrad/optim/parallel`, by export name. */
export const parallelTable: Readonly<Record<string, ExportSpec>> = {
  MAX_BATCH_COLUMNS: constant(parallel.MAX_BATCH_COLUMNS, 1024),
  // neither is allocated (at most min(rows, count) shards are made), so huge values are valid
  shardRows: [call('shardRows', parallel.shardRows, [int('rows', { valid: 10 }), int('count', { valid: 3, min: 1 })])],
  sliceRows: [call('sliceRows', parallel.sliceRows, [batchSlot(), int('start', { valid: 1, max: 6 }), int('end', { valid: 4, max: 6 })])],
  shareBatch: [call('shareBatch', parallel.shareBatch, [batchSlot()])],
  sumShards: [call('sumShards', parallel.sumShards, [shardResults()])],
  ShardReducer: [
    construct('new ShardReducer', parallel.ShardReducer, [int('shards', { valid: 2, min: 1, size: true })]),
    method('ShardReducer#add', fixed('this', () => new parallel.ShardReducer(2)), 'add', [int('index', { valid: 1, max: 1 }), anything('result', () => shardResult())], { result: 'none' }),
    getter('ShardReducer#received', fixed('this', () => new parallel.ShardReducer(2)), 'received'),
    getter('ShardReducer#complete', fixed('this', () => new parallel.ShardReducer(2)), 'complete', { result: 'none' }),
    method('ShardReducer#has', fixed('this', () => new parallel.ShardReducer(2)), 'has', [int('index', { valid: 0, max: 1 })], { result: 'none' }),
    method('ShardReducer#result', fixed('this', () => {
      const r = new parallel.ShardReducer(2);
      r.add(0, shardResult(1));
      r.add(1, shardResult(2));
      return r;
    }), 'result', []),
  ],
  shardWorker: [
    call('shardWorker', parallel.shardWorker, [
      fn('objective', () => (p: { w: Tensor }, shard: parallel.Batch) => shard.x.mul(p.w).sub(shard.y).square().sum()),
      options('options', { differentiate: bool('differentiate', { valid: true, optional: true }) }, { optional: true }),
    ], {
      then: [stage([batchSlot('shard')], (f: parallel.ShardEvaluator, [shard]) => f(weights(), shard as parallel.Batch, random.key(0), 0, parallel.shardRows(6, 1)[0]))],
      names: ['shardWorker', 'shard'],
    }),
  ],
  createGradientPool: [
    call('createGradientPool', parallel.createGradientPool, [
      options('options', {
        module: slot('module', () => OBJECTIVE, [
          ...wrongTypes(['string']),
          bad('an http: URL', () => new URL('https://example.com/objective.js'), 'reject', 'domain'),
          bad('a relative path', () => './objective.js', 'reject', 'domain'),
          bad('a file that does not exist', () => new URL('./fixtures/missing.ts', import.meta.url), 'reject', 'domain'),
          bad('the path as a string', () => fileURLToPath(OBJECTIVE), 'any', 'type'),
        ]),
        exportName: str('exportName', { valid: 'default', optional: true }),
        data: batchSlot('data'),
        // null reads as the default (one thread per spare core): it would start real threads, so it is left out here
        // (noticed: optim accepts it rather than rejecting it)
        workers: int('workers', { valid: 0, max: 256, drop: ['null'] }),
        mainThread: bool('mainThread', { valid: true }),
        shards: int('shards', { valid: 2, min: 1, max: 65_536 }),
        differentiate: bool('differentiate', { valid: true, optional: true }),
      }, { valid: () => ({ module: OBJECTIVE, data: batch(), workers: 0, mainThread: true, shards: 2 }), required: ['module'] }),
    ], {
      // workers: 0 keeps every case in this process; the pool is closed whatever the gradient did
      then: [stage([], async (pool: parallel.GradientPool) => {
        try {
          return await pool.valueAndGrad(weights());
        } finally {
          await pool.close();
        }
      })],
      names: ['createGradientPool', 'gradient pool'],
      timeoutMs: 5000,
    }),
  ],
  ShardError: [
    construct('new ShardError', parallel.ShardError, [
      field('reason', () => 'threw'), field('shard', () => parallel.shardRows(6, 2)[0]), field('step', () => 1), field('thread', () => 'main'),
      field('error', () => ({ remote: remoteError() })),
    ]),
  ],
  GradientPoolError: [construct('new GradientPoolError', parallel.GradientPoolError, [field('reason', () => 'start-failed'), field('message', () => 'fuzz'), field('remote', remoteError, { optional: true })])],
  ...packing(),
  TransferError: [construct('new TransferError', worker.TransferError, [field('where', () => 'fuzz'), field('problem', () => 'fuzz problem')])],
};

/** packTree/unpackTree (exported by both entry points; fuzzed through `@natgrad/optim/parallel`). */
function packing(): Record<string, ExportSpec> {
  const packed = () => worker.packTree({ a: Tensor.from([1, 2]), b: [Tensor.scalar(3)] });
  return {
    packTree: [call('packTree', worker.packTree, [tree('tree', () => ({ a: Tensor.from([1, 2]), b: [Tensor.scalar(3)] }), { tensorLeaves: true, nan: 'ieee' })])],
    unpackTree: [
      call('unpackTree', worker.unpackTree, [
        slot('packed', packed, [
          ...wrongTypes(),
          bad('structure not a tree definition', () => ({ ...packed(), def: 'x' }), 'reject', 'shape'),
          // the packed form is { def, shapes, data }: data shorter than the shapes need
          bad('data too short', () => ({ ...packed(), data: new Float64Array(1) }), 'reject', 'shape'),
          bad('JSON round trip (buffer lost)', () => JSON.parse(JSON.stringify(packed())), 'reject', 'type'),
          bad('own "__proto__" key (JSON.parse)', () => ({ ...JSON.parse('{"__proto__": {"polluted": 1}}'), ...packed() }), 'any', 'hostile'),
        ]),
      ]),
    ],
  };
}

/** An export of `@natgrad/optim/worker` that `@natgrad/optim/parallel` re-exports: the same value, fuzzed there. */
const sameAsParallel = (name: 'packTree' | 'unpackTree' | 'TransferError'): ExportSpec =>
  covered('the same export as @natgrad/optim/parallel\'s, fuzzed in that table', () =>
    (worker as Record<string, unknown>)[name] === (parallel as Record<string, unknown>)[name] ? [] : [`is not @natgrad/optim/parallel's ${name}`],
  );

/** The tables of `@natgrad/optim/worker`, by export name. */
export const workerTable: Readonly<Record<string, ExportSpec>> = {
  MAX_PACKED_NODES: constant(worker.MAX_PACKED_NODES, 100_000),
  MAX_PACKED_DEPTH: constant(worker.MAX_PACKED_DEPTH, 64),
  packTree: sameAsParallel('packTree'),
  unpackTree: sameAsParallel('unpackTree'),
  trainInWorker: [
    call('trainInWorker', worker.trainInWorker, [
      port('worker', servedPort),
      anything('config', () => ({ steps: 3 })),
      options('options', { bufferSize: int('bufferSize', { valid: 2, min: 1 }) }, { optional: true }),
    ], { then: [run], names: ['trainInWorker', 'worker'], timeoutMs: 5000 }),
  ],
  exposeTraining: [
    call('exposeTraining', worker.exposeTraining, [
      port('scope', () => {
        const { port1 } = new MessageChannel();
        port1.unref();
        return port1;
      }),
      fn('factory', () => () => of(trainState(1)), { garbage: [['a string', 'abc', 'any']] }),
    ], { then: [stage([], (stop: () => void) => stop())], result: 'none' }),
  ],
  WorkerTrainingError: [
    construct('new WorkerTrainingError', worker.WorkerTrainingError, [field('reason', () => 'stream-failed'), field('message', () => 'fuzz'), field('details', () => ({}), { optional: true })]),
  ],
  TransferError: sameAsParallel('TransferError'),
};
