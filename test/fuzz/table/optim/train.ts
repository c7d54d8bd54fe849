/**
 * Signatures of the training streams of `@natgrad/optim` and `@natgrad/optim/progress`: `train` (options, objective,
 * resuming), the operators (run on a stream of states), the async-iterable and promise adapters, and the summary
 * formatters. Streams are collected up to a bound and within a time limit (harness/async.ts).
 * @module
 */
import { type Value, ops } from '@natgrad/core';
import * as optim from '@natgrad/optim';
import { progressBar } from '@natgrad/optim/progress';
import type { Observable } from 'rxjs';
import { VirtualTimeScheduler } from 'rxjs';
import { collect, iterate } from '../../harness/async.js';
import { HostileError, bad, wrongTypes } from '../../harness/hostile.js';
import { type ExportSpec, call, constant, construct, getter, method, stage } from '../../harness/entry.js';
import { anything, bool, field, fn, int, num, options, slot, str, tree } from '../../harness/slots.js';
import { grads, optState, params, rule, stream, trainState } from '../../harness/slots-optim.js';
import type { Expect } from '../../harness/types.js';

/** The loss of the training tables: Σ(w − 3)² + Σb². */
const loss = (p: { w: Value; b: Value }) => ops.add(ops.sum(ops.square(ops.sub(p.w, 3))), ops.sum(ops.square(p.b)));

const objectiveGarbage: readonly (readonly [string, unknown, Expect?])[] = [
  ['a string', 'abc'],
  ['undefined', undefined],
  ['NaN', NaN],
  ['a vector', ops.add(params().w, 0)],
  ['{ loss } without grad', { loss: 1 }],
];

/** Runs a stream to its end (at most 20 values). */
const run = stage([], (s: Observable<unknown>) => collect(s));
/** Applies an operator to a stream of three states and runs it. */
const onStream = stage([stream('source')], (op: (s: Observable<unknown>) => Observable<unknown>, [source]) => collect(op(source as Observable<unknown>)));

const validTrain = () => ({ objective: loss, params: params(), optimiser: optim.Descent(0.1), steps: 3, yieldEvery: 1 });

/** A training state after one update, as a run emits it, to resume from. */
export function resumable(): optim.TrainState {
  const [opt, p] = optim.update(optim.setup(optim.Descent(0.1), params()), params(), grads());
  return Object.freeze({ step: 1, params: p, optimiser: opt, loss: 9.5, gradNorm: 1, stepSize: 0.1, stepSizes: optim.stepSizesOf(opt), wallTime: 1, events: [], seed: 0, epoch: 0, batchIndex: 0 });
}

const initialState = () =>
  slot('initialState', resumable, [
    ...wrongTypes(),
    bad('state without optimiser', () => ({ ...resumable(), optimiser: null }), 'reject', 'shape'),
    bad('state with params "x"', () => ({ ...resumable(), params: 'x' }), 'reject', 'type'),
    bad('state for other parameters', () => ({ ...resumable(), params: { z: params().w } }), 'reject', 'shape'),
    bad('JSON round trip', () => JSON.parse(JSON.stringify(resumable())), 'reject', 'type'),
    bad('seed -1', () => ({ ...resumable(), seed: -1 }), 'reject', 'domain'),
    bad('wallTime NaN', () => ({ ...resumable(), wallTime: NaN }), 'reject', 'nonfinite'),
    bad('step ahead of the optimiser', () => ({ ...resumable(), step: 50 }), 'any', 'domain'),
  ]);

const summaryOf = () => {
  const acc = new optim.SummaryAccumulator();
  for (const s of [trainState(1), trainState(2)]) acc.add(s as unknown as optim.TrainState);
  return acc.value;
};

/** A writable-stream double for progressBar. */
const sink = () => ({ text: '', isTTY: false, columns: 80, write(chunk: string) {
  this.text += chunk;
  return true;
} });

