/** Reading the learning rate a rule is using. @module */
import { buildSchedule } from '../registry.js';
import type { AnyRule } from '../rule.js';
import type { ScheduleDescription } from '../schedules.js';
import type { OptimiserState } from '../update.js';

/** Hyperparameter names taken as the learning rate, in order of preference. */
export const STEP_SIZE_NAMES: readonly string[] = Object.freeze(['lr', 'learningRate', 'stepSize', 'eta', 'alpha']);

/** The step size of a rule at a schedule step, or undefined. */
type Resolver = (step: number) => number | undefined;

const NONE: Resolver = () => undefined;
const cache = new WeakMap<AnyRule, Resolver>();

/**
 * The learning rate an optimiser uses for its next update (update number `opt.step`), if its rule exposes one; else
 * `undefined`.
 *
 * The rule tree is searched depth first (a rule's own hyperparameters, then its children in order) for the first
 * hyperparameter named `lr`, `learningRate`, `stepSize`, `eta` or `alpha`:
 * - a number in `rule.hyperparams` is used as is. This covers rules wrapped in `injectHyperparams`, whose values
 *   `setHyperparams` changes in the rule itself (so this agrees with `getHyperparams`);
 * - a schedule (`Descent(cosineDecay(…))`, kept in `options.schedules`) is evaluated at the step the rule will see:
 *   `opt.step`, or `⌊opt.step / k⌋` inside `accumulate(k, …)`.
 *
 * So `chain(ClipNorm(1), Adam(1e-3))` gives 1e-3, and a `partition` with one rate per group gives its first group's
 * rate. `IncreasingRate(α, γ)` gives α, the rate it rises towards (its per-parameter warm-up factor 1 − e^(−γt) lives
 * in its state). The result is cached per rule object, so the search costs nothing after the first update.
 * @example stepSizeOf(setup(Descent(0.1), params)) // 0.1
 */
export function stepSizeOf(opt: OptimiserState): number | undefined {
  return resolverOf(opt.rule, 0)(opt.step);
}

function resolverOf(rule: AnyRule, depth: number): Resolver {
  const hit = cache.get(rule);
  if (hit !== undefined) return hit;
  const r = depth > 32 ? NONE : build(rule, depth);
  if (typeof rule === 'object' && rule !== null) cache.set(rule, r);
  return r;
}

function build(rule: AnyRule, depth: number): Resolver {
  const h = (rule.hyperparams ?? {}) as Record<string, unknown>;
  for (const name of STEP_SIZE_NAMES) {
    const v = h[name];
    if (typeof v === 'number' && Number.isFinite(v)) return () => v;
  }
  const schedules = scheduleDescriptions(rule);
  for (const name of STEP_SIZE_NAMES) {
    const desc = schedules?.[name];
    if (desc === undefined) continue;
    try {
      const s = buildSchedule(desc);
      return (t) => {
        const v = s(t);
        return Number.isFinite(v) ? v : undefined;
      };
    } catch {
      // an unregistered schedule: no step size from this rule
    }
  }
  const k = rule.name === 'Accumulate' ? h.k : undefined;
  const inner = typeof k === 'number' && k >= 1 ? (t: number) => Math.floor(t / k) : (t: number) => t;
  for (const child of rule.children ?? []) {
    const r = resolverOf(child, depth + 1);
    if (r !== NONE) return (t) => r(inner(t));
  }
  return NONE;
}

function scheduleDescriptions(rule: AnyRule): Record<string, ScheduleDescription> | undefined {
  const o = rule.options;
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return undefined;
  const s = (o as Record<string, unknown>).schedules;
  if (s === null || typeof s !== 'object' || Array.isArray(s)) return undefined;
  const out: Record<string, ScheduleDescription> = {};
  for (const [name, d] of Object.entries(s as Record<string, unknown>)) {
    if (d !== null && typeof d === 'object' && typeof (d as ScheduleDescription).name === 'string') out[name] = d as ScheduleDescription;
  }
  return out;
}
