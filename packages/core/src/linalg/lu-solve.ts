import type { MaybeValue } from '../ad/primitive.js';
import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind, primalValue } from '../ad/trace.js';
import { booleanOption, readOptions } from '../args.js';
import { firstZeroDiagonal } from '../backend/check.js';
import { dense } from '../backend/select.js';
import { toValue } from '../convert.js';
import { describeValue } from '../describe.js';
import { InvalidArgumentError, NatgradError, ShapeError, SingularMatrixError, assertFinite } from '../errors.js';
import * as lax from '../lax.js';
import { matmul } from '../primitives/matmul.js';
import { type Shape, formatShape, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result, Value } from '../value.js';
import { unitLower, upper } from './blocks.js';
import { triangle, withMatrixRhs } from './helpers.js';
import { batchIndexMap } from './kernels/batch.js';
import { permuteRows } from './permute.js';
import { solveShapes, squareOrder } from './shapes.js';
import { solveTriangular } from './triangular-solve.js';

/** A solve with LU factors: `op(A) X = B`, `A = Pᵀ·L·U`, P given by a permutation per factored matrix. */
interface LuSolveParams {
  readonly transpose: boolean;
  /** Matrix t's permutation at `perms[t·n …]`: row i of P·A is row `perm[i]` of A. */
  readonly perms: Int32Array;
}

/**
 * `X = op(A)⁻¹ B` with `A = Pᵀ L U` given by its packed factors `C` [..., n, n] (L strictly below the diagonal of C,
 * unit diagonal implied, U on and above) and `B` [..., n, m]; batch axes broadcast (LAPACK `getrs`). Differentiable
 * in C and B. With `Y = U X` (no transpose) or `W = P X`, `Z = Lᵀ W` (transposed):
 *   dX = U⁻¹(L⁻¹(P dB − dL Y) − dU X),   dX = Pᵀ L⁻ᵀ(U⁻ᵀ(dB − dUᵀ Z) − dLᵀ W)   (dL = tril(dC, −1), dU = triu(dC));
 *   B̄ = op(A)⁻ᵀ X̄, and C̄ = tril(P Ā Uᵀ, −1) + triu(Lᵀ P Ā) with Ā = −B̄ Xᵀ (or −X B̄ᵀ).
 */
export const luSolvePrim: Primitive<LuSolveParams> = definePrimitive<LuSolveParams>({
  name: 'luSolve',
  impl: ([c, b], { transpose, perms }) => {
    const { n, m, batch, aBatch, bBatch } = solveShapes(c.shape, b.shape, 'luSolve');
    assertFinite(c.data, 'luSolve (lu)', c.shape);
    assertFinite(b.data, 'luSolve (right-hand side)', b.shape);
    const nn = n * n, nm = n * m, count = sizeOf(aBatch);
    for (let t = 0; t < count; t++) {
      const bad = firstZeroDiagonal(c.data, t * nn, n, n, false);
      if (bad >= 0) throw new SingularMatrixError(bad, t, 'luSolve');
    }
    const nb = sizeOf(batch);
    const cMap = batchIndexMap(aBatch, batch), bMap = batchIndexMap(bBatch, batch);
    const out = new Float64Array(nb * nm);
    for (let s = 0; s < nb; s++) {
      const ic = cMap[s];
      dense.getrs(transpose, n, m, c.data, ic * nn, n, perms.subarray(ic * n, ic * n + n), b.data, bMap[s] * nm, m, out, s * nm, m);
    }
    return new Tensor(out, [...batch, n, m]);
  },
  jvp: ([tC, tB], [c], x, p) => {
    if (tC === null && tB === null) return null;
    const full = expandPerms(p.perms, c.shape, x.shape);
    const db = lax.toShape(tB, x.shape);
    if (!p.transpose) {
      let r = db === null ? null : permuteRows(db, full, false);
      if (tC !== null) r = subMaybe(r, matmul(triangle(tC, true, true), matmul(upper(c), x)), x.shape);
      let z = solveTriangular(c, r!, true, true, false, true);
      if (tC !== null) z = lax.toShape(lax.sub(z, matmul(upper(tC), x)), x.shape)!;
      return solveTriangular(c, z, true, false, false);
    }
    const w = permuteRows(x, full, false);
    let r: MaybeValue = db;
    if (tC !== null) r = subMaybe(r, matmul(upper(tC), matmul(unitLower(c), w, { transposeA: true }), { transposeA: true }), x.shape);
    let r2 = solveTriangular(c, r!, true, false, true);
    if (tC !== null) r2 = lax.toShape(lax.sub(r2, matmul(triangle(tC, true, true), w, { transposeA: true })), x.shape)!;
    return permuteRows(solveTriangular(c, r2, true, true, true, true), full, true);
  },
  vjp: (ct, [c, b], x, p, needs) => {
    const bBar = bind(luSolvePrim, [c, ct], { transpose: !p.transpose, perms: p.perms });
    let cBar: Value | null = null;
    if (needs[0]) {
      const full = expandPerms(p.perms, c.shape, x.shape);
      let lowerPart: Value, upperPart: Value;
      if (!p.transpose) {
        const pb = permuteRows(bBar, full, false);
        lowerPart = matmul(pb, matmul(upper(c), x), { transposeB: true });
        upperPart = matmul(matmul(unitLower(c), pb, { transposeA: true }), x, { transposeB: true });
      } else {
        const w = permuteRows(x, full, false);
        lowerPart = matmul(w, matmul(upper(c), bBar), { transposeB: true });
        upperPart = matmul(matmul(unitLower(c), w, { transposeA: true }), bBar, { transposeB: true });
      }
      cBar = lax.unbroadcast(lax.neg(lax.add(triangle(lowerPart, true, true), upper(upperPart))), c.shape);
    }
    return [cBar, needs[1] ? lax.unbroadcast(bBar, b.shape) : null];
  },
});

