/**
 * The schedules of issue 12 item 3 against Optax's formulas, written here the way Optax writes them (`join_schedules`
 * as a loop of `where(step < boundary, …, next(step − boundary))`, `piecewise_constant_schedule` with its sign
 * indicator, `piecewise_interpolate_schedule` with its bounds and cumulative products), at every step of a range that
 * covers each boundary and the steps either side of it; then their descriptions rebuild them through the registry
 * and through a checkpoint (children included), and bad arguments are typed errors.
 */
import { InvalidArgumentError, Tensor } from '@natgrad/core';
import {
  Descent,
  HyperparameterError,
  type Schedule,
  buildSchedule,
  cosineDecay,
  describeSchedule,
  exponentialDecay,
  joinSchedules,
  linearOneCycle,
  linearSchedule,
  load,
  oneCycle,
  piecewiseConstant,
  polynomialSchedule,
  save,
  setup,
  sgdrSchedule,
  update,
  warmupCosineDecay,
  warmupExponentialDecay,
} from '@natgrad/optim';
import { describe, expect, it } from 'vitest';

type Fn = (t: number) => number;

// ---------------------------------------------------------------------------------------------------------------
// Optax (optax/schedules/_schedule.py), transcribed.

const polynomial = (init: number, end: number, power: number, steps: number, begin = 0): Fn => (t) => {
  const count = Math.min(Math.max(t - begin, 0), steps);
  return (init - end) * (1 - count / steps) ** power + end;
};
const linear = (init: number, end: number, steps: number, begin = 0): Fn => polynomial(init, end, 1, steps, begin);

const cosine = (init: number, steps: number, alpha = 0, exponent = 1): Fn => (t) => {
  const count = Math.min(t, steps);
  const decay = 0.5 * (1 + Math.cos((Math.PI * count) / steps));
  return init * ((1 - alpha) * decay ** exponent + alpha);
};

const exponential = (init: number, steps: number, rate: number, begin = 0, staircase = false, end?: number): Fn => (t) => {
  const count = t - begin;
  const p = staircase ? Math.floor(count / steps) : count / steps;
  const v = count <= 0 ? init : init * rate ** p;
  if (end === undefined) return v;
  return rate < 1 ? Math.max(v, end) : Math.min(v, end);
};

const join = (schedules: Fn[], boundaries: number[]): Fn => (t) => {
  let out = schedules[0](t);
  boundaries.forEach((b, k) => {
    out = t < b ? out : schedules[k + 1](t - b);
  });
  return out;
};

const warmupCosine = (init: number, peak: number, warmup: number, decay: number, end = 0, exponent = 1): Fn =>
  join([linear(init, peak, warmup), cosine(peak, decay - warmup, peak === 0 ? 0 : end / peak, exponent)], [warmup]);

const warmupExponential = (init: number, peak: number, warmup: number, steps: number, rate: number, begin = 0, staircase = false, end?: number): Fn =>
  join([linear(init, peak, warmup), exponential(peak, steps, rate, begin, staircase, end)], [warmup]);

const piecewise = (init: number, boundariesAndScales: Record<number, number>): Fn => (t) => {
  let v = init;
  for (const [b, s] of Object.entries(boundariesAndScales)) {
    const indicator = Math.max(0, Math.sign(Number(b) - t));
    v = v * indicator + (1 - indicator) * s * v;
  }
  return v;
};

const sgdr = (cycles: [number, number, number, number, number?][]): Fn => {
  const schedules: Fn[] = [];
  const boundaries: number[] = [];
  let step = 0;
  for (const [init, peak, warmup, decay, end] of cycles) {
    schedules.push(warmupCosine(init, peak, warmup, decay, end ?? 0));
    boundaries.push(step + decay);
    step += decay;
  }
  return join(schedules, boundaries.slice(0, -1));
};

