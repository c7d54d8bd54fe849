/** Errors specific to optimisers. @module */
import { NatgradError } from '@natgrad/core';

/** A gradient handed to `update` holds NaN or ±Infinity (wrap the rule in `applyIfFinite` to skip such steps). */
export class NonFiniteGradientError extends NatgradError {
  /** Parameter path of the offending gradient leaf. */
  readonly path: string;
  /** Flat index of the first non-finite element. */
  readonly index: number;
  constructor(path: string, index: number, value: number, step: number) {
    super(
      'NON_FINITE_GRADIENT',
      `update ${step}: gradient of "${path || '<root>'}" is ${value} at flat index ${index}; the state was not changed ` +
        '(wrap the rule in applyIfFinite to skip such steps)',
    );
    this.path = path;
    this.index = index;
  }
}

/** A value in a message, without running any code of it (`String` would call a hostile `toString`). @internal */
export function shown(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v === null || v === undefined) return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  if (typeof v === 'function') return typeof (v as { schedule?: unknown }).schedule === 'string' ? 'a schedule' : 'a function';
  if (typeof v === 'symbol') return 'a symbol';
  return Array.isArray(v) ? 'an array' : 'an object';
}

/** An optimiser hyperparameter is invalid (negative learning rate, β outside [0, 1), …). */
export class HyperparameterError extends NatgradError {
  constructor(rule: string, name: string, value: unknown, requirement: string) {
    super('INVALID_HYPERPARAMETER', `${rule}: hyperparameter ${name} = ${shown(value)} is invalid (${requirement})`);
  }
}

/** A checkpoint is malformed, hostile, or does not match the parameters / rule it is loaded against. */
export class CheckpointError extends NatgradError {
  constructor(message: string) {
    super('INVALID_CHECKPOINT', `checkpoint: ${message}`);
  }
}

/** `applyIfFinite` met more consecutive non-finite steps than its `maxConsecutive`. */
export class TooManyNonFiniteStepsError extends NatgradError {
  /** Parameter path of the first non-finite gradient or step entry. */
  readonly path: string;
  constructor(step: number, consecutive: number, maxConsecutive: number, path: string) {
    super(
      'TOO_MANY_NONFINITE_STEPS',
      `update ${step}: ${consecutive} non-finite steps in a row (first at "${path || '<root>'}"), more than ` +
        `maxConsecutive = ${maxConsecutive}; the state was not changed`,
    );
    this.path = path;
  }
}

/**
 * A key of a parameter tree, label tree, rule name or checkpoint path is not allowed: empty, containing a `.` (paths
 * join keys with dots, so it would be ambiguous), or a name that reaches a prototype (`__proto__`, `constructor`,
 * `prototype`).
 */
export class InvalidKeyError extends NatgradError {
  /** The offending key. */
  readonly key: string;
  /** Path of the node holding it (`""` for the root). */
  readonly path: string;
  constructor(where: string, key: string, path: string, requirement: string) {
    super('INVALID_KEY', `${where}: key ${JSON.stringify(key)} at ${path === '' ? 'the root' : `"${path}"`} is not allowed (${requirement})`);
    this.key = key;
    this.path = path;
  }
}

/**
 * A rule produced a state holding NaN or ±∞ (Adam's second moment of a gradient of 1e200 overflows, for example): the
 * update is refused and the state was not changed, since a non-finite state can never recover nor be saved.
 */
export class NonFiniteStateError extends NatgradError {
  /** Path inside the optimiser state (`"Adam.w.v"`). */
  readonly path: string;
  /** Flat index of the first non-finite element (0 for a number). */
  readonly index: number;
  /** The offending value. */
  readonly value: number;
  constructor(step: number, rule: string, path: string, index: number, value: number) {
    super(
      'NON_FINITE_STATE',
      `update ${step}: rule ${rule} produced a non-finite state: ${value} at state.${path}[${index}]; the state was not ` +
        'changed (gradients too large for the rule? clip them, or wrap the rule in applyIfFinite to skip such steps)',
    );
    this.path = path;
    this.index = index;
    this.value = value;
  }
}

/** An optimiser state lies outside its rule's declared domain (a negative second moment, a fractional counter, …). */
export class InvalidStateError extends NatgradError {
  /** Path inside the optimiser state. */
  readonly path: string;
  constructor(path: string, message: string) {
    super('INVALID_OPTIMISER_STATE', `${path === '' ? 'state' : `state.${path}`}: ${message}`);
    this.path = path;
  }
}

/**
 * A backtracking rule (`backtrack`, `NaturalGradient`) rejected the step of a unit — no valid parameters after its
 * halvings (for `NaturalGradient`: no usable Gaussian) — more times in a row than its `maxConsecutiveRejections`: the
 * run is stuck, typically because the step size is far too large.
 */
export class TooManyRejectedStepsError extends NatgradError {
  /** Path of the unit (the Gaussian block) that cannot move (`""` for the root). */
  readonly path: string;
  /**
   * @param step the update
   * @param path the unit's path
   * @param consecutive rejections in a row, including this one
   * @param max the rule's `maxConsecutiveRejections`
   * @param constraint the name of the constraint no halving satisfied
   */
  constructor(step: number, path: string, consecutive: number, max: number, constraint: string) {
    super(
      'TOO_MANY_REJECTED_STEPS',
      `update ${step}: the step of "${path || '<root>'}" was rejected ${consecutive} times in a row (no halving gave parameters ` +
        `that satisfy ${constraint}; more than maxConsecutiveRejections = ${max}); the state was not changed. The step size ` +
        'is probably far too large for this problem: lower it, use a warm-up (IncreasingRate, logLinearWarmup) or allow more halvings',
    );
    this.path = path;
  }
}
