/**
 * State domains: what values a rule's state can take (non-negative second moments, integer counters, β-powers in
 * [0, β]). Rules declare them as data; `load` checks a decoded checkpoint against them, so a hand-edited file can
 * never hand a rule a state it could not have produced (a negative Adam `v` would make √v NaN at the next update).
 * @module
 */
import { Tensor } from '@natgrad/core';
import { InvalidStateError } from './errors.js';

/** The set a state number (or every element of a state tensor) must lie in. Finite is always required. */
export interface Domain {
  /** Inclusive lower bound. */
  readonly atLeast?: number;
  /** Exclusive lower bound. */
  readonly above?: number;
  /** Inclusive upper bound. */
  readonly atMost?: number;
  /** Whole numbers only (counters). */
  readonly integer?: boolean;
}

/** Any finite number (first moments, velocities). */
export const REAL: Domain = Object.freeze({});
/** Finite and ≥ 0 (second moments, accumulated squares). */
export const NON_NEGATIVE: Domain = Object.freeze({ atLeast: 0 });
/** Integers ≥ 0 (step counters). */
export const COUNTER: Domain = Object.freeze({ atLeast: 0, integer: true });

/** `[lo, hi]`, optionally integers only. */
export function interval(lo: number, hi: number, integer = false): Domain {
  return Object.freeze({ atLeast: lo, atMost: hi, ...(integer ? { integer } : {}) });
}

/** The domain in words, for messages: `"an integer ≥ 0"`, `"a number in [0, 0.9]"`. */
export function describeDomain(d: Domain): string {
  const noun = d.integer === true ? 'an integer' : 'a finite number';
  const lo = d.above !== undefined ? `> ${d.above}` : d.atLeast !== undefined ? `≥ ${d.atLeast}` : undefined;
  if (d.atMost !== undefined && d.atLeast !== undefined && d.above === undefined) return `${noun} in [${d.atLeast}, ${d.atMost}]`;
  if (d.atMost !== undefined && d.above !== undefined) return `${noun} in (${d.above}, ${d.atMost}]`;
  if (d.atMost !== undefined) return `${noun} ≤ ${d.atMost}`;
  return lo === undefined ? noun : `${noun} ${lo}`;
}

function inDomain(v: number, d: Domain): boolean {
  if (!Number.isFinite(v)) return false;
  if (d.atLeast !== undefined && !(v >= d.atLeast)) return false;
  if (d.above !== undefined && !(v > d.above)) return false;
  if (d.atMost !== undefined && !(v <= d.atMost)) return false;
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
    throw new InvalidStateError(path, `is ${String(value)}, expected ${describeDomain(d)}`);
  }
}