const interpolate = (kind: 'linear' | 'cosine', init: number, boundariesAndScales: [number, number][]): Fn => {
  const sorted = [...boundariesAndScales].sort((a, b) => a[0] - b[0]);
  const bounds = [0, ...sorted.map(([b]) => b)];
  const values = [init];
  for (const [, s] of sorted) values.push(values[values.length - 1] * s);
  const f = kind === 'linear' ? (a: number, b: number, p: number) => p * (b - a) + a : (a: number, b: number, p: number) => b + ((a - b) / 2) * (Math.cos(Math.PI * p) + 1);
  return (t) => {
    let out = 0;
    for (let k = 0; k + 1 < bounds.length; k++) if (bounds[k] <= t && t < bounds[k + 1]) out += f(values[k], values[k + 1], (t - bounds[k]) / (bounds[k + 1] - bounds[k]));
    return out + (bounds[bounds.length - 1] <= t ? values[values.length - 1] : 0);
  };
};

const cosineOneCycle = (T: number, peak: number, pctStart = 0.3, div = 25, finalDiv = 1e4): Fn =>
  interpolate('cosine', peak / div, [[Math.trunc(pctStart * T), div], [T, 1 / (div * finalDiv)]]);
const linearOneCycleRef = (T: number, peak: number, pctStart = 0.3, pctFinal = 0.85, div = 25, finalDiv = 1e4): Fn =>
  interpolate('linear', peak / div, [[Math.trunc(pctStart * T), div], [Math.trunc(pctFinal * T), 1 / div], [T, 1 / finalDiv]]);

// ---------------------------------------------------------------------------------------------------------------

interface Case {
  readonly name: string;
  readonly mine: () => Schedule;
  readonly optax: Fn;
  /** Steps where something changes; each is checked with its neighbours. */
  readonly boundaries: readonly number[];
  readonly until: number;
  /** A schedule that is constant on purpose. */
  readonly constant?: true;
}

