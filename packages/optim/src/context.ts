/** Apply contexts: where an update happens, and where its events go. @module */
import { joinPath } from './leaf-rule.js';
import type { ApplyContext, OptimiserEvent } from './rule.js';

/** A root context for update number `step`, collecting events into `sink`. */
export function rootContext(step: number, sink: OptimiserEvent[]): ApplyContext {
  return contextAt(step, '', sink);
}

function contextAt(step: number, path: string, sink: OptimiserEvent[]): ApplyContext & { sink: OptimiserEvent[] } {
  return {
    step,
    path,
    sink,
    emit(event) {
      sink.push(Object.freeze({ ...event, path: event.path ?? path, step }));
    },
  };
}

/** The context for the subtree at `sub` (relative to `ctx.path`); events default to that path. */
export function subContext(ctx: ApplyContext, sub: string): ApplyContext {
  const sink = (ctx as ApplyContext & { sink?: OptimiserEvent[] }).sink;
  if (sink === undefined) {
    const path = joinPath(ctx.path, sub);
    return { step: ctx.step, path, emit: (e) => ctx.emit({ ...e, path: e.path ?? path }) };
  }
  return contextAt(ctx.step, joinPath(ctx.path, sub), sink);
}
