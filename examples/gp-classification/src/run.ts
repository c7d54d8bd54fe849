/**
 * GP classification of penguins, Chinstrap vs the rest (Adelie, Gentoo), from bill length and bill depth: Chinstraps
 * have long AND deep bills, Adelies deep but short ones, Gentoos long but shallow ones, so the class boundary bends
 * around a corner — a job for a GP rather than a linear classifier. The model is a sparse
 * variational GP (svgp.ts). Natural-gradient steps for q(v) — warmed up log-linearly, the usual practice for
 * non-conjugate likelihoods (Salimbeni et al. 2018) — and Adam for the kernel's log-hyperparameters, in one
 * optimiser: optim's `partition`.
 */
import { Tensor, random } from '@natgrad/core';
import { Adam, Descent, type TrainState, lastState, logLinearWarmup, partition, train } from '@natgrad/optim';
import { NaturalGradient } from '@natgrad/optim/natural';
import { tap } from 'rxjs';
import { columns, completeRows, fitStandardiser, matrix, penguins, pick, trainTestSplit, vector } from '@natgrad-examples/shared';
import { type SvgpParams, elbo, predict } from './svgp.js';

export const FEATURES = ['Beak Length (mm)', 'Beak Depth (mm)'] as const;
/** The positive class (label 1); the other two species are label 0. */
export const POSITIVE = 'Chinstrap';

export interface GpClassificationOptions {
  /** Number of inducing points (default 20), placed by k-means on the training inputs. */
  readonly inducing?: number;
  /** Training steps (default 300). */
  readonly steps?: number;
  readonly seed?: number;
  /** Side of the prediction grid for the surface plot (default 60). */
  readonly gridSize?: number;
}

export interface GpClassificationResult {
  readonly nTrain: number;
  readonly nTest: number;
  readonly elboInitial: number;
  readonly elboFinal: number;
  /** ELBO after each step (k = 0 before any). */
  readonly elboCurve: readonly number[];
  readonly lengthscale: number;
  readonly variance: number;
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  readonly testLogPredictive: number;
  readonly wallTimeMs: number;
  /** For the plot, in millimetres: the birds, the inducing points and the predictive probability on a grid. */
  readonly points: readonly { length: number; depth: number; species: string; set: 'train' | 'test' }[];
  readonly inducingPoints: readonly { length: number; depth: number }[];
  readonly surface: readonly { length: number; depth: number; length2: number; depth2: number; p: number }[];
}

