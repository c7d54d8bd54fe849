/**
 * `backtrack(rule, constraint)`: a step that leads to invalid parameters is halved until they are valid (or the step
 * is rejected), so a run never leaves the set the constraint describes — as `applyIfFinite` never leaves the finite
 * numbers. `NaturalGradient` is built on it, with "a usable Gaussian" as the constraint.
 * @module
 */
import { InvalidArgumentError, ShapeError, Tensor, joinPath, treeFlattenWithPath, treeMapWithPath } from '@natgrad/core';
import { checkOptions, checkRule } from '../check-rule.js';
import type { RuleImpl } from '../definition.js';
import { defineTreeRule } from '../define-tree-rule.js';
import { COUNTER, checkDomain, interval } from '../domain.js';
import { TooManyRejectedStepsError } from '../errors.js';
import { pathSegments } from '../keys.js';
import type { AnyRule, ApplyContext, Params, StepLine } from '../rule.js';
import { subtractStep } from '../step.js';
import { covers, subtreeAt } from '../tree-utils.js';
import { integer } from '../validate.js';
import { scaled } from '../rules/descent.js';

/** What parameters a backtracking rule may move to: a named validity predicate over the NEW parameters. */
export interface Constraint {
  /** Registry name: a checkpoint of `backtrack` names its constraint (see {@link registerConstraint}). */
  readonly name: string;
  /**
   * True when the new parameters of a unit — the subtree at `path`, computed as `param − step` exactly as `update`
   * will compute them, with `null` at the leaves that get no step this update (masked, frozen, without a gradient) — are
   * acceptable. Return false (do not throw) for anything invalid.
   */
  valid(params: Params, path: string): boolean;
  /**
   * The roots of the units of a parameter tree (maybe masked, with `null` leaves), each validated, halved and
   * rejected on its own: Gaussian blocks for `NaturalGradient`. Every parameter must lie in a unit. Default: one unit,
   * the whole tree (`[""]`).
   */
  units?(params: Params): readonly string[];
}

/** State of {@link backtrack}: backtracking counters and the wrapped rule's state. */
export interface BacktrackState {
  /** Step halvings made so far (each one is also reported as a `'backtrack'` event). */
  readonly backtracks: number;
  /** Steps rejected after `maxHalvings` halvings (reported as `'step-rejected'`). */
  readonly rejected: number;
  /** Rejected steps in a row, by unit path (`""` for the root); reset by an accepted step. */
  readonly consecutiveRejections: Readonly<Record<string, number>>;
  /** State of the wrapped rule (it advances as the rule computed it, whatever the scale taken). */
  readonly inner: unknown;
}

/** Options of {@link backtrack}. */
export interface BacktrackOptions {
  /** Halvings tried when the new parameters are not valid (default 10); after that the step is rejected. */
  readonly maxHalvings?: number;
  /**
   * Rejected steps in a row a unit may have before `update` throws {@link TooManyRejectedStepsError} (default 10): a
   * unit whose every step is rejected is stuck, and a run must not go on silently.
   */
  readonly maxConsecutiveRejections?: number;
}

const constraints = new Map<string, Constraint>();

/**
 * Makes `constraint` known by its name, so that checkpoints of `backtrack` rules using it can be loaded.
 * @throws {InvalidArgumentError} for a constraint without a name or `valid` function, or a different constraint
 * already registered under that name
 */
export function registerConstraint(constraint: Constraint): void {
  checkConstraint('registerConstraint', constraint);
  const existing = constraints.get(constraint.name);
  if (existing !== undefined && existing !== constraint) throw new InvalidArgumentError(`registerConstraint: "${constraint.name}" is already registered`);
  constraints.set(constraint.name, constraint);
}

function checkConstraint(where: string, c: unknown): Constraint {
  const x = c as Partial<Constraint> | null;
  if (x === null || typeof x !== 'object' || typeof x.name !== 'string' || x.name === '' || typeof x.valid !== 'function' || (x.units !== undefined && typeof x.units !== 'function')) {
    throw new InvalidArgumentError(`${where}: expected a constraint { name, valid(params, path), units? }, got ${x === null ? 'null' : typeof x}`);
  }
  return x as Constraint;
}

