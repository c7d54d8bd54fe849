/** Piecewise constant schedules (Optax `piecewise_constant_schedule`). @module */
import { fail, nonNegative } from '../validate.js';
import { boundaries, pieceAt, scales } from './list-checks.js';
import { defineSchedule } from './define-schedule.js';

/** Canonical decimal integers: what an object key holding a step may look like. */
const STEP_KEY = /^(0|[1-9][0-9]*)$/;

/** `{ step: scale }` as two lists ordered by step, every key a step. */
function split(v: unknown): { boundaries: readonly number[]; scales: readonly number[] } {
  const proto = v !== null && typeof v === 'object' ? Object.getPrototypeOf(v) : undefined;
  if (proto !== Object.prototype && proto !== null) fail('piecewiseConstant', 'boundariesAndScales', v === null ? 'null' : typeof v, 'an object { step: scale }');
  const keys = Object.keys(v as object);
  for (const k of keys) {
    if (!STEP_KEY.test(k) || !Number.isSafeInteger(Number(k))) fail('piecewiseConstant', 'boundariesAndScales', JSON.stringify(k.slice(0, 40)), 'keys that are steps (integers ≥ 0)');
  }
  const steps = keys.map(Number).sort((a, b) => a - b);
  return { boundaries: steps, scales: steps.map((b) => (v as Record<string, number>)[String(b)]) };
}

/**
 * `piecewiseConstant(init, { step: scale, … })` (Optax `piecewise_constant_schedule`): `init` times the product of
 * the scales of every boundary step ≤ t, so `piecewiseConstant(0.1, { 1000: 0.1, 2000: 0.1 })` is 0.1, then 0.01 from
 * step 1000 and 0.001 from step 2000. Checkpoints store it as `{ init, boundaries, scales }`.
 * @throws {HyperparameterError} unless init ≥ 0, every key is a step (an integer ≥ 0) and every scale a finite
 * number ≥ 0
 */
export const piecewiseConstant = defineSchedule({
  name: 'piecewiseConstant',
  params: (init: number, boundariesAndScales: Readonly<Record<number, number>> = {}) => ({ init, ...split(boundariesAndScales) }),
  check: { init: nonNegative, boundaries, scales },
  at: ({ init, boundaries: bounds, scales: factors }) => {
    if (factors.length !== bounds.length) fail('piecewiseConstant', 'scales', `[${factors.join(', ')}]`, `one per boundary (${bounds.length})`);
    // The value after each boundary, multiplied in order as Optax does.
    const values = [init];
    for (let i = 0; i < factors.length; i++) values.push(factors[i] * values[i]);
    return (t) => values[pieceAt(bounds, t)];
  },
});
