/** fit: one optimiser step per batch, callbacks, early end of data, errors for a non-finite loss. */
import { NonFiniteError, Tensor, ops } from '@natgrad/core';
import { Adam, Descent, TrainingError, columns } from '@natgrad/optim';
import { describe, expect, it } from 'vitest';
import { fit } from '../src/fit.js';

/** Batches of targets c; the loss (w − c)² has its minimum at w = c. */
function* targets(values: number[]) {
  for (const c of values) yield c;
}

describe('fit', () => {
  it('takes one step per batch, in order, and reports each', async () => {
    const seen: [number, number, number][] = [];
    const r = await fit({
      params: { w: Tensor.scalar(0) },
      optimiser: Descent(0.25),
      loss: (p: { w: Tensor }, c: number) => ops.square(ops.sub(p.w, c)),
      data: targets([4, 4, -8]),
      steps: 3,
      onStep: ({ step, params, loss, batch }) => void seen.push([step, params.w.item(), loss + batch]),
    });
    // w ← w − 0.25·2(w − c): 0 → 2 → 3 → −2.5; loss before each step: 16, 4, 121
    expect(seen).toEqual([[1, 2, 20], [2, 3, 8], [3, -2.5, 113]]);
    expect(Array.from(r.losses)).toEqual([16, 4, 121]);
    expect(r.params.w.item()).toBe(-2.5);
    expect(r.optimiser?.step).toBe(3);
    expect(r.stepMs).toHaveLength(3);
    expect(r.stepCpuMs).toHaveLength(3);
    expect(r.stepCpuMs.every((v) => v >= 0)).toBe(true);
  });

  it('accepts async iterables and stops early when the data end', async () => {
    async function* source() {
      yield 1;
      yield 1;
    }
    const r = await fit({ params: { w: Tensor.scalar(0) }, optimiser: Adam(0.1), loss: (p: { w: Tensor }, c: number) => ops.square(ops.sub(p.w, c)), data: source(), steps: 10 });
    expect(r.losses).toHaveLength(2);
    expect(r.params.w.item()).toBeGreaterThan(0);
  });

  it('reads columns batch by batch and reports each batch’s epoch and position', async () => {
    const data = columns({ c: Tensor.from([1, 2, 3, 4, 5]) }, { batchSize: 2, seed: 0 }); // 3 batches, the last of 1
    const seen: [number, number, number][] = [];
    const r = await fit({
      params: { w: Tensor.scalar(0) },
      optimiser: Descent(0.1),
      loss: (p: { w: Tensor }, b: { c: Tensor }) => ops.sum(ops.square(ops.sub(p.w, b.c))),
      data,
      steps: 4,
      onStep: ({ step, epoch, batchIndex }) => void seen.push([step, epoch, batchIndex]),
    });
    expect(seen).toEqual([[1, 0, 0], [2, 0, 1], [3, 0, 2], [4, 1, 0]]);
    // the first loss is that of batch (0, 0) at w = 0
    expect(r.losses[0]).toBe(Array.from(data.batch(0, 0).c.data).reduce((a, c) => a + c * c, 0));
  });

  it('stops an endless source after `steps` and closes it', async () => {
    let closed = false;
    function* endless() {
      try {
        for (;;) yield 0;
      } finally {
        closed = true;
      }
    }
    const r = await fit({ params: { w: Tensor.scalar(1) }, optimiser: Descent(0.1), loss: (p: { w: Tensor }) => ops.square(p.w), data: endless(), steps: 5 });
    expect(r.losses).toHaveLength(5);
    expect(closed).toBe(true);
  });

  it('rejects with a TrainingError (non-finite-loss) naming the step when the loss is not finite', async () => {
    const run = fit({
      params: { w: Tensor.scalar(1) },
      optimiser: Descent(0.1),
      loss: (p: { w: Tensor }, c: number) => ops.mul(p.w, c),
      data: targets([1, Infinity]),
      steps: 2,
    });
    await expect(run).rejects.toBeInstanceOf(TrainingError);
    await expect(run).rejects.toMatchObject({ reason: 'non-finite-loss', step: 1, cause: expect.any(NonFiniteError) });
    await expect(
      fit({ params: { w: Tensor.scalar(1) }, optimiser: Descent(0.1), loss: (p: { w: Tensor }, c: number) => ops.mul(p.w, c), data: targets([1, NaN]), steps: 2 }),
    ).rejects.toThrow(/training step 1 failed \(non-finite-loss\)/);
  });
});