/** The steps of a rule that has no `applyLine`: its step, scaled. */
function linear(step: Params): StepLine {
  return (scale, path) => {
    const sub = subtreeAt(step, path) as Params | null | undefined;
    if (sub === null || sub === undefined || scale === 1) return sub ?? null;
    return treeMapWithPath((_p: string, t: Tensor) => scaled(t, scale), sub) as Params;
  };
}

/** Counters an update carries from unit to unit. */
interface Counts {
  backtracks: number;
  rejected: number;
  readonly consecutive: Record<string, number>;
}

/**
 * The implementation of a backtracking rule around `rule` (also that of `NaturalGradient`, which names itself
 * `name`). @internal
 */
export function backtracking(rule: AnyRule, constraint: Constraint, maxHalvings: number, maxRejections: number, name: string): RuleImpl<BacktrackState> {
  const unitsOf = (param: Params): readonly string[] => {
    const units = constraint.units ? constraint.units(param) : [''];
    if (!Array.isArray(units)) throw new InvalidArgumentError(`${name}: constraint ${constraint.name}: units(params) must return an array of paths`);
    for (const u of units) pathSegments(`${name}: constraint ${constraint.name}: unit`, u as string);
    return units;
  };

  /** The accepted step of one unit (a subtree of steps), or null for none; updates the counters. */
  function unitStep(sub: Params, unit: string, line: StepLine, ctx: ApplyContext, counts: Counts): Params | null {
    for (let h = 0; h <= maxHalvings; h++) {
      const scale = 2 ** -h;
      const s = line(scale, unit);
      // the rule does not move this unit (no leaf of it has a step: masked, frozen or without gradients)
      if (s === null || (s !== undefined && treeFlattenWithPath(s)[0].length === 0)) return null;
      if (s !== undefined) {
        // What update will emit is param − step in exactly this arithmetic: validate that, not a candidate.
        const next = treeMapWithPath(
          (path: string, x: Tensor, st: unknown) => {
            if (st === null || st === undefined) return x;
            if (!(st instanceof Tensor) || st.shape.join() !== x.shape.join()) throw new ShapeError(`${name}: the step of "${joinPath(unit, path)}" does not match the parameter`);
            return subtractStep(x, st);
          },
          sub,
          s,
        ) as Params;
        if (constraint.valid(next, unit)) {
          counts.consecutive[unit] = 0;
          return s;
        }
      }
      if (h < maxHalvings) {
        counts.backtracks++;
        ctx.emit({
          type: 'backtrack',
          path: unit,
          message: `the parameters at scale ${scale} are not valid (${constraint.name}); halving the step`,
          data: { halvings: h + 1, scale: scale / 2 },
        });
      }
    }
    counts.rejected++;
    const consecutive = (counts.consecutive[unit] ?? 0) + 1;
    if (consecutive > maxRejections) throw new TooManyRejectedStepsError(ctx.step, unit, consecutive, maxRejections, constraint.name);
    counts.consecutive[unit] = consecutive;
    ctx.emit({
      type: 'step-rejected',
      path: unit,
      message: `no valid parameters (${constraint.name}) after ${maxHalvings} halvings; they keep their value (${consecutive} in a row, at most ${maxRejections})`,
      data: { halvings: maxHalvings, consecutive },
    });
    return null;
  }

  return {
    handlesNonFinite: rule.handlesNonFinite,
    terminal: true,
    init(param): BacktrackState {
      const units = unitsOf(param);
      for (const [path] of treeFlattenWithPath(param)[0]) {
        if (!units.some((u) => covers(u, path))) throw new InvalidArgumentError(`${name}: parameter "${path}" lies in no unit of the constraint ${constraint.name}`);
      }
      const consecutiveRejections: Record<string, number> = {};
      for (const u of units) {
        const sub = subtreeAt(param, u);
        if (treeFlattenWithPath(sub)[0].length > 0) consecutiveRejections[u] = 0; // a unit that can move
      }
      return { backtracks: 0, rejected: 0, consecutiveRejections, inner: rule.init(param) };
    },
    apply(state: BacktrackState, param, grad, ctx) {
      const [inner, line] = rule.applyLine ? rule.applyLine(state.inner, param, grad, ctx) : ((r) => [r[0], linear(r[1])] as const)(rule.apply(state.inner, param, grad, ctx));
      const counts: Counts = { backtracks: state.backtracks, rejected: state.rejected, consecutive: { ...state.consecutiveRejections } };
      const steps = new Map<string, Tensor>();
      for (const unit of unitsOf(param)) {
        const sub = subtreeAt(param, unit) as Params;
        if (treeFlattenWithPath(sub)[0].length === 0) continue; // all masked: another branch's, or frozen
        // Partly present (part of it masked, frozen or without a gradient): those leaves keep their value, the rest
        // is validated and moved. (A rule that needs the whole unit — NaturalGradient's step on a Gaussian block —
        // gives no step for an incomplete one.)
        const s = unitStep(sub, unit, line, ctx, counts);
        if (s !== null) for (const [path, t] of treeFlattenWithPath<Tensor>(s)[0]) steps.set(joinPath(unit, path), t);
      }
      const step = treeMapWithPath((path: string) => steps.get(path) ?? null, param) as Params;
      return [{ backtracks: counts.backtracks, rejected: counts.rejected, consecutiveRejections: counts.consecutive, inner }, step];
    },
    checkState(state: BacktrackState, where) {
      checkDomain(joinPath(where, 'backtracks'), state.backtracks, COUNTER);
      checkDomain(joinPath(where, 'rejected'), state.rejected, COUNTER);
      for (const [path, n] of Object.entries(state.consecutiveRejections)) {
        checkDomain(joinPath(where, `consecutiveRejections[${JSON.stringify(path)}]`), n, interval(0, maxRejections, true));
      }
      rule.checkState?.(state.inner, joinPath(where, 'inner'));
    },
  };
}

