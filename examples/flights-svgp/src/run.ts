/**
 * Sparse variational GP regression of flight delays on 3 million US flights (or the quick 200 000-flight subset),
 * against two baselines fitted on the same split. `run(options)` does the work and returns the numbers; main.ts
 * prints and plots them, the test asserts them.
 */
import { Tensor } from '@natgrad/core';
import { Adam, Descent, type Rule, cosineDecay, logLinearWarmup, partition } from '@natgrad/optim';
import { NaturalGradient } from '@natgrad/optim/natural';
import { predictTrainingMean } from './baselines/mean.js';
import { fitLinear, predictLinear } from './baselines/linear.js';
import { type FlightsData, type Table, loadFlights, sampleRows } from './data/dataset.js';
import { D, FEATURES } from './data/features.js';
import { batchesPerEpoch, trainingColumns } from './data/minibatches.js';
import { fit } from './fit.js';
import { type Predictions, rmse, score } from './metrics.js';
import { elboEstimate, heldOutRmse } from './monitor.js';
import { kMeans } from './model/kmeans.js';
import { predictSvgp } from './model/predict.js';
import { type SvgpParams, minibatchElbo } from './model/svgp.js';
import { type FlightsOptions, QUICK, resolveOptions } from './options.js';

/** Held-out scores of one method: RMSE in minutes, NLPD in nats per flight (delays in minutes). */
export interface MethodScore {
  readonly rmse: number;
  readonly nlpd: number;
  /** RMSE on the monitored subset of the held-out flights (the one the curve uses). */
  readonly monitorRmse: number;
}

/** One evaluation during training. */
export interface CurvePoint {
  readonly step: number;
  readonly epoch: number;
  /** ELBO of all training flights per flight (nats, delays in minutes), estimated on a fixed sample. */
  readonly elboPerFlight: number;
  /** RMSE (minutes) on the monitoring subset of the held-out flights. */
  readonly rmse: number;
}

/** Everything the example measures. */
export interface FlightsResult {
  readonly options: FlightsOptions;
  readonly nTrain: number;
  readonly nTest: number;
  readonly features: readonly string[];
  readonly baselines: {
    readonly mean: MethodScore;
    readonly linear: MethodScore & { readonly alpha: number; readonly beta: number; readonly iterations: number };
  };
  readonly svgp: MethodScore & {
    /** Lengthscales in the features' own units (months, days, hours, miles, degrees). */
    readonly lengthscales: Readonly<Record<string, number>>;
    /** The ELBO per flight after training, on all training flights (nats, delays in minutes). */
    readonly elboPerFlight: number;
    /** Kernel variance and noise variance, minutes². */
    readonly signalVariance: number;
    readonly noiseVariance: number;
  };
  readonly curve: readonly CurvePoint[];
  /** The minibatch ELBO per flight at each step (noisy; the curve's ELBO is the smooth one). */
  readonly batchElboPerFlight: Float64Array;
  readonly events: Readonly<Record<string, number>>;
  readonly timing: {
    readonly readMs: number;
    readonly baselinesMs: number;
    readonly kMeansMs: number;
    /** Training steps only (batch, gradient, update), summed. */
    readonly trainMs: number;
    /** Median wall time of one step. */
    readonly stepMsMedian: number;
    /** Median CPU time of one step (the wall time less any wait for a core on a shared machine). */
    readonly stepCpuMsMedian: number;
    /** Steps per epoch × median step: the wall time of one pass over the training flights. */
    readonly epochMs: number;
    /** Steps per epoch × median CPU time of a step. */
    readonly epochCpuMs: number;
    /** Evaluations for the curves. */
    readonly evalMs: number;
    readonly totalMs: number;
  };
}

/** The initial parameters: q(v) = p(v), ℓ = 1 standard deviation per feature, s² + σ² = 1 = var(standardised y). */
export function initialParams(Z: Float64Array, M: number): SvgpParams {
  return {
    q: { mu: Tensor.zeros([M]), L: Tensor.eye(M) },
    // delays are mostly noise: start with a fifth of the variance explained
    kernel: { logLengthscales: Tensor.zeros([D]), logVariance: Tensor.scalar(Math.log(0.2)) },
    logNoise: Tensor.scalar(Math.log(0.8)),
    Z: new Tensor(Z, [M, D]),
  };
}

/**
 * Natural-gradient steps for q, Adam for the kernel, the noise and Z, as one optim rule (`partition`).
 *
 * θ-steps are warmed up geometrically from 0.01 over 20 steps. A θ-step of size γ moves q's natural parameters a
 * fraction γ of the way to the optimum for the current batch alone (the likelihood is conjugate), so 1/γ is about
 * how many batches q averages over: small enough for the minibatch noise, large enough to follow the
 * hyperparameters. Those move fast at first and must settle later: Adam's rate decays by a cosine to a tenth.
 */
