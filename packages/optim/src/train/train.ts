/**
 * `train`: a training run as a cold rxjs Observable of immutable {@link TrainState} snapshots. Subscribe to start,
 * unsubscribe to stop, pipe through rxjs operators (`take`, `takeUntil`, `throttleTime`, …) and ours
 * ({@link untilConverged}, {@link every}, `progressBar` from `@natgrad/optim/progress`).
 * @module
 */
import { InvalidArgumentError, NonFiniteError, Tensor, random, treeLeaves } from '@natgrad/core';
import { freeze } from 'immer';
import { type Observable, type SchedulerAction, asyncScheduler } from 'rxjs';
import { checkOptions } from '../check-rule.js';
import { NonFiniteGradientError, NonFiniteStateError, TooManyNonFiniteStepsError, TooManyRejectedStepsError, namedBy, shown } from '../errors.js';
import type { AnyRule, Params, ParamsLike } from '../rule.js';
import { type OptimiserState, setup, update } from '../update.js';
import { type Cursor, DONE, type Pulled, isDataSource, isPromiseLike, openCursor } from './data/source.js';
import { TrainingError, type TrainingFailure } from './errors.js';
import { globalNorm } from './norm.js';
import { BadObjectiveResult, type Evaluation, ObjectiveNonFinite, makeEvaluator } from './objective.js';
import { TrainObservable } from './observable.js';
import { shareUnchanged } from './share.js';
import { stepSizeOf, stepSizesOf } from './step-size.js';
import type { TrainOptions, TrainState, YieldPolicy } from './types.js';

/** Default {@link TrainOptions.yieldEvery}: yield after 10 ms of work. */
export const DEFAULT_YIELD_EVERY: YieldPolicy = Object.freeze({ ms: 10 });

/**
 * A training run as a cold Observable: each subscription sets up its own optimiser and runs its own loop (nothing is
 * shared between subscriptions but the immutable inputs), and unsubscribing stops it before the next step.
 *
 * Step `t` (0-based: `t` updates done before it) reads its batch from `data` (if given), calls
 * `objective(params, random.foldIn(random.key(seed), t), t, batch)`, awaits it if it returns a Promise, differentiates
 * the result when it is a scalar loss, hands the gradient to `update`, and emits a frozen {@link TrainState} with
 * `step = t + 1` and the batch's `epoch` and `batchIndex`. Work runs on `scheduler` in slices (see {@link TrainOptions.yieldEvery}), so
 * timers, I/O and rendering go on during a long run; a step waiting for an async batch or objective lets the event
 * loop run until it resolves. The stream completes after `steps` updates, `epochs` epochs, or when the data end,
 * and fails with a {@link TrainingError} (carrying the step and the last good state) if reading the batch fails, the
 * objective throws or returns a non-finite loss or gradient, or `update` rejects the step; nothing non-finite is ever emitted. If the consumer's `next` throws,
 * the run stops there (rxjs still reports the exception as usual); this holds through `pipe` with rxjs's operators
 * and this package's, which keep the returned Observable's class.
 *
 * @example
 * // minibatches: 10 shuffled passes over in-memory columns x [N, D], y [N]
 * train({ data: columns({ x, y }, { batchSize: 128 }), objective: (p, _key, _step, b) => loss(p, b.x, b.y), params, optimiser: Adam(1e-3), epochs: 10 });
 *
 * @example
 * const q = { mu: Tensor.zeros([2]) };
 * const run$ = train({
 *   objective: (p) => ops.sum(ops.square(ops.sub(p.mu, 3))),
 *   params: q,
 *   optimiser: Descent(0.1),
 *   steps: 1000,
 * }).pipe(untilConverged({ window: 20, rtol: 1e-6 }), progressBar({ total: 1000 }));
 * const final = await lastState(run$);
 *
 * @throws {InvalidArgumentError} (synchronously, when called) for invalid options.
 */
