/**
 * The coordinates a natural-gradient step is taken in, as transform objects: how a Gaussian block is seen by the
 * inner rule (its parameter and its gradient), and how a step the inner rule makes there maps back to a step of the
 * block. `naturalCoordinates(P)`: θ, where one step of size 1 is exact for conjugate models; `nativeCoordinates(P)`:
 * the block's own coordinates ξ.
 * @module
 */
import { InvalidArgumentError, NatgradError, Tensor, ops } from '@natgrad/core';
import { type AnyParametrisation, type Gaussian, expectationGradient, meanCholesky, naturalGradientFromEuclidean } from '@natgrad/distributions';
import { checkOptions } from '@natgrad/optim';

/** A block (or its gradient, or a step) as named tensors. */
export type Block = Readonly<Record<string, Tensor>>;

/** Where a natural-gradient step is taken, for Gaussian blocks in one parametrisation. */
export interface Coordinates {
  /** `'natural'` (θ) or `'native'` (the block's own ξ): the name checkpoints keep. */
  readonly kind: 'natural' | 'native';
  /** The parametrisation the blocks are stored in. */
  readonly parametrisation: AnyParametrisation;
  /** Natural coordinates only: the Riemannian correction in precision form is applied. */
  readonly riemannian: boolean;
  /** The keys of a block as the inner rule sees it (`theta1`, `theta2`; or the parametrisation's). */
  readonly innerKeys: readonly string[];
  /** The inner rule's view of a block, shaped as it is (zeros are fine: only shapes are read) — for `init`. */
  template(q: Block): Block;
  /** The inner rule's view of a block. */
  toInner(q: Block): Block;
  /** The gradient the inner rule gets: the natural gradient, in these coordinates, of the Euclidean gradient `g`. */
  gradient(q: Block, g: Block): Block;
  /**
   * The step of the block (what `update` subtracts from it) for the inner rule's step `s` scaled by `scale`, given the
   * block `q` and its inner view; `undefined` when no Gaussian corresponds to the scaled inner step.
   */
  step(q: Block, inner: Block, s: Block, scale: number): Block | undefined;
}

/** Options of {@link naturalCoordinates}. */
export interface NaturalCoordinatesOptions {
  /**
   * Apply the Riemannian correction in precision form (MATH.md), Λ' = Λ − Δ + ½ΔΛ⁻¹Δ with Δ the step on Λ = −2θ₂; Λ'
   * is always positive definite, at the price of one-step exactness. Default false.
   */
  readonly riemannian?: boolean;
}

const THETA = ['theta1', 'theta2'] as const;

/** `x + a·y` in one loop: the candidate and step arithmetic stays off the tracing machinery. */
function axpy(x: Tensor, a: number, y: Tensor): Tensor {
  const out = new Float64Array(x.size);
  for (let i = 0; i < out.length; i++) out[i] = x.data[i] + a * y.data[i];
  return new Tensor(out, x.shape);
}

const asTensor = (v: unknown): Tensor => (v instanceof Tensor ? v : Tensor.from(v as number));

/** Runs `f`; a natgrad error (not PD, not finite, invalid parameter) means "no such Gaussian", anything else is a bug. */
function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof NatgradError) return undefined;
    throw e;
  }
}

/** `P` if it is a parametrisation (from `defineParametrisation` or the built-ins). @internal */
export function checkParametrisation(where: string, P: unknown): AnyParametrisation {
  const p = P as Partial<AnyParametrisation> | null;
  const ok =
    p !== null &&
    typeof p === 'object' &&
    Object.isFrozen(p) && // descriptors are frozen; a copy ({ ...meanCholesky }) is not one, and distributions refuses it
    typeof p.name === 'string' &&
    Array.isArray(p.keys) &&
    (p.family === 'full' || p.family === 'diagonal') &&
    ['validate', 'toMoments', 'toNatural', 'fromNatural'].every((f) => typeof (p as Record<string, unknown>)[f] === 'function');
  if (!ok) throw new InvalidArgumentError(`${where}: expected a parametrisation from @natgrad/distributions (e.g. meanCholesky)`);
  return p as AnyParametrisation;
}

