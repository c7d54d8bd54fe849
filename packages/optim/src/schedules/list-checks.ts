/**
 * Checks of list parameters of schedules (boundaries, scales, child schedules): each returns a frozen copy, so that a
 * caller mutating its array later cannot change a schedule whose description was already taken, and bounds the
 * length, since a schedule made from a checkpoint scans its lists at every step.
 * @module
 */
import { fail } from '../validate.js';
import { type Schedule, isSchedule } from './schedule.js';

/** Most entries a list parameter of a schedule may have. */
export const MAX_PIECES = 10_000;

/** A short, safe rendering of a list parameter for messages (never calls user code). */
function shown(v: unknown): string {
  if (!Array.isArray(v)) return v === null ? 'null' : typeof v;
  const head = v.slice(0, 8).map((x) => (typeof x === 'number' ? String(x) : isSchedule(x) ? `${x.schedule}(…)` : typeof x));
  return `[${head.join(', ')}${v.length > 8 ? `, … (${v.length} entries)` : ''}]`;
}

function list(schedule: string, name: string, v: unknown, what: string, min: number): readonly unknown[] {
  if (!Array.isArray(v) || v.length < min || v.length > MAX_PIECES) fail(schedule, name, shown(v), `a list of ${min === 0 ? '' : `at least ${min} and `}at most ${MAX_PIECES} ${what}`);
  return v;
}

/** Step boundaries: integers ≥ 0 in strictly increasing order (possibly none). */
export function boundaries(schedule: string, name: string, v: readonly number[]): readonly number[] {
  const xs = list(schedule, name, v, 'integers ≥ 0 in increasing order', 0);
  for (let i = 0; i < xs.length; i++) {
    const b = xs[i];
    if (typeof b !== 'number' || !Number.isSafeInteger(b) || b < 0 || (i > 0 && !(b > (xs[i - 1] as number)))) {
      fail(schedule, name, shown(xs), `strictly increasing integers ≥ 0 (entry ${i} is ${typeof b === 'number' ? b : typeof b})`);
    }
  }
  return Object.freeze([...(xs as number[])]);
}

/** Multiplicative scales: finite numbers ≥ 0 (possibly none). */
export function scales(schedule: string, name: string, v: readonly number[]): readonly number[] {
  const xs = list(schedule, name, v, 'finite numbers ≥ 0', 0);
  for (let i = 0; i < xs.length; i++) {
    const s = xs[i];
    if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) fail(schedule, name, shown(xs), `finite numbers ≥ 0 (entry ${i} is ${typeof s === 'number' ? s : typeof s})`);
  }
  return Object.freeze([...(xs as number[])]);
}

/** Child schedules: at least one. */
export function schedules(schedule: string, name: string, v: readonly Schedule[]): readonly Schedule[] {
  const xs = list(schedule, name, v, 'schedules', 1);
  for (let i = 0; i < xs.length; i++) {
    if (!isSchedule(xs[i])) fail(schedule, name, shown(xs), `schedules made by a schedule constructor (entry ${i} is ${xs[i] === null ? 'null' : typeof xs[i]})`);
  }
  return Object.freeze([...(xs as Schedule[])]);
}

/** The number of `bounds` (increasing) that are ≤ t: which piece of a piecewise schedule step t is in. */
export function pieceAt(bounds: readonly number[], t: number): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bounds[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
