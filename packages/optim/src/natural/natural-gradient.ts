/**
 * `NaturalGradient(inner, …)`: natural-gradient steps for Gaussian blocks of the parameter tree, with the maths
 * delegated to @natgrad/distributions and the step size (or any other rule) to `inner`. It never emits an invalid
 * Gaussian: the parameters a step leads to — computed exactly as `update` will compute them — are validated, a
 * failing step is halved (backtracking), and the block is kept unchanged if no halving works.
 * @module
 */
import { InvalidArgumentError, NatgradError, Tensor, ops } from '@natgrad/core';
import { type AnyParametrisation, type Gaussian, expectationGradient, meanCholesky, naturalGradientFromEuclidean } from '@natgrad/distributions';
import { checkOptions, checkRule } from '../check-rule.js';
import { COUNTER, checkDomain, interval } from '../domain.js';
import { TooManyRejectedStepsError } from '../errors.js';
import { joinPath } from '../leaf-rule.js';
import type { AnyRule, ApplyContext, Params, Rule } from '../rule.js';
import { subtractStep } from '../step.js';
import { integerAtLeast } from '../validate.js';
import { type BlockNode, blocksOf, checkBlockShapes, mapBlocks, presence } from './blocks.js';
import { usableGaussian } from './usable.js';

/** Options of {@link NaturalGradient}. */
export interface NaturalGradientOptions {
  /** The parametrisation the blocks are stored in. Default `meanCholesky` (`{ mu, L }`). */
  readonly parametrisation?: AnyParametrisation;
  /**
   * `'natural'` (default): step in θ, θ' = θ − step(∂L/∂η), then q' = ξ(θ') — one step of size 1 is exact for
   * conjugate models. `'native'`: step in the block's own coordinates, q' = q − step(natgrad_ξ).
   */
  readonly coordinates?: 'natural' | 'native';
  /** Halvings tried when a candidate is not a valid Gaussian (default 10); after that the step is rejected. */
  readonly maxHalvings?: number;
  /**
   * Rejected steps in a row that a block may have before `update` throws {@link TooManyRejectedStepsError}
   * (default 10): a block whose every step is rejected is stuck, and a run must not go on silently.
   */
  readonly maxConsecutiveRejections?: number;
  /**
   * Natural coordinates only: apply the Riemannian correction in precision form (MATH.md), Λ' = Λ − Δ + ½ΔΛ⁻¹Δ with
   * Δ the step on Λ = −2θ₂; Λ' is always positive definite, at the price of one-step exactness.
   */
  readonly riemannian?: boolean;
}

/** State of {@link NaturalGradient}: backtracking counters and the inner rule's state. */
export interface NaturalGradientState {
  /** Step halvings made so far (each one is also reported as a `'backtrack'` event). */
  readonly backtracks: number;
  /** Steps rejected after `maxHalvings` halvings (reported as `'step-rejected'`). */
  readonly rejected: number;
  /** Rejected steps in a row, by block path (`""` for a root block); reset by an accepted step. */
  readonly consecutiveRejections: Readonly<Record<string, number>>;
  /** State of the inner rule (in natural coordinates keyed by `…theta1` / `…theta2` paths). */
  readonly inner: unknown;
}

const THETA = ['theta1', 'theta2'] as const;
const OPTIONS = ['parametrisation', 'coordinates', 'maxHalvings', 'maxConsecutiveRejections', 'riemannian'];

function axpy(x: Tensor, a: number, y: Tensor): Tensor {
  // x + a·y, one loop: the candidate and step arithmetic stays off the tracing machinery.
  const out = new Float64Array(x.size);
  for (let i = 0; i < out.length; i++) out[i] = x.data[i] + a * y.data[i];
  return new Tensor(out, x.shape);
}

const asTensor = (v: unknown): Tensor => (v instanceof Tensor ? v : Tensor.from(v as number));

/** Runs `f`; a natgrad error (not PD, not finite, invalid parameter) means "invalid candidate", anything else is a bug. */
function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof NatgradError) return undefined;
    throw e;
  }
}

