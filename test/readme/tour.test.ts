/**
 * The README's tour must stay true: every ```ts block of its "A tour" section is run here against the sources, and
 * what it prints is checked against closed forms.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## A tour'), readme.indexOf('\n## ', readme.indexOf('## A tour') + 1));
const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const dir = join(root, 'test', 'readme', '.generated');

/** Runs one snippet as a module (so its imports resolve like user code) and returns what it printed. */
async function runSnippet(i: number): Promise<unknown[][]> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `tour-${i}.ts`);
  // Run as JavaScript here; types.test.ts type-checks every README snippet under strict.
  writeFileSync(file, `// @ts-nocheck\n${blocks[i]}\nexport {};\n`);
  const spy = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await import(/* @vite-ignore */ `${file}?t=${Date.now()}`);
    return spy.mock.calls;
  } finally {
    spy.mockRestore();
  }
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README tour', () => {
  it('has the three snippets', () => {
    expect(blocks).toHaveLength(3);
  });

  it('automatic differentiation: ½ tr(A⁻¹), ½ A⁻¹, the Hessian of Σ exp, and no perturbation confusion', async () => {
    const [[slope, gradient, H, nested]] = (await runSnippet(0)) as [[number, number[][], number[][], number]];
    // A = [[4, 1], [1, 3]], det 11: A⁻¹ = [[3, −1], [−1, 4]] / 11
    expect(slope).toBeCloseTo(0.5 * (7 / 11), 14);
    expect(gradient[0][0]).toBeCloseTo(1.5 / 11, 14);
    expect(gradient[0][1]).toBeCloseTo(-0.5 / 11, 14);
    expect(H).toEqual([[1, 0], [0, Math.E]]);
    expect(nested).toBe(1);
  });

  it('natural gradient: in (μ, Σ) it is Σ² − Σ for KL(q ‖ N(0, I)), and L̇Lᵀ + LL̇ᵀ equals it', async () => {
    const [[Ldot, SigmaDot]] = (await runSnippet(1)) as [[number[][], number[][]]];
    const L = [[0.8, 0], [0.3, 0.6]];
    const S = [[0.64, 0.24], [0.24, 0.45]];
    const S2 = [[0.64 * 0.64 + 0.24 * 0.24, 0.64 * 0.24 + 0.24 * 0.45], [0, 0.24 * 0.24 + 0.45 * 0.45]];
    S2[1][0] = S2[0][1];
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        expect(SigmaDot[i][j]).toBeCloseTo(S2[i][j] - S[i][j], 13);
        let fromL = 0;
        for (let k = 0; k < 2; k++) fromL += Ldot[i][k] * L[j][k] + L[i][k] * Ldot[j][k];
        expect(fromL).toBeCloseTo(SigmaDot[i][j], 13);
      }
    }
  });

  it('optimisers: converges, checkpoints, and resumes', async () => {
    const [[step, elbo, noise, loadedStep, resumedStep]] = (await runSnippet(2)) as [[number, number, number, number, number]];
    expect(step).toBeGreaterThan(20);
    expect(step).toBeLessThan(400);
    expect(Number.isFinite(elbo)).toBe(true);
    expect(noise).toBeGreaterThan(0.001);
    expect(noise).toBeLessThan(1);
    expect(loadedStep).toBe(step);
    expect(resumedStep).toBe(step + 10);
  });
});