export function train<P extends ParamsLike<P> = Params, B = undefined>(options: TrainOptions<P, B>): Observable<TrainState<P>> {
  const config = validate(options);
  return new TrainObservable<TrainState<P>>((subscriber) => {
    const scheduler = options.scheduler ?? asyncScheduler;
    const started = scheduler.now();
    const init = options.initialState;
    let params: P;
    let opt: OptimiserState;
    try {
      if (init !== undefined) {
        params = init.params;
        opt = init.optimiser;
      } else {
        params = options.params as P;
        opt = isOptimiserState(options.optimiser) ? options.optimiser : setupFor(options.optimiser as AnyRule, params as Params);
      }
    } catch (err) {
      subscriber.error(err);
      return undefined;
    }
    const wall0 = init?.wallTime ?? 0;
    const baseKey = random.key(config.seed);
    const evaluate = makeEvaluator(options.objective, options.differentiate);
    let last: TrainState<P> | undefined = init;
    const data = options.data;
    let cursor: Cursor<B> | undefined;
    try {
      // A resumed run goes on after the batch its state used (an older state without a position: from the start).
      if (data !== undefined) cursor = openCursor(data, { epoch: init?.epoch ?? 0, index: init?.batchIndex ?? -1 }, config.epochs);
    } catch (err) {
      subscriber.error(err);
      return undefined;
    }

    const fail = (reason: TrainingFailure, step: number, cause: unknown): false => {
      subscriber.error(new TrainingError(reason, step, last as TrainState | undefined, cause));
      return false;
    };
    const failObjective = (t: number, err: unknown): false => {
      if (err instanceof ObjectiveNonFinite) return fail(err.pass === 'forward' ? 'non-finite-loss' : 'non-finite-gradient', t, err.cause);
      return fail(err instanceof BadObjectiveResult ? 'bad-objective-result' : 'objective-threw', t, err);
    };

    /** One update: reads the batch, evaluates, updates, emits. False if the stream ended (completed or failed). */
    const stepOnce = (): boolean | Promise<boolean> => {
      const t = opt.step;
      if (cursor === undefined) return withBatch(t, { batch: undefined as B, epoch: 0, index: t });
      let pulled: Pulled<B> | typeof DONE | Promise<Pulled<B> | typeof DONE>;
      try {
        pulled = cursor.next();
      } catch (err) {
        return fail('data-failed', t, err);
      }
      if (isPromiseLike<Pulled<B> | typeof DONE>(pulled)) {
        return Promise.resolve(pulled).then(
          (p) => !subscriber.closed && withBatch(t, p),
          (err: unknown) => fail('data-failed', t, err),
        );
      }
      return withBatch(t, pulled);
    };

    const withBatch = (t: number, pulled: Pulled<B> | typeof DONE): boolean | Promise<boolean> => {
      if (pulled === DONE) {
        subscriber.complete();
        return false;
      }
      let ev: Evaluation<P> | Promise<Evaluation<P>>;
      try {
        ev = evaluate(params, random.foldIn(baseKey, t), t, pulled.batch);
      } catch (err) {
        return failObjective(t, err);
      }
      if (isPromiseLike<Evaluation<P>>(ev)) {
        return ev.then(
          (e) => !subscriber.closed && finish(t, pulled, e),
          (err: unknown) => failObjective(t, err),
        );
      }
      return finish(t, pulled, ev);
    };

    const finish = (t: number, pulled: Pulled<B>, { loss, grad }: Evaluation<P>): boolean => {
      // A non-finite loss fails the run, unless the rule handles non-finite gradients (applyIfFinite) and the
      // gradient is non-finite too: the rule then skips the step and reports it in the events.
      if (!Number.isFinite(loss) && !(opt.rule.handlesNonFinite === true && !allFinite(grad))) {
        return fail('non-finite-loss', t, new NonFiniteError(`training step ${t}: loss`, 0, loss));
      }
      const stepSize = stepSizeOf(opt);
      const stepSizes = sameNumbers(last?.stepSizes, stepSizesOf(opt));
      let nextOpt: OptimiserState;
      let nextParams: P;
      try {
        [nextOpt, nextParams] = update(opt, params as Params, grad as Params) as [OptimiserState, P];
      } catch (err) {
        return fail(updateFailure(err), t, err);
      }
      const gradNorm = globalNorm(grad);
      nextParams = shareUnchanged(params, nextParams);
      nextOpt = shareUnchanged(opt, nextOpt);
      const state = freeze(
        {
          step: nextOpt.step,
          params: nextParams,
          optimiser: nextOpt,
          loss,
          gradNorm,
          stepSize,
          stepSizes,
          wallTime: wall0 + (scheduler.now() - started),
          events: nextOpt.events,
          seed: config.seed,
          epoch: pulled.epoch,
          batchIndex: pulled.index,
        },
        true,
      ) as TrainState<P>;
      params = nextParams;
      opt = nextOpt;
      last = state;
      subscriber.next(state);
      return true;
    };

    const { count, budgetMs } = config;
    /** The scheduled action of the run (rescheduling it reuses its timer, so a yield costs one event-loop turn). */
    let action: SchedulerAction<undefined> | undefined;
    /**
     * Runs steps until the slice's budget is spent, then reschedules the action. A step that waits for a Promise ends
     * the synchronous part; when it resolves, the same slice goes on (its time budget still counting).
     */
    const work = (t0: number, done: number): void => {
      try {
        let n = done;
        for (;;) {
          if (subscriber.closed) return;
          if (opt.step >= config.steps) {
            subscriber.complete();
            return;
          }
          if (n > 0 && (budgetMs === undefined ? n >= count : performance.now() - t0 >= budgetMs)) break;
          const r = stepOnce();
          if (r === false) return;
          n++;
          if (r !== true) {
            r.then(
              (ok) => {
                if (ok) work(t0, n);
              },
              (err: unknown) => subscriber.error(err),
            );
            return;
          }
        }
        action?.schedule(undefined);
      } catch (err) {
        subscriber.error(err);
      }
    };
    const run = scheduler.schedule(function slice(this: SchedulerAction<undefined>) {
      action = this;
      work(budgetMs === undefined ? 0 : performance.now(), 0);
    });
    return () => {
      run.unsubscribe();
      action?.unsubscribe();
      cursor?.close();
    };
  });
}

