/**
 * `defineSchedule`: a schedule as data — its name, its parameters with defaults, positional order and checks, and
 * its value at a step — so that the registry rebuilds it from a checkpoint with no table entry. Parameters may be
 * numbers, lists of numbers, schedules or lists of schedules (a join of schedules at boundaries is data too).
 * @module
 */
import { InvalidArgumentError } from '@natgrad/core';
import { FORBIDDEN_KEYS, keyProblem } from '../keys.js';
import type { Check } from '../validate.js';
import { type Schedule, type ScheduleDescription, type ScheduleParam, describeSchedule, isSchedule, makeSchedule } from './schedule.js';

/** A schedule parameter as the schedule sees it: a number, numbers, a schedule or schedules. */
export type ScheduleValue = number | readonly number[] | Schedule | readonly Schedule[];

/** What a schedule is made of and how to build it (what `registerSchedule` registers). */
export interface ScheduleDefinition {
  /** Registry name (the schedule's `schedule` field). */
  readonly name: string;
  /** Parameter names, in positional order. */
  readonly params: readonly string[];
  /**
   * Builds the schedule from every parameter, by name (nested schedules already built).
   * @throws {HyperparameterError} for a value its checks refuse
   */
  create(params: Readonly<Record<string, ScheduleValue>>): Schedule;
}

/** A schedule constructor made by {@link defineSchedule}. */
export interface ScheduleConstructor<A extends readonly unknown[]> {
  /** Builds the schedule. */
  (...args: A): Schedule;
  /** Its definition. */
  readonly definition: ScheduleDefinition;
}

/**
 * The definition of a schedule; see {@link defineSchedule}.
 * @typeParam F the positional constructor's type (its parameters are the constructor's)
 * @typeParam P the parameters by name, as `F` returns them
 */
export interface ScheduleSpec<F extends (...args: never[]) => Readonly<Record<string, ScheduleValue>>, P = ReturnType<F>> {
  /** Registry name, an identifier (`"cosineDecay"`). */
  readonly name: string;
  /**
   * The positional constructor: parameters with their defaults, returned by name —
   * `(init: number, steps: number, alpha = 0) => ({ init, steps, alpha })`.
   */
  readonly params: F;
  /** A check per parameter (`nonNegative`, `positive`, `integer(1)`, or your own). */
  readonly check: { readonly [K in keyof P]-?: Check<P[K]> };
  /** The schedule from checked parameters: a function of the step (0-based update count). */
  at(params: P): (step: number) => number;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function describeParam(v: ScheduleValue): ScheduleParam {
  if (isSchedule(v)) return describeSchedule(v);
  if (Array.isArray(v)) return v.map((x) => (isSchedule(x) ? describeSchedule(x) : x)) as ScheduleParam;
  return v as number;
}

/**
 * Defines a schedule and returns its constructor.
 * @example
 * export const halveEvery = defineSchedule({
 *   name: 'halveEvery',
 *   params: (init: number, every: number) => ({ init, every }),
 *   check: { init: nonNegative, every: integer(1) },
 *   at: ({ init, every }) => (t) => init * 0.5 ** Math.floor(t / every),
 * });
 * @typeParam F the positional constructor's type, inferred from `spec.params`
 * @throws {InvalidArgumentError} for a malformed definition
 */
/* @__NO_SIDE_EFFECTS__ */
export function defineSchedule<F extends (...args: never[]) => Readonly<Record<string, ScheduleValue>>>(spec: ScheduleSpec<F>): ScheduleConstructor<Parameters<F>> {
  type P = ReturnType<F>;
  if (spec === null || typeof spec !== 'object') throw new InvalidArgumentError('defineSchedule: spec must be an object { name, params, check, at }');
  const name = spec.name;
  if (typeof name !== 'string' || !NAME.test(name) || FORBIDDEN_KEYS.has(name)) throw new InvalidArgumentError(`defineSchedule: name ${JSON.stringify(name)} must be an identifier`);
  if (typeof spec.params !== 'function' || typeof spec.at !== 'function' || spec.check === null || typeof spec.check !== 'object') {
    throw new InvalidArgumentError(`defineSchedule ${name}: params and at must be functions, check an object`);
  }
  const names = Object.keys(spec.check);
  for (const k of names) {
    if (keyProblem(k) !== undefined || typeof spec.check[k as keyof P] !== 'function') throw new InvalidArgumentError(`defineSchedule ${name}: bad check for ${JSON.stringify(k)}`);
  }
  const definition: ScheduleDefinition = Object.freeze({
    name,
    params: Object.freeze(names),
    create(params: Readonly<Record<string, ScheduleValue>>) {
      const checked: Record<string, ScheduleValue> = {};
      for (const k of names) checked[k] = (spec.check[k as keyof P] as unknown as Check<ScheduleValue>)(name, k, params[k]);
      const described: Record<string, ScheduleParam> = {};
      for (const k of names) described[k] = describeParam(checked[k]);
      return makeSchedule(name, described, spec.at(checked as P));
    },
  });
  const ctor = (...args: Parameters<F>) => {
    const p = (spec.params as unknown as (...a: unknown[]) => Record<string, ScheduleValue>)(...args);
    if (p === null || typeof p !== 'object') throw new InvalidArgumentError(`${name}: params(…) must return an object`);
    for (const k of Object.keys(p)) if (!names.includes(k)) throw new InvalidArgumentError(`defineSchedule ${name}: parameter ${k} has no check`);
    return definition.create(p);
  };
  Object.defineProperty(ctor, 'definition', { value: definition, enumerable: true });
  Object.defineProperty(ctor, 'name', { value: name });
  return ctor as unknown as ScheduleConstructor<Parameters<F>>;
}

/** A description's parameters as the definition wants them, nested schedules built with `build`. @internal */
export function scheduleValues(desc: ScheduleDescription, build: (d: ScheduleDescription) => Schedule): Record<string, ScheduleValue> {
  const out: Record<string, ScheduleValue> = {};
  for (const [k, v] of Object.entries(desc.params)) {
    if (typeof v === 'number') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.every((x) => typeof x === 'number') ? (v as number[]) : (v as ScheduleDescription[]).map(build);
    else out[k] = build(v as ScheduleDescription);
  }
  return out;
}
