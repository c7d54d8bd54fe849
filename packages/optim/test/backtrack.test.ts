/**
 * `backtrack(rule, constraint)`: the generic wrapper NaturalGradient is built on — a step whose NEW parameters fail
 * the constraint is halved until they pass, else rejected; what the predicate saw is exactly what `update` emits.
 */
import { InvalidArgumentError, Tensor } from '@natgrad/core';
import {
  type Constraint,
  Descent,
  type OptimiserEvent,
  type Params,
  TooManyRejectedStepsError,
  WeightDecay,
  backtrack,
  chain,
  freeze,
  load,
  registerConstraint,
  save,
  setup,
  update,
} from '@natgrad/optim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const t = (x: number[]) => Tensor.from(x);
/** Every entry > 0, per top-level key (units `a` and `b`); records what it was shown. */
function positive(seen: Params[] = []): Constraint {
  return {
    name: 'positive',
    valid: (p) => {
      seen.push(p);
      const leaves = p instanceof Tensor ? [p] : Object.values(p as Record<string, Tensor | null>);
      return leaves.every((x) => x === null || x.data.every((v) => v > 0));
    },
    units: () => ['a', 'b'],
  };
}

describe('backtrack', () => {
  it('halves a step until the new parameters are valid; the predicate saw exactly what update emits (fast-check)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 100, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), (x, g) => {
        const seen: Params[] = [];
        const opt = setup(backtrack(Descent(1), positive(seen), { maxHalvings: 60, maxConsecutiveRejections: 100 }), { a: t([x]), b: t([1]) });
        const [opt2, p] = update(opt, { a: t([x]), b: t([1]) }, { a: t([g]), b: t([0]) });
        const accepted = seen.filter((s) => (s as Tensor).data.every((v) => v > 0));
        const emitted = p.a.data[0];
        expect(emitted).toBeGreaterThan(0);
        if (emitted !== x) expect(Object.is((accepted.find((s) => (s as Tensor).data[0] === emitted) as Tensor).data[0], emitted)).toBe(true);
        // the scale taken is the largest 2^-h whose x − 2^-h·g is positive
        const halvings = (opt2.events as OptimiserEvent[]).filter((e) => e.type === 'backtrack').length;
        const rejected = opt2.events.some((e) => e.type === 'step-rejected');
        if (!rejected) {
          expect(emitted).toBe(x - 2 ** -halvings * g);
          if (halvings > 0) expect(x - 2 ** -(halvings - 1) * g).toBeLessThanOrEqual(0);
        } else expect(emitted).toBe(x);
      }),
      { numRuns: 200 },
    );
  });

  it('counts, reports and finally refuses: after maxHalvings the unit keeps its value; more than maxConsecutiveRejections in a row throws', () => {
    const rule = backtrack(Descent(1), positive(), { maxHalvings: 3, maxConsecutiveRejections: 2 });
    const p0 = { a: t([1]), b: t([1]) };
    let opt = setup(rule, p0);
    let p = p0;
    const impossible = { a: t([100]), b: t([0.25]) }; // a − s·100 ≤ 0 for every s ≥ 1/8; b is fine
    for (let i = 1; i <= 2; i++) {
      [opt, p] = update(opt, p, impossible);
      expect(p.a).toBe(p0.a); // rejected: the same tensor
      expect(opt.events.filter((e) => e.type === 'backtrack')).toHaveLength(3);
      expect(opt.events.find((e) => e.type === 'step-rejected')?.path).toBe('a');
      const s = opt.state as { backtracks: number; rejected: number; consecutiveRejections: Record<string, number> };
      expect(s.rejected).toBe(i);
      expect(s.consecutiveRejections.a).toBe(i);
      expect(s.consecutiveRejections.b).toBe(0);
    }
    expect(p.b.data[0]).toBe(0.5); // unit b stepped both times
    expect(() => update(opt, p, impossible)).toThrow(TooManyRejectedStepsError);
    // an accepted step resets the count
    [opt, p] = update(opt, p, { a: t([0.5]), b: t([0]) });
    expect((opt.state as { consecutiveRejections: Record<string, number> }).consecutiveRejections.a).toBe(0);
  });

  it('missing gradients and frozen leaves inside a unit: they keep their value (the predicate sees null there); the rest moves', () => {
    const seen: Params[] = [];
    const whole: Constraint = { name: 'sum-positive', valid: (p) => (seen.push(p), Object.values(p as Record<string, Tensor | null>).reduce((s, x) => s + (x?.data[0] ?? 0), 0) > 0) };
    const p0 = { x: t([1]), y: t([-0.5]), z: t([2]) };
    const opt = setup(backtrack(Descent(1), whole), p0);
    const [opt2, p] = update(opt, p0, { x: t([0.25]), y: null, z: t([0.25]) });
    expect(p.y).toBe(p0.y);
    expect(p.x.data[0]).toBe(0.75);
    expect((seen[0] as Record<string, Tensor | null>).y).toBe(null); // what gets no step is null, as for masked leaves
    expect(opt2.events).toEqual([]);
    // all of a unit's gradients missing: no step, and its counters stay as they are
    const [opt3, p3] = update(opt2, p, { x: null, y: null, z: undefined });
    expect(p3).toEqual(p);
    expect(opt3.state).toEqual(opt2.state);
    // frozen: no step either (the rule sees it masked: null)
    seen.length = 0;
    const [, p4] = update(freeze(opt2, 'x'), p, { x: t([10]), y: t([0]), z: t([1]) });
    expect((seen[0] as Record<string, Tensor | null>).x).toBe(null);
    expect(p4.x).toBe(p.x);
    expect(p4.z.data[0]).toBe(0.75); // 1.75 − 1
  });

  it('must come last in a chain (its step is validated as it is), and composes as a child', () => {
    expect(() => chain(backtrack(Descent(1), positive()), WeightDecay(0.1))).toThrow(InvalidArgumentError);
    const opt = setup(chain(WeightDecay(0.5), backtrack(Descent(1), positive())), { a: t([1]), b: t([1]) });
    const [, p] = update(opt, { a: t([1]), b: t([1]) }, { a: t([0]), b: t([0.25]) });
    expect(p.a.data[0]).toBe(0.5);
    expect(p.b.data[0]).toBe(0.25);
  });

  it('checkpoints name the constraint: a registered one loads and continues bit for bit; an unknown one is refused', () => {
    const c: Constraint = { name: 'below-ten', valid: (p) => Object.values(p as Record<string, Tensor>).every((x) => x.data.every((v) => v < 10)) };
    const p0 = { w: t([9, 1]) };
    let opt = setup(backtrack(Descent(1), c, { maxHalvings: 4 }), p0);
    let p = p0;
    [opt, p] = update(opt, p, { w: t([-4, 1]) });
    const file = save(opt);
    expect(() => load(file, { params: p })).toThrow(/unknown constraint "below-ten".*registerConstraint/);
    registerConstraint(c);
    expect(() => registerConstraint({ ...c })).toThrow(/already registered/);
    const loaded = load(file, { params: p });
    const g = { w: t([-3, 0.5]) };
    expect(update(loaded, p, g)[1].w.data).toEqual(update(opt, p, g)[1].w.data);
    expect(save(update(loaded, p, g)[0])).toBe(save(update(opt, p, g)[0]));
  });
});
