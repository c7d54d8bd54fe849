/** Apply contexts: where an update happens, and where its events go. @module */
import { InvalidArgumentError, joinPath } from '@natgrad/core';
import { shown } from './errors.js';
import type { ApplyContext, OptimiserEvent } from './rule.js';

type SinkContext = ApplyContext & { readonly sink?: OptimiserEvent[] };

/**
 * A root context for update number `step`, collecting events into `sink`.
 * @throws {InvalidArgumentError} when `step` is not an integer ≥ 0 or `sink` not an array
 */
export function rootContext(step: number, sink: OptimiserEvent[]): ApplyContext {
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) throw new InvalidArgumentError(`rootContext: step must be an integer ≥ 0, got ${shown(step)}`);
  if (!Array.isArray(sink)) throw new InvalidArgumentError(`rootContext: sink must be an array (events are pushed to it), got ${shown(sink)}`);
  return contextAt(step, '', sink, undefined);
}

function contextAt(step: number, path: string, sink: OptimiserEvent[], scheduleStep: number | undefined): SinkContext {
  return {
    step,
    path,
    sink,
    scheduleStep,
    emit(event) {
      sink.push(Object.freeze({ ...event, path: event.path ?? path, step }));
    },
  };
}

/**
 * The context for the subtree at `sub` (relative to `ctx.path`); events default to that path.
 * @throws {InvalidArgumentError} when `ctx` is not a context or `sub` not a string
 */
export function subContext(ctx: ApplyContext, sub: string): ApplyContext {
  if (ctx === null || typeof ctx !== 'object' || typeof ctx.emit !== 'function') throw new InvalidArgumentError('subContext: ctx must be an ApplyContext');
  if (typeof sub !== 'string') throw new InvalidArgumentError(`subContext: sub must be a path (a string), got ${shown(sub)}`);
  if (typeof ctx.path !== 'string') throw new InvalidArgumentError(`subContext: ctx.path must be a string, got ${shown(ctx.path)}`);
  const sink = (ctx as SinkContext).sink;
  const path = joinPath(ctx.path, sub);
  if (sink === undefined) {
    return { step: ctx.step, path, scheduleStep: ctx.scheduleStep, emit: (e) => ctx.emit({ ...e, path: e.path ?? path }) };
  }
  return contextAt(ctx.step, path, sink, ctx.scheduleStep);
}

/** The same context with schedules evaluated at `scheduleStep` (used by `accumulate`). */
export function withScheduleStep(ctx: ApplyContext, scheduleStep: number): ApplyContext {
  return { step: ctx.step, path: ctx.path, scheduleStep, emit: (e) => ctx.emit(e) };
}

/** The step at which schedules are evaluated in `ctx`. */
export function scheduleStepOf(ctx: ApplyContext): number {
  return ctx.scheduleStep ?? ctx.step;
}
