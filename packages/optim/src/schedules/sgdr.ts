/** Cosine decay with warm restarts (Optax `sgdr_schedule`). @module */
import { fail } from '../validate.js';
import { pieceAt, schedules } from './list-checks.js';
import { defineSchedule } from './define-schedule.js';
import type { Schedule } from './schedule.js';

/**
 * `sgdrSchedule(cycles)` (Loshchilov & Hutter, "SGDR: stochastic gradient descent with warm restarts", 2017; Optax
 * `sgdr_schedule`, whose per-cycle keyword dicts are here `warmupCosineDecay` schedules): the cycles one after
 * another, each lasting its `decaySteps` and seeing the step counted from its own start — `joinSchedules(cycles,
 * [d₀, d₀ + d₁, …])`. After the last cycle its end value holds.
 * @example sgdrSchedule([warmupCosineDecay(0, 1e-3, 10, 100), warmupCosineDecay(0, 5e-4, 10, 200)]) // restart at 100
 * @throws {HyperparameterError} unless `cycles` is a non-empty list of `warmupCosineDecay` schedules
 */
export const sgdrSchedule = defineSchedule({
  name: 'sgdrSchedule',
  params: (cycles: readonly Schedule[]) => ({ cycles }),
  check: { cycles: schedules },
  at: ({ cycles }) => {
    const starts: number[] = [];
    let start = 0;
    for (let i = 0; i < cycles.length; i++) {
      const c = cycles[i];
      const length = c.params.decaySteps;
      if (c.schedule !== 'warmupCosineDecay' || typeof length !== 'number' || !Number.isSafeInteger(start + length)) {
        fail('sgdrSchedule', 'cycles', `a ${c.schedule} schedule at entry ${i}`, 'warmupCosineDecay schedules (each cycle lasts its decaySteps)');
      }
      if (i > 0) starts.push(start);
      start += length;
    }
    return (t) => {
      const k = pieceAt(starts, t);
      return cycles[k](k === 0 ? t : t - starts[k - 1]);
    };
  },
});
