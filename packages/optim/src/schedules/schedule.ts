/**
 * Schedules: functions of the step (0-based update count) that give a hyperparameter's value, e.g. a learning rate.
 * Each carries its registry name and parameters, so a checkpoint can rebuild it and a resumed run continues where
 * it stopped (the step counter is saved too). Built-in and user schedules are made with `defineSchedule`.
 * @module
 */
import { InvalidArgumentError } from '@natgrad/core';
import { checkFunction, checkPlainObject } from '../check-rule.js';
import { shown } from '../errors.js';

/**
 * One parameter of a schedule description: a number, a list of numbers (boundaries), or the description of a schedule
 * it is built from (or a list of them), so schedules made of schedules — joins, warm-ups — are data too.
 */
export type ScheduleParam = number | readonly number[] | ScheduleDescription | readonly ScheduleDescription[];

/** A schedule: callable with the step, and described by a registry name and parameters. */
export interface Schedule {
  (step: number): number;
  /** Registry name, e.g. `"cosineDecay"` (not `name`, which every function already has). */
  readonly schedule: string;
  /** The parameters that rebuild it through the registry, as JSON (nested schedules as their descriptions). */
  readonly params: Readonly<Record<string, ScheduleParam>>;
}

/** The JSON form of a schedule in rule descriptions and checkpoints. */
export interface ScheduleDescription {
  /** Registered name of the schedule, e.g. `"cosineDecay"`. */
  readonly name: string;
  /** Its parameters, by name (exact float64 values; nested schedules as descriptions). */
  readonly params: Readonly<Record<string, ScheduleParam>>;
}

/** A learning rate (or another schedulable hyperparameter): a constant or a schedule. */
export type Rate = number | Schedule;

function isParam(v: unknown, depth: number): boolean {
  if (typeof v === 'number') return Number.isFinite(v); // JSON holds finite numbers only
  if (depth > 32) return false;
  if (Array.isArray(v)) return v.every((x) => typeof x === 'number' && Number.isFinite(x)) || v.every((x) => isDescription(x, depth + 1));
  return isDescription(v, depth + 1);
}

function isDescription(v: unknown, depth: number): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const d = v as Partial<ScheduleDescription>;
  if (typeof d.name !== 'string' || d.params === null || typeof d.params !== 'object' || Array.isArray(d.params)) return false;
  return Object.values(d.params).every((p) => isParam(p, depth));
}

/**
 * Wraps `fn` as a {@link Schedule} named `name` with parameters `params` (the low-level constructor: `defineSchedule`
 * makes schedules that checkpoints can rebuild).
 * @throws {InvalidArgumentError} for an empty name, parameters that are not numbers, lists of numbers or schedule
 * descriptions, or an `fn` that is not a function
 */
export function makeSchedule(name: string, params: Readonly<Record<string, ScheduleParam>>, fn: (step: number) => number): Schedule {
  if (typeof name !== 'string' || name === '') throw new InvalidArgumentError(`makeSchedule: name must be a non-empty string, got ${shown(name)}`);
  checkPlainObject(`makeSchedule ${name}: params`, params);
  if (!Object.values(params).every((p) => isParam(p, 0))) {
    throw new InvalidArgumentError(`makeSchedule ${name}: params must be an object of numbers, lists of numbers or schedule descriptions`);
  }
  checkFunction(`makeSchedule ${name}: fn (a function of the step)`, fn);
  const s = ((step: number) => {
    if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) throw new InvalidArgumentError(`${name}: the step must be an integer ≥ 0, got ${shown(step)}`);
    return fn(step);
  }) as Schedule;
  Object.defineProperty(s, 'schedule', { value: name, enumerable: true });
  Object.defineProperty(s, 'params', { value: Object.freeze({ ...params }), enumerable: true });
  return Object.freeze(s);
}

/** True when `x` is a {@link Schedule}. */
export function isSchedule(x: unknown): x is Schedule {
  return typeof x === 'function' && typeof (x as Schedule).schedule === 'string';
}

/** The JSON description of a schedule. */
export function describeSchedule(s: Schedule): ScheduleDescription {
  if (!isSchedule(s)) throw new InvalidArgumentError('describeSchedule: not a schedule (make one with defineSchedule or makeSchedule)');
  return { name: s.schedule, params: { ...s.params } };
}

/** Reads a rate: the number itself, or the schedule at `step`. */
export function rateAt(rate: Rate, step: number): number {
  return typeof rate === 'number' ? rate : rate(step);
}