/** `prev` itself when `next` holds the same numbers (consecutive snapshots share what did not change), else `next`. */
function sameNumbers(prev: Readonly<Record<string, number>> | undefined, next: Readonly<Record<string, number>>): Readonly<Record<string, number>> {
  if (prev === undefined) return next;
  const keys = Object.keys(next);
  if (keys.length !== Object.keys(prev).length) return next;
  return keys.every((k) => Object.hasOwn(prev, k) && Object.is(prev[k], next[k])) ? prev : next;
}

/** The reason a training run gives for an exception of `update`. */
function updateFailure(err: unknown): TrainingFailure {
  if (err instanceof NonFiniteGradientError || err instanceof TooManyNonFiniteStepsError) return 'non-finite-gradient';
  if (err instanceof NonFiniteStateError) return 'non-finite-state';
  if (err instanceof TooManyRejectedStepsError) return 'steps-rejected';
  return 'update-failed';
}

/** True when every leaf is a tensor of finite numbers. */
function allFinite(tree: unknown): boolean {
  return treeLeaves(tree).every((l) => l instanceof Tensor && l.data.every((x) => Number.isFinite(x)));
}

interface Config {
  readonly steps: number;
  readonly seed: number | bigint;
  readonly count: number;
  readonly budgetMs: number | undefined;
  readonly epochs: number;
}

function isOptimiserState(x: unknown): x is OptimiserState {
  return (
    x !== null &&
    typeof x === 'object' &&
    'rule' in x &&
    'state' in x &&
    typeof (x as { step?: unknown }).step === 'number'
  );
}

function isRule(x: unknown): x is AnyRule {
  return (
    x !== null &&
    typeof x === 'object' &&
    typeof (x as AnyRule).init === 'function' &&
    typeof (x as AnyRule).apply === 'function'
  );
}

/** Every option of {@link train}: a misspelt one (`step: 100`) must not silently start an endless run. */
const OPTIONS = ['objective', 'params', 'optimiser', 'steps', 'seed', 'yieldEvery', 'scheduler', 'initialState', 'differentiate', 'data', 'epochs'];