/**
 * `backtrack(rule, constraint, { maxHalvings = 10, maxConsecutiveRejections = 10 })`: takes `rule`'s step when the
 * parameters it leads to — `param − step`, computed exactly as `update` computes them, so what is validated is what is
 * emitted — satisfy `constraint.valid`; otherwise halves the step (event `'backtrack'`, counter `backtracks`) up to
 * `maxHalvings` times, and then rejects it: the unit keeps its value (event `'step-rejected'`, counter `rejected`).
 * More than `maxConsecutiveRejections` rejections of a unit in a row make `update` throw
 * {@link TooManyRejectedStepsError}. Each unit of the constraint (default: the whole tree) is treated on its own; in
 * a unit that is only partly present (part masked or frozen, or without a gradient), the leaves without a step keep
 * their value and the rest is validated and moved. The wrapped rule's state
 * advances as it computed it. In a `chain` it must come last (its step is validated as it is). A checkpoint names
 * the constraint: {@link registerConstraint} it to load one in a new process.
 * @example backtrack(Adam(0.1), { name: 'positive', valid: (p) => treeLeaves<Tensor>(p).every((t) => t.data.every((x) => x > 0)) })
 * @throws {InvalidArgumentError} for a `rule` that is not a rule, a malformed constraint or an unknown option;
 * {@link HyperparameterError} for bad counts
 */
export const backtrack = defineTreeRule({
  name: 'Backtrack',
  hyperparams: { maxHalvings: integer(0), maxConsecutiveRejections: integer(0) },
  options: { constraint: undefined },
  children: 1,
  transparent: true,
  args: (rule: AnyRule, constraint: Constraint, options: BacktrackOptions = {}) => {
    checkRule('backtrack: rule', rule);
    const c = checkConstraint('backtrack: constraint', constraint);
    checkOptions('backtrack', options, ['maxHalvings', 'maxConsecutiveRejections']);
    return {
      hyperparams: { maxHalvings: options.maxHalvings ?? 10, maxConsecutiveRejections: options.maxConsecutiveRejections ?? 10 },
      options: { constraint: c.name },
      children: [rule],
      extras: c,
    };
  },
  create: (values): RuleImpl<BacktrackState> => {
    const name = values.options.constraint;
    const c = (values.extras as Constraint | undefined) ?? (typeof name === 'string' ? constraints.get(name) : undefined);
    if (c === undefined) {
      throw new InvalidArgumentError(`Backtrack: unknown constraint ${JSON.stringify(name)} (known: ${[...constraints.keys()].join(', ') || 'none'}; register it with registerConstraint)`);
    }
    const rule = checkRule('backtrack: rule', values.children[0]);
    return backtracking(rule, c, values.hyperparams.maxHalvings as number, values.hyperparams.maxConsecutiveRejections as number, 'Backtrack');
  },
});