/** The training streams and their helpers, by export name (`progressBar` is in `progressTable`). */
export const trainTable: Readonly<Record<string, ExportSpec>> = {
  train: [
    call('train', optim.train, [
      options('options', {
        objective: fn('objective', () => loss, { garbage: objectiveGarbage }),
        params: tree('params', params, { tensorLeaves: true, nan: 'reject', expect: { 'extra leaf': 'any', 'leaf null': 'reject' } }),
        optimiser: rule('optimiser', () => optim.Descent(0.1), { applied: true }),
        steps: int('steps', { valid: 3, expect: { Infinity: 'any' } }),
        // a bigint seed is documented (TrainState.seed: number | bigint)
        seed: int('seed', { valid: 0, expect: { Infinity: 'reject', '2^53 + 2': 'reject', 'bigint 2n': 'any' } }),
        yieldEvery: slot('yieldEvery', () => 1, [
          ...int('yieldEvery', { valid: 1, min: 1 }).bad,
          bad('{ ms: -1 }', () => ({ ms: -1 }), 'reject', 'domain'),
          bad('{ ms: NaN }', () => ({ ms: NaN }), 'reject', 'nonfinite'),
          bad('{ ms: "5" }', () => ({ ms: '5' }), 'reject', 'type'),
          bad('{ ms: 0 }', () => ({ ms: 0 }), 'any', 'domain'),
        ]),
        scheduler: slot('scheduler', () => new VirtualTimeScheduler(), [...wrongTypes(['undefined']), bad('object without schedule', () => ({ now: () => 0 }), 'reject', 'type')]),
        differentiate: bool('differentiate', { valid: true }),
      }, { valid: validTrain, required: ['objective'] }),
    ], { then: [run], names: ['training'], timeoutMs: 4000 }),
    call('train [resumed]', (state: optim.TrainState, steps: number) => optim.train({ objective: loss as unknown as optim.Objective, initialState: state, steps }), [initialState(), int('steps', { valid: 4, optional: true, present: true })], {
      then: [run],
      names: ['training'],
    }),
  ],
  DEFAULT_YIELD_EVERY: constant(optim.DEFAULT_YIELD_EVERY, { ms: 10 }),
  TrainingError: [
    construct('new TrainingError', optim.TrainingError, [
      field('reason', () => 'objective-threw'), field('step', () => 3), field('lastGoodState', () => undefined), field('cause', () => new Error('x')),
    ]),
  ],
  stepSizeOf: [call('stepSizeOf', optim.stepSizeOf, [optState('opt')])],
  stepSizesOf: [call('stepSizesOf', optim.stepSizesOf, [optState('opt')])],
  STEP_SIZE_NAMES: constant(optim.STEP_SIZE_NAMES, ['lr', 'learningRate', 'stepSize', 'eta', 'alpha']),
  globalNorm: [call('globalNorm', optim.globalNorm, [tree('tree', params, { tensorLeaves: true, nan: 'ieee' })])],
  untilConverged: [
    call('untilConverged', optim.untilConverged, [
      options('options', {
        window: int('window', { valid: 1, min: 1, size: true }),
        rtol: num('rtol', { valid: 1e-6, min: 0 }),
        atol: num('atol', { valid: 0, min: 0 }),
      }, { valid: () => ({ window: 1, rtol: 1e-6 }), required: ['window', 'rtol'] }),
    ], { then: [onStream] }),
  ],
  every: [call('every', optim.every, [int('k', { valid: 2, min: 1 })], { then: [onStream] })],
  toAsyncIterable: [
    call('toAsyncIterable', optim.toAsyncIterable, [stream('source'), options('options', { bufferSize: int('bufferSize', { valid: 2, min: 1, expect: { Infinity: 'any' } }) }, { optional: true })], {
      then: [stage([], (it: AsyncIterable<unknown>) => iterate(it))],
    }),
  ],
  summary: [call('summary', optim.summary, [], { then: [onStream] })],
  formatSummary: [
    call('formatSummary', optim.formatSummary, [
      slot('s', summaryOf, [...wrongTypes(), bad('summary with steps "x"', () => ({ ...summaryOf(), steps: 'x' }), 'reject', 'type')]),
      options('ending', { error: anything('error', () => new Error('x')), stopped: bool('stopped') }, { optional: true }),
    ], { result: 'none' }),
  ],
  formatDuration: [call('formatDuration', optim.formatDuration, [num('ms', { valid: 1234, nonFinite: 'any' })], { result: 'none' })],
  formatLoss: [call('formatLoss', optim.formatLoss, [num('x', { valid: 0.5, nonFinite: 'any', optional: true })], { result: 'none' })],
  SummaryAccumulator: [
    construct('new SummaryAccumulator', optim.SummaryAccumulator, []),
    method('SummaryAccumulator#add', slot('this', () => new optim.SummaryAccumulator(), []), 'add', [
      slot('state', () => trainState(1), [
        ...wrongTypes(),
        bad('state with step "x"', () => ({ ...trainState(1), step: 'x' }), 'reject', 'type'),
        bad('state with events null', () => ({ ...trainState(1), events: null }), 'reject', 'type'),
        bad('state with loss NaN', () => ({ ...trainState(1), loss: NaN }), 'any', 'nonfinite'),
      ]),
    ], { result: 'none' }),
    getter('SummaryAccumulator#value', slot('this', () => new optim.SummaryAccumulator(), []), 'value'),
  ],
  lastState: [call('lastState', optim.lastState, [stream('source')])],
};

/** `@natgrad/optim/progress`, by export name. */
export const progressTable: Readonly<Record<string, ExportSpec>> = {
  progressBar: [
    call('progressBar', progressBar, [
      options('options', {
        total: int('total', { valid: 3, expect: { Infinity: 'any' } }),
        stream: slot('stream', sink, [...wrongTypes(['undefined']), bad('write is not a function', () => ({ write: 5, isTTY: true }), 'reject', 'type'), bad('write throws', () => ({ isTTY: true, write() {
          throw new HostileError('stream write');
        } }), 'any', 'callback')]),
        force: bool('force', { valid: true }),
        label: str('label', { valid: 'fuzz' }),
        fps: num('fps', { valid: 10, min: 0, open: 'min' }),
        interval: num('interval', { valid: 100, min: 0 }),
        summary: bool('summary', { valid: true }),
      }, { valid: () => ({ stream: sink(), force: true }), optional: true, present: true }),
    ], { then: [onStream] }),
  ],
};
