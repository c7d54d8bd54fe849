/**
 * The issue-12 rules (Lion, NAdam, RAdam, AdaBelief, Yogi, AdaMax, AMSGrad, AdaDelta, Rprop, OAdam, SignDecay, LAMB)
 * and the new options of existing rules (AdamW `couple`, RMSProp `epsInSqrt`, AdaGrad's initial accumulator) over 50
 * updates on random gradients:
 *
 * - against a plain-number implementation of the published formula (rule-references.ts), to 1e-14 relative;
 * - where the conventions agree, against `torch.optim` run live by `torch-reference.py` (skipped with a note when
 *   /usr/bin/python3 — or $NATGRAD_PYTHON — has no torch; CI has none, which is why the plain references exist).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GRADS, STEPS, SUBJECTS, X0, relativeError, trajectory } from './rule-references.js';

describe('new rules against the published formulas (plain-number references, 50 updates)', () => {
  it.each(SUBJECTS.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const mine = trajectory(s.make(), X0, GRADS);
    const ref = s.ref(X0, GRADS);
    expect(relativeError(mine, ref)).toBeLessThanOrEqual(1e-14);
    // The trajectory moved: a rule that returned zero steps would agree with nothing but a broken reference.
    expect(Math.abs(mine[STEPS - 1][3] - X0[3])).toBeGreaterThan(1e-6);
  });
});

// ---------------------------------------------------------------------------------------------------------------

const PYTHON = process.env.NATGRAD_PYTHON ?? '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./torch-reference.py', import.meta.url));
const withTorch = SUBJECTS.filter((s) => s.torch !== undefined);

/** Runs every torch case in one Python process; undefined when Python or torch is not available. */
function torchTrajectories(): Record<string, number[][]> | undefined {
  const cases = withTorch.map((s) => ({ name: s.name, optimiser: s.torch!.optimiser, kwargs: s.torch!.kwargs, x0: X0, grads: GRADS }));
  const r = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify({ cases }), encoding: 'utf8', timeout: 120_000 });
  if (r.error !== undefined || r.status === 3) return undefined;
  if (r.status !== 0) throw new Error(`torch-reference.py failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const TORCH = torchTrajectories();
if (TORCH === undefined) console.warn(`rules-reference: torch is not importable by ${PYTHON}; the torch.optim comparisons are skipped (the plain-number references still run)`);

describe.skipIf(TORCH === undefined)('new rules against torch.optim 1.13, run live (50 updates)', () => {
  it.each(withTorch.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const mine = trajectory(s.make(), X0, GRADS);
    const theirs = TORCH![s.name];
    const expected = s.torch!.convert ? s.torch!.convert(theirs) : theirs;
    expect(relativeError(mine, expected)).toBeLessThanOrEqual(s.torch!.tol);
  });
});