export function optimiserFor(o: Pick<FlightsOptions, 'naturalStep' | 'adamLr' | 'steps'>): Rule<unknown> {
  return partition(
    { natural: NaturalGradient(Descent(logLinearWarmup(0.01, o.naturalStep, 20))), adam: Adam(cosineDecay(o.adamLr, o.steps, 0.1)) },
    { q: 'natural', kernel: 'adam', logNoise: 'adam', Z: 'adam' },
  );
}

function median(a: Float64Array): number {
  const s = Float64Array.from(a).sort();
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)];
}

/** Runs the example; see {@link FlightsOptions} and the presets QUICK (default) and FULL. */
export async function run(overrides: Partial<FlightsOptions> = {}, base: FlightsOptions = QUICK, log: (line: string) => void = () => {}): Promise<FlightsResult> {
  const started = performance.now();
  const o = resolveOptions(overrides, base);
  const data: FlightsData = await loadFlights({ rows: o.rows, testSize: o.testSize, seed: o.seed });
  const { train, test, target } = data;
  log(`read ${o.rows} flights (${train.n} train, ${test.n} held out) in ${(data.readMs / 1000).toFixed(1)} s`);

  const monitor = sampleRows(test, o.monitorSize, o.seed + 1);
  const elboSample = sampleRows(train, o.elboSample, o.seed + 2);
  const scores = (predict: (t: Table) => Predictions) => ({ ...score(test.y, predict(test)), monitorRmse: rmse(monitor.y, predict(monitor).mean) });

  let t = performance.now();
  const linear = fitLinear(train, target);
  const baselines = {
    mean: scores((tab) => predictTrainingMean(train, tab.n)),
    linear: { ...scores((tab) => predictLinear(linear, tab)), alpha: linear.alpha, beta: linear.beta, iterations: linear.iterations },
  };
  const baselinesMs = performance.now() - t;

  t = performance.now();
  const M = o.inducing;
  const params = initialParams(kMeans(train.x, train.n, D, M, { seed: o.seed }), M);
  const kMeansMs = performance.now() - t;

  const optimiser = optimiserFor(o);

  const curve: CurvePoint[] = [];
  let evalMs = 0;
  const evaluate = (p: SvgpParams, step: number) => {
    const t0 = performance.now();
    const point = {
      step,
      epoch: step / batchesPerEpoch(train.n, o.batchSize),
      elboPerFlight: elboEstimate(p, elboSample, train.n, target) / train.n,
      rmse: heldOutRmse(p, monitor, target),
    };
    curve.push(point);
    evalMs += performance.now() - t0;
    log(`step ${step}: ELBO/N ${point.elboPerFlight.toFixed(4)}, held-out RMSE ${point.rmse.toFixed(3)} min`);
  };
  evaluate(params, 0);

  const result = await fit({
    params,
    optimiser,
    loss: (p: SvgpParams, batch) => minibatchElbo(p, batch, train.n).neg(),
    data: trainingColumns(train, { batchSize: o.batchSize, seed: o.seed, target }),
    steps: o.steps,
    onStep: ({ step, params: p }) => {
      if (step % o.evalEvery === 0 || step === o.steps) evaluate(p, step);
    },
  });
  const p = result.params;
  const final = scores((tab) => predictSvgp(p, tab, target));
  const lengthscales: Record<string, number> = {};
  const logL = p.kernel.logLengthscales.data;
  FEATURES.forEach((name, j) => (lengthscales[name] = Math.exp(logL[j]) * data.featureStats.std[j]));

  const trainMs = result.stepMs.reduce((s, v) => s + v, 0);
  const stepMsMedian = median(result.stepMs);
  const stepCpuMsMedian = median(result.stepCpuMs);
  const perEpoch = batchesPerEpoch(train.n, o.batchSize);
  // the minibatch ELBO in the same units as the curve: each flight's density in minutes is 1/std of the standardised one
  const batchElboPerFlight = result.losses.map((l) => -l / train.n - Math.log(target.std));
  return {
    options: o,
    nTrain: train.n,
    nTest: test.n,
    features: FEATURES,
    baselines,
    svgp: {
      ...final,
      elboPerFlight: elboEstimate(p, train, train.n, target) / train.n,
      lengthscales,
      signalVariance: Math.exp(p.kernel.logVariance.item()) * target.std ** 2,
      noiseVariance: Math.exp(p.logNoise.item()) * target.std ** 2,
    },
    curve,
    batchElboPerFlight,
    events: result.events,
    timing: {
      readMs: data.readMs,
      baselinesMs,
      kMeansMs,
      trainMs,
      stepMsMedian,
      stepCpuMsMedian,
      epochMs: stepMsMedian * perEpoch,
      epochCpuMs: stepCpuMsMedian * perEpoch,
      evalMs,
      totalMs: performance.now() - started,
    },
  };
}
