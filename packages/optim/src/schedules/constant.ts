/** The constant schedule. @module */
import { nonNegative } from '../validate.js';
import { defineSchedule } from './define-schedule.js';

/** `constant(value)`: `value` at every step (Optax `constant_schedule`). */
export const constant = defineSchedule({
  name: 'constant',
  params: (value: number) => ({ value }),
  check: { value: nonNegative },
  at: ({ value }) => () => value,
});
