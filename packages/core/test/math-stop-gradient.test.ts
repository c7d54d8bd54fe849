import { describe, expect, it } from 'vitest';
import { Tensor, type Value, derivative, grad, hessian, jacobian, jvp, linearize, ops, vjp } from '@natgrad/core';

const T = (x: number | number[]): Tensor => Tensor.from(x);

function data(v: Value): number[] {
  return Array.from((v as Tensor).data);
}

describe('stopGradient', () => {
  // f(x) = x · sg(x): value x², derivative sg(x) = x (not 2x)
  const f = (x: Value) => ops.mul(x, ops.stopGradient(x));

  it('is the identity on values and returns the same concrete tensor', () => {
    const x = T([1, -2, 3]);
    expect(ops.stopGradient(x)).toBe(x);
    expect(ops.stopGradient([1, 2]).toArray()).toEqual([1, 2]);
    expect(data(f(T(3)))).toEqual([9]);
  });

  it('has a zero derivative under jvp, derivative, jacobian and linearize', () => {
    expect((jvp(f, [T(3)], [T(1)])[1] as Tensor).item()).toBe(3);
    expect(derivative(f, 3).item()).toBe(3);
    expect(derivative((x: Value) => ops.stopGradient(ops.exp(x)), 1).item()).toBe(0);
    expect(jacobian((x: Value) => ops.stopGradient(ops.mul(x, 2)))(T([1, 2])).toArray()).toEqual([[0, 0], [0, 0]]);
    const [y, lin] = linearize(f, [T(3)]);
    expect((y as Tensor).item()).toBe(9);
    expect((lin(T(1)) as Tensor).item()).toBe(3);
  });

  it('has a zero derivative under grad and vjp', () => {
    expect(grad(f)(T(3)).item()).toBe(3);
    expect(data(grad((x: Value) => ops.sum(ops.stopGradient(x)))(T([1, 2])))).toEqual([0, 0]);
    const [, pb] = vjp((x: Value) => ops.add(ops.stopGradient(ops.square(x)), x), [T([1, 2])]);
    expect(data(pb(T([1, 1]))[0])).toEqual([1, 1]);
  });

  it('stops derivatives at every nesting level (no perturbation leaks through an inner transform)', () => {
    // inner: d/dy [y · sg(x·y)] at y = 2 is sg(2x) = 2x as a value, but a constant to the outer derivative
    const inner = (x: Value) => derivative((y: Value) => ops.mul(y, ops.stopGradient(ops.mul(x, y))), 2);
    expect(inner(T(3)).item()).toBe(6);
    expect(derivative(inner, 3).item()).toBe(0);
    expect(grad(inner)(T(3)).item()).toBe(0);
    // an outer tracer captured under stopGradient inside an inner transform is constant to both
    const mixed = (x: Value) => derivative((y: Value) => ops.mul(ops.stopGradient(ops.mul(x, x)), ops.square(y)), 1);
    expect(mixed(T(3)).item()).toBe(18);
    expect(derivative(mixed, 3).item()).toBe(0);
  });

  it('second derivatives: the Hessian of Σ x·sg(x) is zero; of Σ x²·sg(x) it is 2·diag(x)', () => {
    expect(data(hessian((x: Value) => ops.sum(f(x)))(T([1, 2])))).toEqual([0, 0, 0, 0]);
    const h = hessian((x: Value) => ops.sum(ops.mul(ops.square(x), ops.stopGradient(x))))(T([1, 2]));
    expect(data(h)).toEqual([2, 0, 0, 4]);
    // forward-over-forward as well
    expect(derivative((x: Value) => derivative((z: Value) => ops.mul(ops.square(z), ops.stopGradient(z)), x), 2).item()).toBe(4);
  });
});
