/**
 * State domains: what values a rule's state can take (non-negative second moments, integer counters, β-powers in
 * [0, β]). Rules declare them as data; `load` checks a decoded checkpoint against them, so a hand-edited file can
 * never hand a rule a state it could not have produced (a negative Adam `v` would make √v NaN at the next update).
 * @module
 */
import { Tensor } from '@natgrad/core';
import { InvalidStateError, shown } from './errors.js';

/** The set a state number (or every element of a state tensor) must lie in. Finite is always required. */
export interface Domain {
  /** Inclusive lower bound. */
  readonly atLeast?: number;
  /** Exclusive lower bound. */
  readonly above?: number;
  /** Inclusive upper bound. */
  readonly atMost?: number;
  /** Exclusive upper bound. */
  readonly below?: number;
  /** Whole numbers only (counters). */
  readonly integer?: boolean;
}

/** Any finite number (first moments, velocities). */
export const REAL: Domain = /* @__PURE__ */ Object.freeze({});
/** Finite and ≥ 0 (second moments, accumulated squares). */
export const NON_NEGATIVE: Domain = /* @__PURE__ */ Object.freeze({ atLeast: 0 });
/** Integers ≥ 0 (step counters). */
export const COUNTER: Domain = /* @__PURE__ */ Object.freeze({ atLeast: 0, integer: true });
/** [0, 1): running products of decay rates (Adam's βᵗ), whatever β `adjust` sets. */
export const UNIT_INTERVAL: Domain = /* @__PURE__ */ Object.freeze({ atLeast: 0, below: 1 });

/** `[lo, hi]`, optionally integers only. */
export function interval(lo: number, hi: number, integer = false): Domain {
  return Object.freeze({ atLeast: lo, atMost: hi, ...(integer ? { integer } : {}) });
}

/** The domain in words, for messages: `"an integer ≥ 0"`, `"a number in [0, 0.9]"`. */
export function describeDomain(d: Domain): string {
  const noun = d.integer === true ? 'an integer' : 'a finite number';
  const lo = d.above !== undefined ? `(${d.above}` : d.atLeast !== undefined ? `[${d.atLeast}` : undefined;
  const hi = d.below !== undefined ? `${d.below})` : d.atMost !== undefined ? `${d.atMost}]` : undefined;
  if (lo !== undefined && hi !== undefined) return `${noun} in ${lo}, ${hi}`;
  if (hi !== undefined) return `${noun} ${d.below !== undefined ? `< ${d.below}` : `≤ ${d.atMost}`}`;
  if (lo !== undefined) return `${noun} ${d.above !== undefined ? `> ${d.above}` : `≥ ${d.atLeast}`}`;
  return noun;
}

function inDomain(v: number, d: Domain): boolean {
  if (!Number.isFinite(v)) return false;
  if (d.atLeast !== undefined && !(v >= d.atLeast)) return false;
  if (d.above !== undefined && !(v > d.above)) return false;
  if (d.atMost !== undefined && !(v <= d.atMost)) return false;
  if (d.below !== undefined && !(v < d.below)) return false;
  return d.integer !== true || Number.isInteger(v);
}

/**
 * Checks a state number or every element of a state tensor.
 * @throws {InvalidStateError} naming `path`, the flat index and the requirement
 */
export function checkDomain(path: string, value: unknown, d: Domain): void {
  if (value instanceof Tensor) {
    const x = value.data;
    for (let i = 0; i < x.length; i++) {
      if (!inDomain(x[i], d)) throw new InvalidStateError(path, `entry ${i} is ${x[i]}, expected ${describeDomain(d)}`);
    }
    return;
  }
  if (typeof value !== 'number' || !inDomain(value, d)) {
    throw new InvalidStateError(path, `is ${shown(value)}, expected ${describeDomain(d)}`);
  }
}