function checkParametrisation(P: unknown): AnyParametrisation {
  const p = P as Partial<AnyParametrisation> | null;
  const ok =
    p !== null &&
    typeof p === 'object' &&
    typeof p.name === 'string' &&
    Array.isArray(p.keys) &&
    (p.family === 'full' || p.family === 'diagonal') &&
    ['validate', 'toMoments', 'toNatural', 'fromNatural'].every((f) => typeof (p as Record<string, unknown>)[f] === 'function');
  if (!ok) throw new InvalidArgumentError('NaturalGradient: options.parametrisation must be a parametrisation from @natgrad/distributions (e.g. meanCholesky)');
  return p as AnyParametrisation;
}

/**
 * `NaturalGradient(inner, { parametrisation = meanCholesky, coordinates = 'natural', maxHalvings = 10,
 * maxConsecutiveRejections = 10, riemannian = false })`: a rule for a Gaussian block `q` (e.g. `{ mu, L }`) or a tree
 * of such blocks. It turns the Euclidean gradient of each block into its natural gradient
 * (`naturalGradientFromEuclidean`; in natural coordinates `expectationGradient`, since natgrad_θ = ∂L/∂η) and hands
 * that to `inner` as the gradient, e.g. `NaturalGradient(Descent(1))` (one exact step on a conjugate model) or
 * `NaturalGradient(IncreasingRate(1, 0.5))` (a warm-up reaching half the full step after ln 2 / 0.5 ≈ 1.4 updates).
 * In natural coordinates the inner rule's state is keyed by `…theta1` / `…theta2` paths.
 *
 * Every emitted block is usable: the parameters `param − step` (computed with the same arithmetic as `update`) pass
 * the parametrisation's validation, their covariance has a Cholesky factorisation, and their natural parameters are
 * finite with a positive definite precision. A step that fails is halved up to `maxHalvings` times, each halving
 * reported by a `'backtrack'` event and counted in the state; if none works the block keeps its value (zero step) and
 * a `'step-rejected'` event is emitted. The inner rule's state advances as it computed it. A block that is only
 * partly present (part of it frozen) is treated as frozen. Combine with `partition` for "natural steps for q, Adam
 * for the hyperparameters"; in a `chain` it must come last (its step is validated as it is).
 * @throws {HyperparameterError} for a bad `maxHalvings` or `maxConsecutiveRejections`; {@link InvalidArgumentError}
 * for an `inner` that is not a rule, an unknown option, or `riemannian` in native coordinates; `ShapeError` (at
 * setup) for a parameter outside any block or a block whose shapes are not one Gaussian's (μ [D] with L [D, D]);
 * {@link TooManyRejectedStepsError} (from `update`) for a stuck block
 */
