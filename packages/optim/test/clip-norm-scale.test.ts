/**
 * ClipNorm rescales and never throws, at any finite scale: a gradient of entries 1e200 (whose squares overflow) is
 * clipped to norm ω rather than zeroed, one of entries 1e-170 (whose squares underflow) is clipped to a smaller ω
 * rather than left alone; per tensor and global; and LAMB's trust ratio survives the same scales.
 */
import { Tensor } from '@natgrad/core';
import { ClipNorm, LAMB, type Params, setup, update } from '@natgrad/optim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** ‖x‖₂ written independently of the rule: every entry divided by the largest first. */
function norm(xs: readonly number[]): number {
  const m = Math.max(...xs.map(Math.abs));
  if (m === 0) return 0;
  return m * Math.sqrt(xs.reduce((s, x) => s + (x / m) ** 2, 0));
}

function clip(omega: number, g: number[], global = false): number[] {
  const opt = setup(ClipNorm(omega, 2, { global }), Tensor.from(g.map(() => 0)));
  const [, x] = update(opt, Tensor.from(g.map(() => 0)), Tensor.from(g));
  return Array.from((x as Tensor).data, (v) => 0 - v); // the update is param − step, so from 0 the step is −x (0 − v keeps +0)
}

/** Finite gradients at scales from 1e-300 to 1e300: mantissas times one common power of ten. */
const scaledGradient = fc
  .tuple(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }), fc.integer({ min: -300, max: 300 }))
  .map(([xs, e]) => xs.map((x) => x * 10 ** e))
  .filter((xs) => xs.every(Number.isFinite));

describe('ClipNorm at every finite scale', () => {
  it('rescales a gradient of entries 1e200 to norm ω (not to 0 or ∞)', () => {
    const out = clip(1, [3e200, 4e200]);
    expect(out[0]).toBeCloseTo(0.6, 15);
    expect(out[1]).toBeCloseTo(0.8, 15);
  });

  it('clips a gradient of entries 1e-170 to a smaller ω', () => {
    const out = clip(1e-171, [3e-170, -4e-170]);
    expect(out[0] / 1e-171).toBeCloseTo(0.6, 14);
    expect(out[1] / 1e-171).toBeCloseTo(-0.8, 14);
  });

  it('leaves a zero gradient and one within ω exactly as they are', () => {
    expect(clip(1, [0, 0, 0])).toEqual([0, 0, 0]);
    expect(clip(10, [3, -4])).toEqual([3, -4]);
  });

  it('global clipping uses the norm of all leaves together, also at 1e200', () => {
    const params = { a: Tensor.from([0]), b: Tensor.from([0]) } as Params;
    const opt = setup(ClipNorm(1, 2, { global: true }), params);
    const [, x] = update(opt, params, { a: Tensor.from([3e200]), b: Tensor.from([4e200]) } as Params);
    const { a, b } = x as { a: Tensor; b: Tensor };
    expect(-a.data[0]).toBeCloseTo(0.6, 15);
    expect(-b.data[0]).toBeCloseTo(0.8, 15);
  });

  it('property: the result is the gradient times one factor in (0, 1], of norm min(‖g‖, ω) (fast-check)', () => {
    fc.assert(
      fc.property(scaledGradient, fc.integer({ min: -300, max: 300 }), fc.boolean(), (g, e, global) => {
        const omega = 10 ** e;
        const out = clip(omega, g, global);
        const n = norm(g);
        const expected = Math.min(n, omega);
        expect(Math.abs(norm(out) - expected)).toBeLessThanOrEqual(1e-14 * expected + 8 * Number.MIN_VALUE); // subnormal results round to the smallest double
        for (let i = 0; i < g.length; i++) {
          // Same direction: never flipped, and never zeroed unless g·min(1, ω/‖g‖) is below the smallest double itself.
          if (g[i] === 0 || Math.abs((g[i] / n) * expected) < Number.MIN_VALUE) expect(Math.abs(out[i])).toBeLessThanOrEqual(Number.MIN_VALUE);
          else expect(Math.sign(out[i])).toBe(Math.sign(g[i]));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('LAMB trust ratio at extreme scales', () => {
  it('moves a tensor of entries 1e-170 by lr times its own norm', () => {
    const x0 = Tensor.from([3e-170, 4e-170]);
    const opt = setup(LAMB(0.1), x0);
    const [, x] = update(opt, x0, Tensor.from([1, 1]));
    const step = [x0.data[0] - (x as Tensor).data[0], x0.data[1] - (x as Tensor).data[1]];
    // First Adam direction is m̂/(√v̂ + ε) = g/(|g| + ε) ≈ (1, 1): so the step is 0.1 · 5e-170 · (1, 1)/√2.
    expect(norm(step) / 5e-171).toBeCloseTo(1, 12);
    expect(step[0] / step[1]).toBeCloseTo(1, 14); // both coordinates had the same gradient
  });
});
