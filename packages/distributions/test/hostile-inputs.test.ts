/**
 * Every public export of the package against hostile input (fast-check): wrong types, wrong shapes, NaN/∞, huge
 * sizes, hostile objects (own `__proto__`/`constructor` keys, getters, inherited or symbol keys, class instances),
 * bad options. Each call must end in a NatgradError that names the function (and, for an invalid argument, that
 * argument) or in a documented result without NaN. The table (`util/hostile-entries.ts`) must list every runtime
 * export, so a new export cannot escape the test. Out of scope by documentation: `P.unchecked.*` (the bare maps, for
 * validated input only).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ArrayValue, Tensor, type Value, grad, jvp, ops } from '@natgrad/core';
import * as D from '@natgrad/distributions';
import { type Candidate, classify, tally, treeCandidates } from './util/hostile.js';
import { ENTRIES } from './util/hostile-entries.js';
import { type Entry, type Setup, type Tree, gaussianOf, pickP } from './util/hostile-slots.js';
import { rng } from './util/gaussians.js';

/** One run: valid arguments, then (unless `slot` is negative) one of them replaced by a candidate. */
function run(entry: Entry, seed: number, slot: number, candidate: number): void {
  const s: Setup = { d: 1 + (seed % 3), batch: seed % 5 === 0 ? [2] : [], next: rng(seed), pick: Math.abs(seed) };
  const args = entry.valid(s);
  if (slot < 0 || entry.slots.length === 0) return classify(entry.name, entry.prefix, () => entry.call(args));
  const i = slot % entry.slots.length;
  const cs = entry.slots[i].candidates(args[i], s);
  const c = cs[candidate % cs.length];
  const replaced = [...args];
  replaced[i] = c.value;
  classify(entry.name, entry.prefix, () => entry.call(replaced), c, c.label ?? entry.slots[i].label);
}

describe('every public export, against hostile input', () => {
  it('the table covers every runtime export of the package', () => {
    expect(Object.keys(ENTRIES).sort()).toEqual(Object.keys(D).sort());
  });

  for (const [exportName, entries] of Object.entries(ENTRIES)) {
    it(`${exportName}: a typed error naming function and argument, or a documented result without NaN`, () => {
      for (const entry of entries) {
        fc.assert(
          fc.property(fc.integer({ min: 0, max: 2 ** 30 }), fc.integer({ min: -1, max: 50 }), fc.nat(400), (seed, slot, candidate) =>
            run(entry, seed, slot, candidate),
          ),
          { numRuns: entry.slots.length === 0 ? 3 : 40 + 12 * entry.slots.length },
        );
      }
    });
  }

  it('inside jvp and grad: hostile values arrive as tracers and are still refused by their primal values', () => {
    const traced = (x: Tree, t: Value): Record<string, Value> =>
      Object.fromEntries(Object.entries(x).map(([k, v]) => [k, ops.add(v, ops.mul(t, 0))]));
    const valueMutant = (c: Candidate) => /NaN|∞|not |negat|≤|≥|zero|× 1e|copy|reordered/.test(c.kind);
    const maps = ['toMoments', 'toNatural', 'toExpectation', 'toScale'] as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 30 }), fc.nat(400), fc.boolean(), (seed, pick, reverse) => {
        const s: Setup = { d: 1 + (seed % 3), batch: [], next: rng(seed), pick };
        const P = pickP(s);
        const map = maps[pick % maps.length];
        const cs = treeCandidates(gaussianOf(P, s), P.coordinates, true, pick).filter(
          (c) => valueMutant(c) && c.value !== null && typeof c.value === 'object' && Object.values(c.value).every((v) => v instanceof ArrayValue),
        );
        const c = cs[pick % cs.length];
        const f = (t: Value) => {
          const out = (P as unknown as Record<string, (q: unknown) => unknown>)[map](traced(c.value as Tree, t));
          return ops.sum(out instanceof ArrayValue ? (out as Value) : ops.add(ops.sum(Object.values(out as object)[0]), ops.sum(Object.values(out as object)[1])));
        };
        const name = `${P.name}.${map} inside ${reverse ? 'grad' : 'jvp'}`;
        classify(name, `${P.name}.${map}`, () => (reverse ? grad(f)(Tensor.scalar(0)) : jvp(f, [Tensor.scalar(0)], [Tensor.scalar(1)])), c, 'q');
      }),
      { numRuns: 300 },
    );
  });

  afterAll(() => {
    // The figures of the report: inputs tried, typed errors, documented results, untyped errors, silent NaN.
    console.info(`hostile inputs: ${JSON.stringify(tally)}`);
  });
});
