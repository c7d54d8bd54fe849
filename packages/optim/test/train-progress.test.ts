/** `progressBar`: a cli-progress bar on a (fake) terminal stream, quiet on non-terminals, and a closing summary. */
import { Tensor, type Value, ops } from '@natgrad/core';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { type Rule, TrainingError, defineRule, formatSummary, train } from '../src/index.js';
import { progressBar } from '../src/progress.js';

/** Collects what is written; `isTTY` decides whether cli-progress treats it as a terminal. */
class FakeStream {
  readonly chunks: string[] = [];
  readonly columns = 160;
  constructor(readonly isTTY: boolean) {}
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  /** Everything written, without ANSI escape sequences. */
  get text(): string {
    // eslint-disable-next-line no-control-regex
    return this.chunks.join('').replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '');
  }
}

const TestSGD = defineRule({
  name: 'TestSGD',
  hyperparams: (lr = 0.1) => ({ lr }),
  check: { lr: (_r: string, _n: string, v: number) => v },
  init: () => ({}),
  apply: (s, _p, g, h, ctx) => {
    if (ctx.step % 4 === 3) ctx.emit({ type: 'backtrack', message: 'halved' });
    return [s, ops.mul(g, h.lr) as Tensor];
  },
});
const sgd = (lr: number): Rule => TestSGD(lr);
const objective = (p: { w: Tensor }) => ops.add(ops.sum(ops.square(ops.sub(p.w, 3))), 1) as Value;
const opts = { objective, params: { w: Tensor.from([0, 1]) }, optimiser: sgd(0.1), differentiate: true } as const;

describe('progressBar', () => {
  it('draws a bar on a terminal and prints a summary when the run completes', async () => {
    const stream = new FakeStream(true);
    const states = await firstValueFrom(train({ ...opts, steps: 40 }).pipe(progressBar({ stream, total: 40 }), toArray()));
    expect(states).toHaveLength(40); // every state passes through
    const text = stream.text;
    expect(text).toMatch(/train \[[█░=\-]+\] \d+% \| step \d+\/40 \| loss [\d.e+-]+ \| best [\d.e+-]+ \| ETA/);
    expect(text).toContain('step 40/40');
    const summary = text.trim().split('\n').pop()!;
    expect(summary).toMatch(/^trained 40 steps \(steps 1–40\) in \d+ ms: final loss 1\.00000, best 1\.00000 at step 40; events: backtrack ×10$/);
    expect(summary).toBe(formatSummary({
      steps: 40, firstStep: 1, lastStep: 40, finalLoss: states[39].loss, bestLoss: states[39].loss, bestStep: 40,
      wallTime: states[39].wallTime, events: { backtrack: 10 }, lastState: states[39],
    }));
  });

  it('shows a counter when the total is unknown', async () => {
    const stream = new FakeStream(true);
    await lastValueFrom(train({ ...opts, steps: 5 }).pipe(progressBar({ stream, label: 'fit' })));
    expect(stream.text).toMatch(/fit \| step 5 \| loss [\d.]+ \| best [\d.]+ \| \d+s/);
    expect(stream.text).toContain('trained 5 steps');
  });

  it('is quiet on a stream that is not a terminal, unless forced', async () => {
    const quiet = new FakeStream(false);
    const states = await firstValueFrom(train({ ...opts, steps: 10 }).pipe(progressBar({ stream: quiet, total: 10 }), toArray()));
    expect(states).toHaveLength(10);
    expect(quiet.chunks).toEqual([]);

    const forced = new FakeStream(false);
    await lastValueFrom(train({ ...opts, steps: 10 }).pipe(progressBar({ stream: forced, total: 10, force: true })));
    expect(forced.text).not.toMatch(/\x1b/); // plain lines, no cursor movements
    expect(forced.text).toMatch(/train \[.*\] \d+% \| step \d+\/10/);
    expect(forced.text.trim().split('\n').pop()).toMatch(/^trained 10 steps/);
  });

  it('summarises a failed run with the step and the reason, and passes the error on', async () => {
    const stream = new FakeStream(true);
    const failing = (p: { w: Tensor }, _k: unknown, step: number) => {
      if (step === 6) throw new Error('out of memory');
      return objective(p);
    };
    const err = await lastValueFrom(train({ ...opts, objective: failing, steps: 20 }).pipe(progressBar({ stream, total: 20 }))).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TrainingError);
    const summary = stream.text.trim().split('\n').pop()!;
    expect(summary).toMatch(/^training failed at step 6 after 6 steps \(steps 1–6\) in \d+ ms: final loss .*best .* at step 6; events: backtrack ×1 — training step 6 failed \(objective-threw\): out of memory$/);
  });

  it('says the run was stopped when it is unsubscribed, and can leave the summary out', async () => {
    const stream = new FakeStream(true);
    await lastValueFrom(train({ ...opts, steps: 100 }).pipe(progressBar({ stream, total: 100 }), take(7)));
    expect(stream.text.trim().split('\n').pop()).toMatch(/^stopped after 7 steps \(steps 1–7\)/);
    const silent = new FakeStream(true);
    await lastValueFrom(train({ ...opts, steps: 3 }).pipe(progressBar({ stream: silent, total: 3, summary: false })));
    expect(silent.text).not.toContain('trained');
    expect(silent.text).toContain('step 3/3');
  });
});