/** `a − b` where `a` may be a symbolic zero, broadcast to `shape`. */
function subMaybe(a: MaybeValue, b: Value, shape: Shape): Value {
  return lax.toShape(a === null ? lax.neg(b) : lax.sub(a, b), shape)!;
}

/** The permutations of the factors (batch shape of `factors`) repeated for every matrix of a result of `shape`. */
function expandPerms(perms: Int32Array, factors: Shape, shape: Shape): Int32Array {
  const n = factors[factors.length - 1];
  const batch = shape.slice(0, -2);
  const map = batchIndexMap(factors.slice(0, -2), batch);
  if (map.length * n === perms.length && map.every((v, i) => v === i)) return perms;
  const out = new Int32Array(map.length * n);
  for (let s = 0; s < map.length; s++) out.set(perms.subarray(map[s] * n, map[s] * n + n), s * n);
  return out;
}

/** The LU factors {@link luSolve} takes: as {@link luFactor} returns them, or a part of them. */
export interface LuFactorsInput {
  /** The packed factors [..., n, n] (L strictly below the diagonal, unit diagonal implied; U on and above). */
  readonly lu: ArrayInput;
  /** Row i of `P·A` is row `permutation[i]` of A, [..., n]. Either this or `pivots` (both must then agree). */
  readonly permutation?: ArrayInput;
  /** LAPACK's pivots: row i was interchanged with row `pivots[i]` ≥ i, in order, [..., n]. */
  readonly pivots?: ArrayInput;
}

/** Options of {@link luSolve}. */
export interface LuSolveOptions {
  /** Solve `Aᵀ X = B` instead of `A X = B` with the same factors (`trans=1` of `scipy.linalg.lu_solve`). */
  transpose?: boolean;
}

/**
 * Solves `A X = B` — or `Aᵀ X = B` with `transpose` — from the LU factors of `A` that {@link luFactor} computed
 * (`jax.scipy.linalg.lu_solve`, `scipy.linalg.lu_solve`), so one factorisation serves many solves. `B` is
 * [..., n, m], or a vector [..., n] (rank 1 or one below `lu`; then `X` is a vector too); batch axes broadcast.
 * Differentiable with respect to `lu` and `B` (the permutation is a constant): dX = −op(A)⁻¹ op(dA) X + op(A)⁻¹ dB
 * with dA = Pᵀ(dL U + L dU), all in O(n²m) per derivative.
 * @throws {SingularMatrixError} when U has a zero on its diagonal (a singular matrix factors, but cannot be solved
 * with); {@link InvalidArgumentError} for factors that are not `{ lu, permutation }` / `{ lu, pivots }`, a
 * permutation that is not one (or pivots out of range, or the two disagreeing), or a bad option;
 * {@link ShapeError} for non-square `lu`, a permutation of the wrong shape, or mismatched right-hand sides;
 * {@link NonFiniteError} on NaN/∞.
 */
export function luSolve<B extends ArrayInput>(factors: LuFactorsInput, b: B, options?: LuSolveOptions): Result<B> {
  const { c, perms } = readFactors(factors);
  const bv = toValue(b, 'luSolve', 'b');
  const transpose = options === undefined ? false : booleanOption(readOptions(options, 'luSolve', ['transpose']), 'transpose', false, 'luSolve');
  const params: LuSolveParams = Object.freeze({ transpose, perms });
  return withMatrixRhs(c, bv, (bm) => {
    solveShapes(c.shape, bm.shape, 'luSolve');
    return bind(luSolvePrim, [c, bm], params);
  }) as Result<B>;
}