export function NaturalGradient(inner: AnyRule, options: NaturalGradientOptions = {}): Rule<NaturalGradientState> {
  checkRule('NaturalGradient: inner', inner);
  checkOptions('NaturalGradient', options, OPTIONS);
  const P = checkParametrisation(options.parametrisation ?? meanCholesky);
  const coordinates = options.coordinates ?? 'natural';
  if (coordinates !== 'natural' && coordinates !== 'native') {
    throw new InvalidArgumentError(`NaturalGradient: coordinates must be 'natural' or 'native', got ${String(coordinates)}`);
  }
  const maxHalvings = integerAtLeast('NaturalGradient', 'maxHalvings', options.maxHalvings ?? 10, 0);
  const maxRejections = integerAtLeast('NaturalGradient', 'maxConsecutiveRejections', options.maxConsecutiveRejections ?? 10, 0);
  if (options.riemannian !== undefined && typeof options.riemannian !== 'boolean') {
    throw new InvalidArgumentError(`NaturalGradient: riemannian must be a boolean, got ${typeof options.riemannian}`);
  }
  const riemannian = options.riemannian === true;
  if (riemannian && coordinates !== 'natural') throw new InvalidArgumentError("NaturalGradient: riemannian requires coordinates 'natural'");
  const keys = P.keys as readonly string[];
  const isNatural = coordinates === 'natural';
  const innerKeys: readonly string[] = isNatural ? THETA : keys;
  const full = P.family === 'full';
  const nulls = (ks: readonly string[]) => Object.fromEntries(ks.map((k) => [k, null]));

  /** θ-shaped zeros for a block (init needs only shapes, and a checkpoint template has all-zero parameters). */
  const thetaZeros = (b: BlockNode) => {
    const kinds = P.coordinates as Readonly<Record<string, string>>;
    const vecKey = keys.find((k) => ['vector', 'positive', 'negative'].includes(kinds[k]));
    const s = (b[vecKey ?? keys[0]] as Tensor).shape;
    return { theta1: Tensor.zeros(s), theta2: Tensor.zeros(full ? [...s, s[s.length - 1]] : s) };
  };

  /** Natural parameters after a step `scale·s` (with the Riemannian correction if asked). */
  const stepTheta = (theta: { theta1: Tensor; theta2: Tensor }, s: { theta1: Tensor; theta2: Tensor }, scale: number) => {
    const theta1 = axpy(theta.theta1, -scale, s.theta1);
    if (!riemannian) return { theta1, theta2: axpy(theta.theta2, -scale, s.theta2) };
    // Λ = −2θ₂, and the step on θ₂ is scale·s₂, so the step on Λ is Δ = −2·scale·s₂ (Λ' = Λ − Δ before correction).
    const lambda = ops.mul(-2, theta.theta2);
    const delta = ops.mul(-2 * scale, s.theta2);
    let corr = full ? ops.matmul(delta, ops.solve(lambda, delta)) : ops.div(ops.mul(delta, delta), lambda);
    if (full) corr = ops.mul(0.5, ops.add(corr, ops.matrixTranspose(corr))); // symmetric up to rounding
    const lambdaNext = ops.add(ops.sub(lambda, delta), ops.mul(0.5, corr));
    return { theta1, theta2: asTensor(ops.mul(-0.5, lambdaNext)) };
  };

  /** The ξ-step of a block at `scale`, or undefined when the step cannot even be formed (θ' not a Gaussian). */
  const stepAt = (q: Readonly<Record<string, Tensor>>, theta: { theta1: Tensor; theta2: Tensor } | undefined, s: Readonly<Record<string, Tensor>>, scale: number) => {
    if (theta === undefined) return Object.fromEntries(keys.map((k) => [k, scale === 1 ? s[k] : axpy(Tensor.zeros(s[k].shape), scale, s[k])]));
    const cand = attempt(() => P.fromNatural(stepTheta(theta, s as { theta1: Tensor; theta2: Tensor }, scale)) as Record<string, unknown>);
    if (cand === undefined) return undefined;
    return Object.fromEntries(keys.map((k) => [k, axpy(q[k], -1, asTensor(cand[k]))]));
  };

  /** A step for block `b` whose result is usable, or zeros (rejected); updates the counters. */
  function blockStep(b: BlockNode, s: Readonly<Record<string, Tensor>>, path: string, ctx: ApplyContext, counts: Counts) {
    const q = b as Readonly<Record<string, Tensor>>;
    const theta = isNatural ? (P.toNatural(q as Gaussian) as unknown as { theta1: Tensor; theta2: Tensor }) : undefined;
    for (let h = 0; h <= maxHalvings; h++) {
      const scale = 2 ** -h;
      const step = stepAt(q, theta, s, scale);
      // What update will emit is param − step in exactly this arithmetic: validate that, not the candidate.
      if (step !== undefined && usableGaussian(P, Object.fromEntries(keys.map((k) => [k, subtractStep(q[k], step[k])])))) {
        counts.consecutive[path] = 0;
        return step;
      }
      if (h < maxHalvings) {
        counts.backtracks++;
        ctx.emit({
          type: 'backtrack',
          path,
          message: `candidate ${P.name} block at scale ${scale} is not a usable Gaussian; halving the step`,
          data: { halvings: h + 1, scale: scale / 2 },
        });
      }
    }
    counts.rejected++;
    const consecutive = (counts.consecutive[path] ?? 0) + 1;
    if (consecutive > maxRejections) throw new TooManyRejectedStepsError(ctx.step, path, consecutive, maxRejections);
    counts.consecutive[path] = consecutive;
    ctx.emit({
      type: 'step-rejected',
      path,
      message: `no usable ${P.name} block after ${maxHalvings} halvings; the block keeps its value (${consecutive} in a row, at most ${maxRejections})`,
      data: { halvings: maxHalvings, consecutive },
    });
    return Object.fromEntries(keys.map((k) => [k, Tensor.zeros(q[k].shape)]));
  }

  const rule: Rule<NaturalGradientState> = {
    name: 'NaturalGradient',
    hyperparams: { maxHalvings, maxConsecutiveRejections: maxRejections },
    options: { parametrisation: P.name, coordinates, riemannian },
    children: [inner],
    handlesNonFinite: inner.handlesNonFinite,
    terminal: true,
    bind(param) {
      const b = inner.bind ? inner.bind(param) : inner;
      return b === inner ? rule : NaturalGradient(b, options);
    },
    init(param) {
      const consecutiveRejections: Record<string, number> = {};
      const kinds = P.coordinates as Readonly<Record<string, string>>;
      const innerParam = mapBlocks(param, keys, (b, path) => {
        checkBlockShapes(kinds, b, path);
        if (presence(b, keys) !== 'all') return isNatural ? nulls(THETA) : b;
        consecutiveRejections[path] = 0;
        return isNatural ? thetaZeros(b) : b; // also checks that every parameter lies in a block
      });
      return { backtracks: 0, rejected: 0, consecutiveRejections, inner: inner.init(innerParam as Params) };
    },
    apply(state, param, grad, ctx) {
      const blocks = blocksOf(param, keys);
      const isFull = (path: string) => presence(blocks.get(path)!, keys) === 'all';
      const innerParam = mapBlocks(param, keys, (b, path) => {
        if (!isFull(path)) return nulls(innerKeys);
        return isNatural ? P.toNatural(b as Gaussian) : b;
      });
      const innerGrad = mapBlocks(grad, keys, (g, path) => {
        if (!isFull(path)) return nulls(innerKeys);
        const q = blocks.get(path) as Gaussian;
        if (!isNatural) return naturalGradientFromEuclidean(P, q, g as Gaussian);
        const e = expectationGradient(P, q, g as Gaussian);
        return { theta1: asTensor(e.eta1), theta2: asTensor(e.eta2) };
      });
      const [innerState, innerStep] = inner.apply(state.inner, innerParam as Params, innerGrad as Params, ctx);
      const counts: Counts = { backtracks: state.backtracks, rejected: state.rejected, consecutive: { ...state.consecutiveRejections } };
      const step = mapBlocks(innerStep, innerKeys, (s, path) => {
        const b = blocks.get(path)!;
        const pres = presence(b, keys);
        if (pres === 'none') return nulls(keys);
        // Partly frozen: the block cannot move consistently, so none of it moves.
        if (pres === 'some') return Object.fromEntries(keys.map((k) => [k, b[k] ? Tensor.zeros(b[k]!.shape) : null]));
        return blockStep(b, s as Record<string, Tensor>, path, ctx, counts);
      });
      const next = { backtracks: counts.backtracks, rejected: counts.rejected, consecutiveRejections: counts.consecutive, inner: innerState };
      return [next, step as Params];
    },
    checkState(state, where) {
      checkDomain(joinPath(where, 'backtracks'), state.backtracks, COUNTER);
      checkDomain(joinPath(where, 'rejected'), state.rejected, COUNTER);
      for (const [path, n] of Object.entries(state.consecutiveRejections)) {
        checkDomain(joinPath(where, `consecutiveRejections[${JSON.stringify(path)}]`), n, interval(0, maxRejections, true));
      }
      inner.checkState?.(state.inner, joinPath(where, 'inner'));
    },
  };
  return rule;
}

interface Counts {
  backtracks: number;
  rejected: number;
  consecutive: Record<string, number>;
}
