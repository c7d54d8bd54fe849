/**
 * Directional-derivative check for scalar functions of a parameter tree: reverse mode (grad · v), forward mode
 * (jvp along v) and fourth-order central finite differences must agree, for random directions v.
 */
import { Tensor, type Value, grad, jvp, random, treeFlatten, treeUnflatten } from '@natgrad/core';
import { expect } from 'vitest';

/** Leaves of `tree` + s·(leaves of `dir`). */
function shift<T>(tree: T, dir: T, s: number): T {
  const [a, def] = treeFlatten<Tensor>(tree);
  const [b] = treeFlatten<Tensor>(dir);
  return treeUnflatten<T>(def, a.map((x, i) => new Tensor(x.data.map((v, k) => v + s * b[i].data[k]), x.shape)));
}

/** A random direction with the structure of `tree`; `mask(path index)` false leaves a leaf at zero. */
export function randomDirection<T>(tree: T, seed: number, mask: (leaf: number) => boolean = () => true): T {
  const [leaves, def] = treeFlatten<Tensor>(tree);
  const keys = random.split(random.key(seed), leaves.length);
  return treeUnflatten<T>(def, leaves.map((x, i) => (mask(i) ? (random.normal(keys[i], x.shape) as Tensor) : Tensor.zeros(x.shape))));
}

/**
 * Checks f's derivative at `p` along `dir` three ways. `h` is the finite-difference step, `rtol` the tolerance
 * relative to the largest of the three values (plus `atol`).
 */
export function checkDirectional<T>(f: (p: T) => Value, p: T, dir: T, { h = 1e-4, rtol = 1e-6, atol = 1e-9 } = {}): void {
  const g = grad(f)(p) as T;
  const [gl] = treeFlatten<Tensor>(g);
  const [dl] = treeFlatten<Tensor>(dir);
  const reverse = gl.reduce((s, x, i) => s + x.data.reduce((t, v, k) => t + v * dl[i].data[k], 0), 0);
  const forward = (jvp(f, [p], [dir])[1] as Tensor).item();
  const at = (s: number) => (f(shift(p, dir, s)) as Tensor).item();
  const fd = (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
  const scale = Math.max(Math.abs(reverse), Math.abs(forward), Math.abs(fd));
  expect(Math.abs(reverse - forward)).toBeLessThanOrEqual(1e-10 * scale + atol);
  expect(Math.abs(reverse - fd)).toBeLessThanOrEqual(rtol * scale + atol);
}
