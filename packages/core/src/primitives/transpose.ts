import { type Primitive, definePrimitive } from '../ad/primitive.js';
import { bind } from '../ad/trace.js';
import { asValue } from '../convert.js';
import { InvalidArgumentError } from '../errors.js';
import { type Shape, sizeOf, stridesOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ArrayInput, Result } from '../value.js';

export const transposePrim: Primitive<{ perm: readonly number[] }> = definePrimitive<{ perm: readonly number[] }>({
  name: 'transpose',
  impl: ([x], { perm }) => permute(x, perm),
  jvp: ([t], _, __, { perm }) => bind(transposePrim, [t!], { perm }),
  vjp: (ct, _, __, { perm }) => [bind(transposePrim, [ct], { perm: inverse(perm) })],
});

function inverse(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    inv[p] = i;
  });
  return inv;
}

function permute(x: Tensor, perm: readonly number[]): Tensor {
  const shape: Shape = perm.map((p) => x.shape[p]);
  const n = sizeOf(shape);
  const src = x.data;
  const out = new Float64Array(n);
  const nd = shape.length;
  if (nd === 2) {
    const r = shape[0], c = shape[1];
    // Blocked so that both the reads and the writes stay in cache.
    const B = 32;
    for (let i0 = 0; i0 < r; i0 += B) {
      for (let j0 = 0; j0 < c; j0 += B) {
        const i1 = Math.min(i0 + B, r), j1 = Math.min(j0 + B, c);
        for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[i * c + j] = src[j * r + i];
      }
    }
    return new Tensor(out, shape);
  }
  const inStrides = stridesOf(x.shape);
  const stride = perm.map((p) => inStrides[p]);
  const idx = new Array<number>(nd).fill(0);
  let base = 0;
  for (let k = 0; k < n; k++) {
    out[k] = src[base];
    for (let ax = nd - 1; ax >= 0; ax--) {
      idx[ax]++;
      base += stride[ax];
      if (idx[ax] < shape[ax]) break;
      base -= stride[ax] * idx[ax];
      idx[ax] = 0;
    }
  }
  return new Tensor(out, shape);
}

/** Permutes axes (`jnp.transpose`); without `axes`, reverses them. */
export function transpose<T extends ArrayInput>(x: T, axes?: readonly number[]): Result<T> {
  const v = asValue(x);
  const nd = v.shape.length;
  const perm = axes === undefined ? Array.from({ length: nd }, (_, i) => nd - 1 - i) : axes.map((a) => (a < 0 ? a + nd : a));
  const seen = new Set(perm);
  if (perm.length !== nd || seen.size !== nd || perm.some((p) => !Number.isInteger(p) || p < 0 || p >= nd)) {
    throw new InvalidArgumentError(`transpose: [${axes?.join(', ')}] is not a permutation of ${nd} axes`);
  }
  if (perm.every((p, i) => p === i)) return v as Result<T>;
  return bind(transposePrim, [v], { perm }) as Result<T>;
}

/** Swaps the last two axes (`x.mT` in NumPy): a batch of matrix transposes. */
export function matrixTranspose<T extends ArrayInput>(x: T): Result<T> {
  const v = asValue(x);
  const nd = v.shape.length;
  if (nd < 2) throw new InvalidArgumentError(`matrixTranspose: needs rank ≥ 2, got rank ${nd}`);
  const perm = Array.from({ length: nd }, (_, i) => i);
  perm[nd - 2] = nd - 1;
  perm[nd - 1] = nd - 2;
  return transpose(v, perm) as Result<T>;
}