const FACTOR_KEYS = ['lu', 'permutation', 'pivots'];

/** Reads the untrusted factors argument: own data keys only, every permutation checked. */
function readFactors(factors: unknown): { c: Value; perms: Int32Array } {
  const where = 'luSolve';
  const shapeHint = 'factors must be { lu, permutation } or { lu, pivots } as luFactor returns them';
  let record: Record<string, unknown>;
  try {
    if (factors === null || typeof factors !== 'object' || Array.isArray(factors)) throw new InvalidArgumentError(`${where}: ${shapeHint}, got ${describeValue(factors)}`);
    const proto = Object.getPrototypeOf(factors);
    if (proto !== Object.prototype && proto !== null) throw new InvalidArgumentError(`${where}: ${shapeHint}, got ${describeValue(factors)}`);
    record = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(factors)) {
      if (!FACTOR_KEYS.includes(key)) throw new InvalidArgumentError(`${where}: unknown key ${key.slice(0, 40)} in the factors (${shapeHint})`);
      const d = Object.getOwnPropertyDescriptor(factors, key);
      if (d === undefined || !('value' in d)) throw new InvalidArgumentError(`${where}: factors.${key} must be a data property`);
      if (d.value !== undefined) record[key] = d.value;
    }
  } catch (e) {
    if (e instanceof NatgradError) throw e;
    throw new InvalidArgumentError(`${where}: the factors could not be read (${e instanceof Error ? e.message : describeValue(e)})`);
  }
  if (record.lu === undefined) throw new InvalidArgumentError(`${where}: ${shapeHint} (lu is missing)`);
  const c = toValue(record.lu as ArrayInput, where, 'factors.lu');
  const n = squareOrder(c.shape, where, 'lu');
  const batch = c.shape.slice(0, -2);
  let perms: Int32Array | null = null;
  if (record.permutation !== undefined) perms = readPermutation(record.permutation, batch, n);
  if (record.pivots !== undefined) {
    const fromPivots = readPivots(record.pivots, batch, n);
    if (perms !== null && perms.some((v, i) => v !== fromPivots[i])) {
      throw new InvalidArgumentError(`${where}: factors.permutation and factors.pivots describe different permutations`);
    }
    perms = fromPivots;
  }
  if (perms === null) throw new InvalidArgumentError(`${where}: ${shapeHint} (permutation and pivots are both missing)`);
  return { c, perms };
}

/** The integer values of a constant [...batch, n] tensor, checked against `ok(value, row position)`. */
function integerRows(x: unknown, batch: Shape, n: number, what: string, ok: (v: number, i: number) => boolean, range: string): Int32Array {
  const t = primalValue(toValue(x as ArrayInput, 'luSolve', what));
  const expected = [...batch, n];
  if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    throw new ShapeError(`luSolve: ${what} must have shape ${formatShape(expected)} to match lu, got ${formatShape(t.shape)}`);
  }
  const out = new Int32Array(t.data.length);
  for (let q = 0; q < out.length; q++) {
    const v = t.data[q];
    if (!Number.isInteger(v) || !ok(v, q % n)) throw new InvalidArgumentError(`luSolve: ${what}[${q}] is ${v}, not ${range}`);
    out[q] = v;
  }
  return out;
}

function readPermutation(x: unknown, batch: Shape, n: number): Int32Array {
  const perms = integerRows(x, batch, n, 'factors.permutation', (v) => v >= 0 && v < n, `an integer in [0, ${n})`);
  const seen = new Uint8Array(n);
  for (let t = 0; t < perms.length; t += n) {
    seen.fill(0);
    for (let i = 0; i < n; i++) {
      if (seen[perms[t + i]]++ > 0) throw new InvalidArgumentError(`luSolve: factors.permutation repeats ${perms[t + i]} (at ${t + i}): not a permutation`);
    }
  }
  return perms;
}

/** The permutations the LAPACK pivots produce (row i swapped with row piv[i] ≥ i, in order). */
function readPivots(x: unknown, batch: Shape, n: number): Int32Array {
  const piv = integerRows(x, batch, n, 'factors.pivots', (v, i) => v >= i && v < n, 'an integer in [i, n) at position i');
  const perms = new Int32Array(piv.length);
  for (let t = 0; t < piv.length; t += n) {
    for (let i = 0; i < n; i++) perms[t + i] = i;
    for (let i = 0; i < n; i++) {
      const j = piv[t + i], tmp = perms[t + i];
      perms[t + i] = perms[t + j];
      perms[t + j] = tmp;
    }
  }
  return perms;
}