function validate<P extends ParamsLike<P>, B>(o: TrainOptions<P, B>): Config {
  const bad = (msg: string): never => {
    throw new InvalidArgumentError(`train: ${msg}`);
  };
  if (o === null || typeof o !== 'object') bad('expected an options object');
  checkOptions('train', o, OPTIONS);
  if (typeof o.objective !== 'function') bad('objective must be a function (params, key, step, batch) => loss');
  if (o.initialState !== undefined) {
    if (o.params !== undefined || o.optimiser !== undefined) {
      bad('give either initialState, or params and optimiser, not both');
    }
    const s = o.initialState;
    if (s === null || typeof s !== 'object' || !isOptimiserState(s.optimiser) || s.params === undefined) {
      bad('initialState must be a TrainState emitted by train (with params and optimiser)');
    }
    if (s.wallTime !== undefined && !(typeof s.wallTime === 'number' && Number.isFinite(s.wallTime) && s.wallTime >= 0)) {
      bad(`initialState.wallTime must be a finite number ≥ 0 (ms), got ${shown(s.wallTime)}`);
    }
    // The position decides which batch comes next: a state from elsewhere (a worker, a hand-made object) must hold one.
    if (s.epoch !== undefined && !(Number.isSafeInteger(s.epoch) && s.epoch >= 0)) bad(`initialState.epoch must be an integer ≥ 0, got ${shown(s.epoch)}`);
    if (s.batchIndex !== undefined && !(Number.isSafeInteger(s.batchIndex) && s.batchIndex >= -1)) {
      bad(`initialState.batchIndex must be an integer ≥ −1, got ${shown(s.batchIndex)}`);
    }
  } else {
    if (o.params === undefined) bad('params is required (or give initialState)');
    if (!isOptimiserState(o.optimiser) && !isRule(o.optimiser)) {
      bad('optimiser must be a Rule or an OptimiserState (or give initialState)');
    }
  }
  const sch = o.scheduler as { now?: unknown; schedule?: unknown } | undefined;
  if (sch !== undefined && (sch === null || typeof sch.now !== 'function' || typeof sch.schedule !== 'function')) {
    bad('scheduler must be an rxjs scheduler (asyncScheduler, animationFrameScheduler, a TestScheduler, …)');
  }
  if (o.differentiate !== undefined && typeof o.differentiate !== 'boolean') bad(`differentiate must be a boolean, got ${typeof o.differentiate}`);
  const steps = o.steps === undefined ? Infinity : o.steps; // null is not a default
  if (typeof steps !== 'number' || !(steps >= 0) || (Number.isFinite(steps) && !Number.isInteger(steps))) {
    bad(`steps must be a non-negative integer or Infinity, got ${shown(steps)}`);
  }
  const epochs = o.epochs === undefined ? Infinity : o.epochs; // null is not a default
  if (typeof epochs !== 'number' || !(epochs >= 0) || (Number.isFinite(epochs) && !Number.isInteger(epochs))) {
    bad(`epochs must be a non-negative integer or Infinity, got ${shown(epochs)}`);
  }
  if (o.data !== undefined && !isDataSource(o.data)) {
    bad(`data must be columns(...), an iterable, an async iterable or an Observable of batches, or a function epoch => batches, got ${shown(o.data)}`);
  }
  if (o.epochs !== undefined && o.data === undefined) bad('epochs needs a data source (give data)');
  const seed = o.seed !== undefined ? o.seed : (o.initialState?.seed ?? 0);
  try {
    random.key(seed);
  } catch (err) {
    bad(`invalid seed: ${(err as Error).message}`);
  }
  const y = o.yieldEvery === undefined ? DEFAULT_YIELD_EVERY : o.yieldEvery;
  let count = Infinity;
  let budgetMs: number | undefined;
  if (typeof y === 'number') {
    if (!(y >= 1) || (Number.isFinite(y) && !Number.isInteger(y))) {
      bad(`yieldEvery must be a positive integer, Infinity or { ms }, got ${shown(y)}`);
    }
    count = y;
  } else if (y !== null && typeof y === 'object' && typeof y.ms === 'number' && y.ms >= 0 && y.ms < Infinity) {
    budgetMs = y.ms;
  } else {
    bad('yieldEvery must be a positive integer, Infinity or { ms } with a finite ms ≥ 0');
  }
  return { steps, seed, count, budgetMs, epochs };
}

/** `setup` for a run: its errors (a bad parameter tree) say that `train` was called. */
function setupFor(rule: AnyRule, params: Params): OptimiserState {
  try {
    return setup(rule, params);
  } catch (e) {
    throw namedBy(e, 'train');
  }
}
