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

/** An optimiser hyperparameter is invalid (negative learning rate, β outside [0, 1), …). */
export class HyperparameterError extends NatgradError {
  constructor(rule: string, name: string, value: unknown, requirement: string) {
    super('INVALID_HYPERPARAMETER', `${rule}: hyperparameter ${name} = ${String(value)} is invalid (${requirement})`);
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