const CASES: Case[] = [
  { name: 'linearSchedule (warm-up)', mine: () => linearSchedule(0, 1e-3, 100), optax: linear(0, 1e-3, 100), boundaries: [100], until: 130 },
  { name: 'linearSchedule with a late start', mine: () => linearSchedule(0.5, 0.1, 20, 7), optax: linear(0.5, 0.1, 20, 7), boundaries: [7, 27], until: 40 },
  { name: 'polynomialSchedule, power 2', mine: () => polynomialSchedule(1, 0.01, 2, 50, 5), optax: polynomial(1, 0.01, 2, 50, 5), boundaries: [5, 55], until: 70 },
  { name: 'polynomialSchedule, power 0.5, rising', mine: () => polynomialSchedule(0.1, 2, 0.5, 30), optax: polynomial(0.1, 2, 0.5, 30), boundaries: [30], until: 40 },
  { name: 'warmupCosineDecay', mine: () => warmupCosineDecay(0, 1, 10, 100, 0.05), optax: warmupCosine(0, 1, 10, 100, 0.05), boundaries: [10, 100], until: 120 },
  { name: 'warmupCosineDecay, exponent 2', mine: () => warmupCosineDecay(1e-4, 3e-3, 25, 60, 0, 2), optax: warmupCosine(1e-4, 3e-3, 25, 60, 0, 2), boundaries: [25, 60], until: 80 },
  { name: 'warmupCosineDecay without a warm-up', mine: () => warmupCosineDecay(0, 1, 0, 40), optax: warmupCosine(0, 1, 0, 40), boundaries: [0, 40], until: 50 },
  { name: 'warmupExponentialDecay', mine: () => warmupExponentialDecay(0, 1, 10, 0.5, 20), optax: warmupExponential(0, 1, 10, 20, 0.5), boundaries: [10], until: 120 },
  {
    name: 'warmupExponentialDecay, staircase, late start, floor',
    mine: () => warmupExponentialDecay(0.1, 1, 8, 0.5, 7, { transitionBegin: 5, staircase: true, endValue: 0.1 }),
    optax: warmupExponential(0.1, 1, 8, 7, 0.5, 5, true, 0.1),
    boundaries: [8, 13, 20, 27, 34],
    until: 80,
  },
  {
    name: 'warmupExponentialDecay, growing, capped',
    mine: () => warmupExponentialDecay(0, 0.1, 5, 2, 10, { endValue: 0.5 }),
    optax: warmupExponential(0, 0.1, 5, 10, 2, 0, false, 0.5),
    boundaries: [5],
    until: 60,
  },
  {
    name: 'joinSchedules: warm-up then cosine (the second sees step − boundary)',
    mine: () => joinSchedules([linearSchedule(0, 1e-3, 100), cosineDecay(1e-3, 900)], [100]),
    optax: join([linear(0, 1e-3, 100), cosine(1e-3, 900)], [100]),
    boundaries: [100, 1000],
    until: 1010,
  },
  {
    name: 'joinSchedules of three, one nested',
    mine: () => joinSchedules([exponentialDecay(1, 0.5, 3), joinSchedules([linearSchedule(0, 2, 4), cosineDecay(2, 6)], [4]), linearSchedule(0.3, 0, 5)], [9, 20]),
    optax: join([exponential(1, 3, 0.5), join([linear(0, 2, 4), cosine(2, 6)], [4]), linear(0.3, 0, 5)], [9, 20]),
    boundaries: [9, 13, 19, 20, 25],
    until: 30,
  },
  {
    name: 'piecewiseConstant',
    mine: () => piecewiseConstant(0.1, { 1000: 0.1, 2000: 0.1 }),
    optax: piecewise(0.1, { 1000: 0.1, 2000: 0.1 }),
    boundaries: [0, 1000, 2000],
    until: 2010,
  },
  { name: 'piecewiseConstant with a scale at 0 and a rise', mine: () => piecewiseConstant(2, { 0: 0.5, 7: 3, 3: 0 }), optax: piecewise(2, { 0: 0.5, 3: 0, 7: 3 }), boundaries: [0, 3, 7], until: 12 },
  { name: 'piecewiseConstant with no boundaries', mine: () => piecewiseConstant(0.7), optax: piecewise(0.7, {}), boundaries: [0], until: 5, constant: true },
  {
    name: 'sgdrSchedule: restarts at 100 and 300',
    mine: () => sgdrSchedule([warmupCosineDecay(0, 1e-3, 10, 100), warmupCosineDecay(0, 5e-4, 10, 200, 1e-5), warmupCosineDecay(1e-5, 2e-4, 0, 50)]),
    optax: sgdr([[0, 1e-3, 10, 100], [0, 5e-4, 10, 200, 1e-5], [1e-5, 2e-4, 0, 50]]),
    boundaries: [10, 100, 110, 300, 350],
    until: 360,
  },
  { name: 'oneCycle', mine: () => oneCycle(100, 0.1), optax: cosineOneCycle(100, 0.1), boundaries: [30, 100], until: 110 },
  {
    name: 'oneCycle with its options',
    mine: () => oneCycle(37, 2, { pctStart: 0.25, divFactor: 10, finalDivFactor: 100 }),
    optax: cosineOneCycle(37, 2, 0.25, 10, 100),
    boundaries: [9, 37],
    until: 45,
  },
  { name: 'linearOneCycle', mine: () => linearOneCycle(100, 0.1), optax: linearOneCycleRef(100, 0.1), boundaries: [30, 85, 100], until: 110 },
  {
    name: 'linearOneCycle with its options',
    mine: () => linearOneCycle(41, 1, { pctStart: 0.1, pctFinal: 0.5, divFactor: 4, finalDivFactor: 8 }),
    optax: linearOneCycleRef(41, 1, 0.1, 0.5, 4, 8),
    boundaries: [4, 20, 41],
    until: 50,
  },
];

