/**
 * `NaturalGradient(inner, …)`: natural-gradient steps for Gaussian blocks of the parameter tree, with the maths
 * delegated to @natgrad/distributions and the step size (or any other rule) to `inner`. It never emits an invalid
 * Gaussian: a failing candidate is halved (backtracking), and kept unchanged if no halving works.
 * @module
 */
import { InvalidArgumentError, NatgradError, Tensor, ops } from '@natgrad/core';
import { type AnyParametrisation, type Gaussian, expectationGradient, meanCholesky, naturalGradientFromEuclidean } from '@natgrad/distributions';
import type { AnyRule, ApplyContext, Params, Rule } from '../rule.js';
import { allFinite } from '../tree-utils.js';
import { integerAtLeast } from '../validate.js';
import { type BlockNode, blocksOf, mapBlocks, presence } from './blocks.js';

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
  /** State of the inner rule (in natural coordinates keyed by `…theta1` / `…theta2` paths). */
  readonly inner: unknown;
}

const THETA = ['theta1', 'theta2'] as const;

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

/**
 * `NaturalGradient(inner, { parametrisation = meanCholesky, coordinates = 'natural', maxHalvings = 10, riemannian =
 * false })`: a rule for a Gaussian block `q` (e.g. `{ mu, L }`) or a tree of such blocks. It turns the Euclidean
 * gradient of each block into its natural gradient (`naturalGradientFromEuclidean`; in natural coordinates
 * `expectationGradient`, since natgrad_θ = ∂L/∂η) and hands that to `inner` as the gradient, e.g.
 * `NaturalGradient(Descent(1))` (one exact step on a conjugate model) or `NaturalGradient(IncreasingRate(1, 1e-8))`.
 * In natural coordinates the inner rule's state is keyed by `…theta1` / `…theta2` paths.
 *
 * A candidate that fails the parametrisation's validation (not positive definite, …) is halved up to `maxHalvings`
 * times, each halving reported by a `'backtrack'` event and counted in the state; if none works the block keeps its
 * value (zero step) and a `'step-rejected'` event is emitted. The inner rule's state advances as it computed it.
 * A block that is only partly present (part of it frozen) is treated as frozen. Combine with `partition` for
 * "natural steps for q, Adam for the hyperparameters".
 * @throws {HyperparameterError} for a bad `maxHalvings`; {@link InvalidArgumentError} for `riemannian` in native
 * coordinates; `ShapeError` (at setup) for a parameter outside any block
 */
export function NaturalGradient(inner: AnyRule, options: NaturalGradientOptions = {}): Rule<NaturalGradientState> {
  const P = options.parametrisation ?? meanCholesky;
  const coordinates = options.coordinates ?? 'natural';
  if (coordinates !== 'natural' && coordinates !== 'native') {
    throw new InvalidArgumentError(`NaturalGradient: coordinates must be 'natural' or 'native', got ${String(coordinates)}`);
  }
  const maxHalvings = integerAtLeast('NaturalGradient', 'maxHalvings', options.maxHalvings ?? 10, 0);
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

  const valid = (q: Record<string, unknown>): boolean =>
    attempt(() => {
      for (const k of keys) if (!allFinite(asTensor(q[k]).data)) return false;
      P.validate(q as Gaussian, 'NaturalGradient');
      return true;
    }) === true;

  function blockStep(b: BlockNode, s: Readonly<Record<string, Tensor>>, path: string, ctx: ApplyContext, counts: { backtracks: number; rejected: number }) {
    const q = b as Readonly<Record<string, Tensor>>;
    const theta = isNatural ? (P.toNatural(q as Gaussian) as unknown as { theta1: Tensor; theta2: Tensor }) : undefined;
    for (let h = 0; h <= maxHalvings; h++) {
      const scale = 2 ** -h;
      let step: Record<string, Tensor> | undefined;
      if (theta === undefined) {
        const cand: Record<string, Tensor> = {};
        for (const k of keys) cand[k] = axpy(q[k], -scale, s[k]);
        if (valid(cand)) step = Object.fromEntries(keys.map((k) => [k, h === 0 ? s[k] : axpy(Tensor.zeros(s[k].shape), scale, s[k])]));
      } else {
        const cand = attempt(() => P.fromNatural(stepTheta(theta, s as { theta1: Tensor; theta2: Tensor }, scale)) as Record<string, unknown>);
        if (cand !== undefined && valid(cand)) step = Object.fromEntries(keys.map((k) => [k, axpy(q[k], -1, asTensor(cand[k]))]));
      }
      if (step !== undefined) return step;
      if (h < maxHalvings) {
        counts.backtracks++;
        ctx.emit({
          type: 'backtrack',
          path,
          message: `candidate ${P.name} block at scale ${scale} is not a valid Gaussian; halving the step`,
          data: { halvings: h + 1, scale: scale / 2 },
        });
      }
    }
    counts.rejected++;
    ctx.emit({
      type: 'step-rejected',
      path,
      message: `no valid ${P.name} block after ${maxHalvings} halvings; the block keeps its value`,
      data: { halvings: maxHalvings },
    });
    return Object.fromEntries(keys.map((k) => [k, Tensor.zeros(q[k].shape)]));
  }

  const rule: Rule<NaturalGradientState> = {
    name: 'NaturalGradient',
    hyperparams: { maxHalvings },
    options: { parametrisation: P.name, coordinates, riemannian },
    children: [inner],
    handlesNonFinite: inner.handlesNonFinite,
    bind(param) {
      const b = inner.bind ? inner.bind(param) : inner;
      return b === inner ? rule : NaturalGradient(b, options);
    },
    init(param) {
      const innerParam = isNatural
        ? mapBlocks(param, keys, (b) => (presence(b, keys) === 'all' ? thetaZeros(b) : nulls(THETA)))
        : mapBlocks(param, keys, (b) => b); // also checks that every parameter lies in a block
      return { backtracks: 0, rejected: 0, inner: inner.init(innerParam as Params) };
    },
    apply(state, param, grad, ctx) {
      const blocks = blocksOf(param, keys);
      const full = (path: string) => presence(blocks.get(path)!, keys) === 'all';
      const innerParam = mapBlocks(param, keys, (b, path) => {
        if (!full(path)) return nulls(innerKeys);
        return isNatural ? P.toNatural(b as Gaussian) : b;
      });
      const innerGrad = mapBlocks(grad, keys, (g, path) => {
        if (!full(path)) return nulls(innerKeys);
        const q = blocks.get(path) as Gaussian;
        if (!isNatural) return naturalGradientFromEuclidean(P, q, g as Gaussian);
        const e = expectationGradient(P, q, g as Gaussian);
        return { theta1: asTensor(e.eta1), theta2: asTensor(e.eta2) };
      });
      const [innerState, innerStep] = inner.apply(state.inner, innerParam as Params, innerGrad as Params, ctx);
      const counts = { backtracks: state.backtracks, rejected: state.rejected };
      const step = mapBlocks(innerStep, innerKeys, (s, path) => {
        const b = blocks.get(path)!;
        const pres = presence(b, keys);
        if (pres === 'none') return nulls(keys);
        // Partly frozen: the block cannot move consistently, so none of it moves.
        if (pres === 'some') return Object.fromEntries(keys.map((k) => [k, b[k] ? Tensor.zeros(b[k]!.shape) : null]));
        return blockStep(b, s as Record<string, Tensor>, path, ctx, counts);
      });
      return [{ ...counts, inner: innerState }, step as Params];
    },
  };
  return rule;
}
