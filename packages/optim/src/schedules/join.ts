/** Joining schedules at step boundaries (Optax `join_schedules`). @module */
import { fail } from '../validate.js';
import { boundaries, pieceAt, schedules } from './list-checks.js';
import { defineSchedule } from './define-schedule.js';
import type { Schedule } from './schedule.js';

/**
 * `joinSchedules(schedules, boundaries)` (Optax `join_schedules`): schedule k (0-based) is in force from step
 * `boundaries[k − 1]` (0 for the first) until `boundaries[k]`, and sees the step counted from its own start,
 * t − boundaries[k − 1], so every piece starts from its own step 0 (a warm-up followed by a decay that starts at its
 * peak). Boundaries are integers ≥ 0 in strictly increasing order, one fewer than the schedules. The pieces are stored
 * in checkpoints as their descriptions, so a joined schedule is rebuilt like any other.
 * @example joinSchedules([linearSchedule(0, 1e-3, 100), cosineDecay(1e-3, 900)], [100]) // warm-up, then cosine
 * @throws {HyperparameterError} for a list that is not schedules, boundaries that are not increasing integers ≥ 0, or
 * a number of boundaries other than one fewer than the schedules
 */
export const joinSchedules = defineSchedule({
  name: 'joinSchedules',
  params: (pieces: readonly Schedule[], at: readonly number[]) => ({ schedules: pieces, boundaries: at }),
  check: { schedules, boundaries },
  at: ({ schedules: pieces, boundaries: bounds }) => {
    if (bounds.length !== pieces.length - 1) {
      fail('joinSchedules', 'boundaries', `[${bounds.join(', ')}]`, `one fewer than the ${pieces.length} schedule(s)`);
    }
    return (t) => {
      const k = pieceAt(bounds, t);
      return pieces[k](k === 0 ? t : t - bounds[k - 1]);
    };
  },
});