/** Every step up to `until`, and each boundary with its neighbours (some beyond `until`). */
function stepsOf(c: Case): number[] {
  const steps = new Set<number>();
  for (let t = 0; t <= c.until; t++) steps.add(t);
  for (const b of c.boundaries) for (const t of [b - 1, b, b + 1]) if (t >= 0) steps.add(t);
  return [...steps].sort((a, b) => a - b);
}

function agree(mine: Fn, optax: Fn, steps: number[]): void {
  for (const t of steps) {
    const a = mine(t);
    const b = optax(t);
    if (!(Math.abs(a - b) <= 4e-16 * Math.abs(b))) expect({ t, mine: a }).toEqual({ t, mine: b });
  }
}

describe("schedules against Optax's formulas, at every step and either side of each boundary", () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const s = c.mine();
    agree(s, c.optax, stepsOf(c));
    // The boundaries are where the value changes: the check above compared something that moves.
    const distinct = new Set(stepsOf(c).map((t) => s(t))).size;
    if (c.constant) expect(distinct).toBe(1);
    else expect(distinct).toBeGreaterThan(1);
  });

  it('joinSchedules hands each piece the step counted from its own start', () => {
    const s = joinSchedules([linearSchedule(0, 1, 10), linearSchedule(5, 3, 4)], [10]);
    expect(s(9)).toBe(0.9);
    expect(s(10)).toBe(5); // the second schedule at its own step 0
    expect(s(12)).toBe(4);
    expect(s(14)).toBe(3);
    expect(s(1e6)).toBe(3);
  });

  it('oneCycle with an empty rise (⌊pctStart·T⌋ = 0) starts at its peak, where Optax divides by zero', () => {
    const s = oneCycle(3, 1, { pctStart: 0.2 });
    expect(s(0)).toBe(1);
    expect(s(3)).toBe(1 / 25 / 1e4);
    const end = 1 / 25 / 1e4;
    expect(s(1)).toBeCloseTo(end + ((1 - end) / 2) * (Math.cos(Math.PI / 3) + 1), 15);
  });

  it('warmupCosineDecay is joinSchedules of its warm-up and its cosine, step for step', () => {
    const joined = joinSchedules([linearSchedule(0.01, 1, 12), cosineDecay(1, 88, 0.1)], [12]);
    const fused = warmupCosineDecay(0.01, 1, 12, 100, 0.1);
    for (let t = 0; t <= 110; t++) expect(fused(t)).toBeCloseTo(joined(t), 15);
  });
});

describe('schedules as data: descriptions, the registry and checkpoints', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s rebuilds from its JSON description', (_name, c) => {
    const s = c.mine();
    const json = JSON.parse(JSON.stringify(describeSchedule(s)));
    const rebuilt = buildSchedule(json);
    expect(describeSchedule(rebuilt)).toEqual(json);
    for (const t of stepsOf(c)) expect(Object.is(rebuilt(t), s(t))).toBe(true);
  });

  it('a joined schedule stores its children in a checkpoint and the resumed run continues on it', () => {
    const lr = joinSchedules([linearSchedule(0, 0.1, 3), sgdrSchedule([warmupCosineDecay(0, 0.1, 1, 4), warmupCosineDecay(0, 0.05, 1, 4)])], [3]);
    const x0 = Tensor.from([1, -2]);
    const g = Tensor.from([0.5, 0.25]);
    let opt = setup(Descent(lr), x0);
    let x = x0 as Tensor;
    for (let i = 0; i < 4; i++) [opt, x] = update(opt, x, g) as [typeof opt, Tensor];
    const text = save(opt);
    const doc = JSON.parse(text);
    const stored = doc.rule.options.schedules.lr;
    expect(stored.name).toBe('joinSchedules');
    expect(stored.params.schedules.map((c: { name: string }) => c.name)).toEqual(['linearSchedule', 'sgdrSchedule']);
    expect(stored.params.schedules[1].params.cycles[1]).toEqual({ name: 'warmupCosineDecay', params: { init: 0, peak: 0.05, warmupSteps: 1, decaySteps: 4, end: 0, exponent: 1 } });
    let resumed = load(text, { params: x });
    let y = x;
    for (let i = 4; i < 12; i++) {
      const before = y.data[0];
      [opt, x] = update(opt, x, g) as [typeof opt, Tensor];
      [resumed, y] = update(resumed, y, g) as [typeof resumed, Tensor];
      expect(Object.is(y.data[0], x.data[0])).toBe(true);
      expect(before - y.data[0]).toBeCloseTo(lr(i) * 0.5, 15); // the step is lr(t)·g at the update's step t
    }
  });
});

