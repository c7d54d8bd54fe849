/** Hyperparameter checks shared by the rules: each throws {@link HyperparameterError} naming rule and value. @module */
import { HyperparameterError } from './errors.js';

/** A finite number ≥ 0. */
export function nonNegative(rule: string, name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new HyperparameterError(rule, name, v, 'a finite number ≥ 0');
  return v;
}

/** A finite number > 0. */
export function positive(rule: string, name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new HyperparameterError(rule, name, v, 'a finite number > 0');
  return v;
}

/** A number in [0, 1) — decay rates such as β or ρ (1 would never forget, and Adam's bias correction divides by 1 − βᵗ). */
export function unitInterval(rule: string, name: string, v: number): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new HyperparameterError(rule, name, v, 'a number in [0, 1)');
  return v;
}

/** An integer ≥ `min`. */
export function integerAtLeast(rule: string, name: string, v: number, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new HyperparameterError(rule, name, v, `an integer ≥ ${min}`);
  return v;
}

/** Any finite number. */
export function finite(rule: string, name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new HyperparameterError(rule, name, v, 'a finite number');
  return v;
}