/**
 * Natural coordinates θ for blocks in parametrisation `P` (default `meanCholesky`): the inner rule sees θ(q) and
 * ∂L/∂η (natgrad_θ = ∂L/∂η), its step is taken in θ and mapped back, q' = ξ(θ − step), so `NaturalGradient(Descent(1))`
 * solves a conjugate model in one step. The inner rule's state is keyed by `…theta1` / `…theta2` paths.
 * @throws {InvalidArgumentError} for something that is not a parametrisation, or an unknown option
 */
export function naturalCoordinates(P: AnyParametrisation = meanCholesky, options: NaturalCoordinatesOptions = {}): Coordinates {
  checkParametrisation('naturalCoordinates: P', P);
  checkOptions('naturalCoordinates', options, ['riemannian']);
  if (options.riemannian !== undefined && typeof options.riemannian !== 'boolean') {
    throw new InvalidArgumentError(`naturalCoordinates: riemannian must be a boolean, got ${typeof options.riemannian}`);
  }
  const riemannian = options.riemannian === true;
  const full = P.family === 'full';
  const keys = P.keys as readonly string[];
  const kinds = P.coordinates as Readonly<Record<string, string>>;
  const vecKey = keys.find((k) => ['vector', 'positive', 'negative'].includes(kinds[k])) ?? keys[0];
  /** Natural parameters after a step `scale·s` (with the Riemannian correction if asked). */
  const stepTheta = (theta: Block, s: Block, scale: number): Block => {
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
  return Object.freeze({
    kind: 'natural' as const,
    parametrisation: P,
    riemannian,
    innerKeys: THETA,
    template(q: Block): Block {
      const s = q[vecKey].shape;
      return { theta1: Tensor.zeros(s), theta2: Tensor.zeros(full ? [...s, s[s.length - 1]] : s) };
    },
    toInner: (q: Block) => P.toNatural(q as Gaussian) as unknown as Block,
    gradient(q: Block, g: Block): Block {
      const e = expectationGradient(P, q as Gaussian, g as Gaussian);
      return { theta1: asTensor(e.eta1), theta2: asTensor(e.eta2) };
    },
    step(q: Block, theta: Block, s: Block, scale: number): Block | undefined {
      const cand = attempt(() => P.fromNatural(stepTheta(theta, s, scale) as never) as unknown as Record<string, unknown>);
      if (cand === undefined) return undefined;
      const out: Record<string, Tensor> = {};
      for (const k of keys) out[k] = axpy(q[k], -1, asTensor(cand[k]));
      return out;
    },
  });
}

/**
 * The block's own coordinates ξ in parametrisation `P` (default `meanCholesky`): the inner rule sees the block and its
 * natural gradient in ξ (`naturalGradientFromEuclidean`), and its step is the block's step, q' = q − step.
 * @throws {InvalidArgumentError} for something that is not a parametrisation
 */
export function nativeCoordinates(P: AnyParametrisation = meanCholesky): Coordinates {
  checkParametrisation('nativeCoordinates: P', P);
  const keys = P.keys as readonly string[];
  return Object.freeze({
    kind: 'native' as const,
    parametrisation: P,
    riemannian: false,
    innerKeys: keys,
    template: (q: Block) => q,
    toInner: (q: Block) => q,
    gradient: (q: Block, g: Block) => naturalGradientFromEuclidean(P, q as Gaussian, g as Gaussian) as unknown as Block,
    step(_q: Block, _inner: Block, s: Block, scale: number): Block {
      if (scale === 1) return s;
      const out: Record<string, Tensor> = {};
      for (const k of keys) out[k] = axpy(Tensor.zeros(s[k].shape), scale, s[k]);
      return out;
    },
  });
}

/** True for a {@link Coordinates} object. @internal */
export function isCoordinates(x: unknown): x is Coordinates {
  const c = x as Partial<Coordinates> | null;
  return c !== null && typeof c === 'object' && (c.kind === 'natural' || c.kind === 'native') && typeof c.step === 'function' && typeof c.gradient === 'function';
}
