/** Reading the learning rate a rule is using. @module */
import { checkOptimiserState } from '../check-rule.js';
import type { AnyRule } from '../rule.js';
import { childPath } from '../rule-paths.js';
import { isSchedule } from '../schedules/schedule.js';
import type { OptimiserState } from '../update.js';

/** Hyperparameter names taken as the learning rate, in order of preference. */
export const STEP_SIZE_NAMES: readonly string[] = Object.freeze(['lr', 'learningRate', 'stepSize', 'eta', 'alpha']);

/** The step size of a rule at a schedule step, or undefined. */
type Resolver = (step: number) => number | undefined;

/** The rules of a tree that carry a step size, by rule path. */
type Resolvers = readonly (readonly [string, Resolver])[];

const cache = new WeakMap<AnyRule, Resolvers>();

/**
 * The learning rate of every rule in the optimiser's tree that has one, by rule path, for its next update (update
 * number `opt.step`): partition labels and chain keys, as `adjust` addresses them (`""` for the root). E.g.
 * `{ natural: 1, adam: 0.05 }` for `partition({ natural: NaturalGradient(IncreasingRate(1, 0.5)), adam: Adam(0.05) },
 * …)`, `{ Adam: 0.001 }` for `chain(ClipNorm(1), Adam(1e-3))`, `{ "": 0.1 }` for `Descent(0.1)`.
 *
 * A rule has a step size when one of its hyperparameters is named `lr`, `learningRate`, `stepSize`, `eta` or `alpha`
 * (in that order of preference):
 * - a number is used as is (after `adjust`, the new one);
 * - a schedule (`Descent(cosineDecay(…))`) is evaluated at the step the rule will see: `opt.step`, or `⌊opt.step / k⌋`
 *   inside `accumulate(k, …)`.
 * The search does not descend below a rule that has one. `IncreasingRate(α, γ)` gives α, the rate it rises towards
 * (its per-parameter warm-up factor 1 − e^(−γt) lives in its state). The search is cached per rule object.
 * @example stepSizesOf(setup(partition({ a: Adam(0.01), b: Descent(0.1) }, labels), params)) // { a: 0.01, b: 0.1 }
 */
export function stepSizesOf(opt: OptimiserState): Readonly<Record<string, number>> {
  checkOptimiserState('stepSizesOf: opt', opt);
  const out: Record<string, number> = {};
  for (const [path, r] of resolversOf(opt.rule)) {
    const v = r(opt.step);
    if (v !== undefined) out[path] = v;
  }
  return Object.freeze(out);
}

/**
 * The learning rate an optimiser uses for its next update when it has a single one: the value of
 * {@link stepSizesOf} if it reports exactly one rate, or several that are all equal; otherwise `undefined` (no rule
 * exposes a rate, or a `partition` gives its branches different ones — read `stepSizesOf` / `TrainState.stepSizes`).
 * @example stepSizeOf(setup(Descent(0.1), params)) // 0.1
 */
export function stepSizeOf(opt: OptimiserState): number | undefined {
  checkOptimiserState('stepSizeOf: opt', opt);
  let value: number | undefined;
  for (const [, r] of resolversOf(opt.rule)) {
    const v = r(opt.step);
    if (v === undefined) continue;
    if (value !== undefined && v !== value) return undefined;
    value = v;
  }
  return value;
}

function resolversOf(rule: AnyRule): Resolvers {
  const hit = cache.get(rule);
  if (hit !== undefined) return hit;
  const found: [string, Resolver][] = [];
  collect(rule, '', (t) => t, found, 0);
  const frozen = Object.freeze(found.map((e) => Object.freeze(e) as readonly [string, Resolver]));
  if (typeof rule === 'object' && rule !== null) cache.set(rule, frozen);
  return frozen;
}

function collect(rule: AnyRule, path: string, stepOf: (t: number) => number, out: [string, Resolver][], depth: number): void {
  if (depth > 32) return;
  const own = ownResolver(rule);
  if (own !== undefined) {
    out.push([path, (t) => own(stepOf(t))]);
    return;
  }
  const h = (rule.hyperparams ?? {}) as Record<string, unknown>;
  const k = rule.name === 'Accumulate' ? h.k : undefined;
  const inner = typeof k === 'number' && k >= 1 ? (t: number) => Math.floor(stepOf(t) / k) : stepOf;
  (rule.children ?? []).forEach((c, i) => collect(c, childPath(rule, i, path), inner, out, depth + 1));
}

function ownResolver(rule: AnyRule): Resolver | undefined {
  const given = (rule.values?.hyperparams ?? {}) as Record<string, unknown>;
  const h = (rule.hyperparams ?? {}) as Record<string, unknown>;
  for (const name of STEP_SIZE_NAMES) {
    const v = Object.hasOwn(given, name) ? given[name] : Object.hasOwn(h, name) ? h[name] : undefined;
    if (typeof v === 'number' && Number.isFinite(v)) return () => v;
    if (isSchedule(v)) {
      return (t) => {
        const x = v(t);
        return Number.isFinite(x) ? x : undefined;
      };
    }
  }
  return undefined;
}