export async function run(options: GpClassificationOptions = {}): Promise<GpClassificationResult> {
  const { inducing = 20, steps = 300, seed = 0, gridSize = 60 } = options;

  // ── data: birds with both bill measurements, seeded 75/25 split, standardised with training statistics
  const birds = completeRows(penguins(), FEATURES);
  const split = trainTestSplit(birds.length, 0.25, seed);
  const [trainBirds, testBirds] = [pick(birds, split.train), pick(birds, split.test)];
  const scaler = fitStandardiser(columns(trainBirds, FEATURES));
  const X = matrix(scaler.apply(columns(trainBirds, FEATURES)));
  const y = vector(trainBirds.map((b) => (b.Species === POSITIVE ? 1 : 0)));
  const Xtest = matrix(scaler.apply(columns(testBirds, FEATURES)));
  const ytest = testBirds.map((b) => (b.Species === POSITIVE ? 1 : 0));

  // ── inducing points: k-means on the training inputs, started from a seeded random subset; kept fixed
  const Z = matrix(kMeans(scaler.apply(columns(trainBirds, FEATURES)), inducing, seed));
  const M = Z.shape[0];

  const params0: SvgpParams = {
    q: { mu: Tensor.zeros([M]), L: Tensor.eye(M) }, // q(v) = the whitened prior N(0, I)
    kernel: { logLengthscale: Tensor.scalar(0), logVariance: Tensor.scalar(0) }, // ℓ = 1 (one standard deviation), s² = 1
  };
  const optimiser = partition(
    {
      // θ-steps whose size grows geometrically from 0.01 to 0.5 over the first 20 steps, then stays at 0.5
      natural: NaturalGradient(Descent(logLinearWarmup(0.01, 0.5, 20))),
      adam: Adam(0.05),
    },
    { q: 'natural', kernel: 'adam' },
  );

  const curve: number[] = [];
  const final = await lastState(
    train({ objective: (p: SvgpParams) => elbo(X, y, Z, p).neg(), params: params0, optimiser, steps }).pipe(
      tap((s: TrainState<SvgpParams>) => curve.push(-s.loss)), // −loss: the ELBO before this step
    ),
  );
  if (final === undefined) throw new Error('training emitted nothing');
  const p = final.params;
  const elboFinal = elbo(X, y, Z, p).item();
  curve.push(elboFinal);

  // ── evaluation
  const accuracy = (probabilities: number[], labels: number[]) =>
    probabilities.filter((pi, i) => (pi > 0.5 ? 1 : 0) === labels[i]).length / labels.length;
  const pTest = predict(Xtest, Z, p);
  const testLogPredictive = pTest.reduce((s, pi, i) => s + Math.log(ytest[i] === 1 ? pi : 1 - pi), 0) / ytest.length;

  // ── the predictive probability on a grid spanning the data (in millimetres for the plot)
  const raw = columns(birds, FEATURES);
  const [lo, hi] = [0, 1].map((j) => [Math.min(...raw.map((r) => r[j])) - 1, Math.max(...raw.map((r) => r[j])) + 1]);
  const cell = [(lo[1] - lo[0]) / gridSize, (hi[1] - hi[0]) / gridSize];
  const centres: number[][] = [];
  for (let i = 0; i < gridSize; i++) for (let j = 0; j < gridSize; j++) centres.push([lo[0] + (i + 0.5) * cell[0], hi[0] + (j + 0.5) * cell[1]]);
  const pGrid = predict(matrix(scaler.apply(centres)), Z, p);

  return {
    nTrain: trainBirds.length,
    nTest: testBirds.length,
    elboInitial: curve[0],
    elboFinal,
    elboCurve: curve,
    lengthscale: Math.exp(p.kernel.logLengthscale.item()),
    variance: Math.exp(p.kernel.logVariance.item()),
    trainAccuracy: accuracy(predict(X, Z, p), y.toFlatArray()),
    testAccuracy: accuracy(pTest, ytest),
    testLogPredictive,
    wallTimeMs: final.wallTime,
    points: [
      ...trainBirds.map((b) => ({ b, set: 'train' as const })),
      ...testBirds.map((b) => ({ b, set: 'test' as const })),
    ].map(({ b, set }) => ({ length: b[FEATURES[0]] as number, depth: b[FEATURES[1]] as number, species: b.Species, set })),
    inducingPoints: scaler.invert(Z.toArray() as number[][]).map(([length, depth]) => ({ length, depth })),
    surface: centres.map(([length, depth], k) => ({
      // cells overlap by 2 %, so that antialiasing leaves no seams between them
      length: length - 0.51 * cell[0],
      depth: depth - 0.51 * cell[1],
      length2: length + 0.51 * cell[0],
      depth2: depth + 0.51 * cell[1],
      p: pGrid[k],
    })),
  };
}

/** k-means (Lloyd's algorithm, 20 iterations) started from k distinct rows chosen by a seeded permutation. */
export function kMeans(rows: readonly (readonly number[])[], k: number, seed: number): number[][] {
  let centres = random.permutation(random.key(seed), rows.length).slice(0, k).map((i) => [...rows[i]]);
  for (let iter = 0; iter < 20; iter++) {
    const sums = centres.map((c) => c.map(() => 0));
    const counts = centres.map(() => 0);
    for (const r of rows) {
      let best = 0;
      let bestD = Infinity;
      centres.forEach((c, j) => {
        const d = c.reduce((s, cj, t) => s + (cj - r[t]) ** 2, 0);
        if (d < bestD) [best, bestD] = [j, d];
      });
      counts[best]++;
      r.forEach((v, t) => (sums[best][t] += v));
    }
    // an empty cluster keeps its centre
    centres = centres.map((c, j) => (counts[j] === 0 ? c : sums[j].map((s) => s / counts[j])));
  }
  return centres;
}