describe('schedule arguments are checked with typed errors', () => {
  const bad: [string, () => unknown][] = [
    ['linearSchedule steps 0', () => linearSchedule(0, 1, 0)],
    ['linearSchedule negative begin', () => linearSchedule(0, 1, 10, -1)],
    ['linearSchedule negative end', () => linearSchedule(0, -1, 10)],
    ['polynomialSchedule power 0', () => polynomialSchedule(1, 0, 0, 10)],
    ['polynomialSchedule fractional steps', () => polynomialSchedule(1, 0, 1, 2.5)],
    ['warmupCosineDecay decay within warm-up', () => warmupCosineDecay(0, 1, 10, 10)],
    ['warmupCosineDecay NaN peak', () => warmupCosineDecay(0, Number.NaN, 1, 10)],
    ['warmupCosineDecay exponent 0', () => warmupCosineDecay(0, 1, 1, 10, 0, 0)],
    ['warmupExponentialDecay rate 0', () => warmupExponentialDecay(0, 1, 1, 0, 10)],
    ['warmupExponentialDecay staircase not a boolean', () => warmupExponentialDecay(0, 1, 1, 0.5, 10, { staircase: 1 as unknown as boolean })],
    ['warmupExponentialDecay negative endValue', () => warmupExponentialDecay(0, 1, 1, 0.5, 10, { endValue: -1 })],
    ['joinSchedules boundaries not one fewer', () => joinSchedules([cosineDecay(1, 10), cosineDecay(1, 10)], [])],
    ['joinSchedules decreasing boundaries', () => joinSchedules([cosineDecay(1, 10), cosineDecay(1, 10), cosineDecay(1, 10)], [5, 3])],
    ['joinSchedules a number as a schedule', () => joinSchedules([cosineDecay(1, 10), 0.1 as unknown as Schedule], [5])],
    ['joinSchedules no schedules', () => joinSchedules([], [])],
    ['piecewiseConstant negative scale', () => piecewiseConstant(1, { 10: -0.5 })],
    ['piecewiseConstant a key that is not a step', () => piecewiseConstant(1, { '1.5': 0.5 } as unknown as Record<number, number>)],
    ['piecewiseConstant a hostile key', () => piecewiseConstant(1, JSON.parse('{"__proto__": 0.5}'))],
    ['sgdrSchedule no cycles', () => sgdrSchedule([])],
    ['sgdrSchedule a cycle that is not warmupCosineDecay', () => sgdrSchedule([cosineDecay(1, 10)])],
    ['oneCycle pctStart 1', () => oneCycle(100, 0.1, { pctStart: 1 })],
    ['oneCycle zero steps', () => oneCycle(0, 0.1)],
    ['linearOneCycle pctFinal before pctStart', () => linearOneCycle(100, 0.1, { pctStart: 0.5, pctFinal: 0.4 })],
  ];
  it.each(bad)('%s', (_name, f) => {
    expect(f).toThrow(HyperparameterError);
  });
  it('an unknown option is an InvalidArgumentError naming it and the known ones', () => {
    expect(() => oneCycle(10, 0.1, { pct_start: 0.2 } as never)).toThrow(InvalidArgumentError);
    expect(() => oneCycle(10, 0.1, { pct_start: 0.2 } as never)).toThrow(/pct_start.*pctStart/);
  });
});
