/**
 * Most rules act on each tensor independently (Descent, Adam, …). `leafRule` turns the per-tensor math into a rule on
 * trees; the state is a record keyed by parameter path (`"q.mu"`, `"layers.0.w"`), which is also how checkpoints
 * store it.
 * @module
 */
import { InvalidArgumentError, ShapeError, type Tensor, treeFlatten, treePaths, treeUnflatten } from '@natgrad/core';
import { scheduleStepOf, subContext } from './context.js';
import { type Domain, REAL, checkDomain } from './domain.js';
import { FORBIDDEN_KEYS, keyProblem } from './keys.js';
import type { ApplyContext, Hyperparams, JsonValue, Params, Rule } from './rule.js';
import { type Schedule, describeSchedule } from './schedules.js';

/** Per-tensor state of a leaf rule: named tensors and numbers (e.g. `{ m, v, t }`). */
export type LeafState = Readonly<Record<string, Tensor | number>>;

/** State of a leaf rule on a tree: one {@link LeafState} per parameter path. */
export type LeafStates<S extends LeafState = LeafState> = Readonly<Record<string, S>>;

/** The per-tensor definition of a rule. */
export interface LeafRuleSpec<S extends LeafState> {
  /** Rule name, used in events and checkpoints (register a factory under it with `registerRule`). */
  readonly name: string;
  /** Numeric hyperparameters (passed to `init`/`apply`). */
  readonly hyperparams: Hyperparams;
  /** Extra JSON configuration, kept in the rule description (checkpoints). */
  readonly options?: JsonValue;
  /**
   * Hyperparameters given as schedules (e.g. `{ lr: cosineDecay(0.1, 1000) }`): evaluated once per update at the
   * schedule step and merged into the hyperparameters handed to `apply`. Stored in `options.schedules`.
   */
  readonly schedules?: Readonly<Record<string, Schedule>>;
  /**
   * The domain of each state field (`{ v: NON_NEGATIVE, t: COUNTER }`); fields not listed may be any finite number.
   * `load` checks a checkpoint's state against it, so declare what the rule can produce: a hand-edited file can
   * then never give it a state it could not have reached.
   */
  readonly domain?: Readonly<Record<string, Domain>>;
  /** Initial state for one parameter tensor: a plain object of numbers and tensors (what checkpoints can save). */
  init(param: Tensor, hyperparams: Hyperparams): S;
  /** Returns the new state and the step for one tensor (the update is `param − step`). */
  apply(state: S, param: Tensor, grad: Tensor, hyperparams: Hyperparams, ctx: ApplyContext): readonly [S, Tensor];
}

/**
 * Builds a tree rule from a per-tensor rule. Masked leaves (`null`, from `partition` or `freeze`) get no step and
 * keep their state, so a frozen parameter resumes where it stopped.
 */
export function leafRule<S extends LeafState>(spec: LeafRuleSpec<S>): Rule<LeafStates<S>> {
  checkSpec(spec);
  const schedules = spec.schedules ?? {};
  const scheduleNames = Object.keys(schedules);
  const options = scheduleNames.length === 0 ? spec.options : withSchedules(spec.options, schedules);
  const hyperparamsAt = (ctx: ApplyContext): Hyperparams => {
    if (scheduleNames.length === 0) return spec.hyperparams;
    const h: Record<string, number> = { ...spec.hyperparams };
    const t = scheduleStepOf(ctx);
    for (const k of scheduleNames) h[k] = schedules[k](t);
    return h;
  };
  return {
    name: spec.name,
    hyperparams: spec.hyperparams,
    ...(options === undefined ? {} : { options }),
    init(param) {
      const [leaves] = treeFlatten<Tensor>(param);
      const paths = treePaths(param);
      const h = hyperparamsAt({ step: 0, path: '', emit: () => undefined });
      const state: Record<string, S> = {};
      leaves.forEach((p, i) => {
        state[paths[i]] = spec.init(p, h);
      });
      return state;
    },
    apply(state, param, grad, ctx) {
      const [pLeaves, def] = treeFlatten<Tensor>(param);
      if (pLeaves.length === 0) return [state, param];
      const gLeaves = treeFlatten<Tensor>(grad)[0];
      const paths = treePaths(param);
      const h = hyperparamsAt(ctx);
      // Start from the old record so that masked (frozen) leaves keep their state.
      const next: Record<string, S> = { ...state };
      const steps = pLeaves.map((p, i) => {
        const path = paths[i];
        const s = state[path];
        if (s === undefined) throw new ShapeError(`${spec.name}: no optimiser state for parameter "${path}"`);
        const [s2, step] = spec.apply(s, p, gLeaves[i], h, subContext(ctx, path));
        next[path] = s2;
        return step;
      });
      return [next, treeUnflatten<Params>(def, steps)];
    },
    checkState(state, where) {
      const domain = spec.domain ?? {};
      for (const [path, s] of Object.entries(state)) {
        for (const [field, value] of Object.entries(s)) {
          checkDomain(joinPath(where, `${path}.${field}`), value, Object.hasOwn(domain, field) ? domain[field] : REAL);
        }
      }
    },
  };
}

/** Rule names key chain states and checkpoints: the same identifiers `registerRule` accepts. */
const RULE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkSpec(spec: LeafRuleSpec<LeafState>): void {
  if (spec === null || typeof spec !== 'object') throw new InvalidArgumentError('leafRule: spec must be an object { name, hyperparams, init, apply }');
  if (typeof spec.name !== 'string' || !RULE_NAME.test(spec.name) || FORBIDDEN_KEYS.has(spec.name)) {
    throw new InvalidArgumentError(`leafRule: name ${JSON.stringify(spec.name)} must be an identifier (letters, digits and _), as registerRule requires`);
  }
  if (spec.hyperparams === null || typeof spec.hyperparams !== 'object') throw new InvalidArgumentError(`leafRule ${spec.name}: hyperparams must be an object of numbers`);
  for (const [k, v] of Object.entries(spec.hyperparams)) {
    if (keyProblem(k) !== undefined) throw new InvalidArgumentError(`leafRule ${spec.name}: hyperparameter name ${JSON.stringify(k)} is not allowed (${keyProblem(k)})`);
    if (typeof v !== 'number') throw new InvalidArgumentError(`leafRule ${spec.name}: hyperparameter ${k} must be a number, got ${typeof v}`);
  }
  if (typeof spec.init !== 'function' || typeof spec.apply !== 'function') {
    throw new InvalidArgumentError(`leafRule ${spec.name}: init and apply must be functions`);
  }
}

function withSchedules(options: JsonValue | undefined, schedules: Readonly<Record<string, Schedule>>): JsonValue {
  const described: Record<string, JsonValue> = {};
  for (const k of Object.keys(schedules).sort()) described[k] = describeSchedule(schedules[k]) as unknown as JsonValue;
  const base = options !== null && typeof options === 'object' && !Array.isArray(options) ? options : {};
  return { ...(base as Record<string, JsonValue>), schedules: described };
}

/** Joins two parameter paths with a dot. */
export function joinPath(a: string, b: string): string {
  if (a === '') return b;
  if (b === '') return a;
  return `${a}.${b}`;
}
