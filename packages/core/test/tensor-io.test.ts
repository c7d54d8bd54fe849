/**
 * Tensors as text: the exact JSON form (every float64 round-trips, −0, NaN and ±∞ included; hostile JSON rejected
 * before allocating), the readable `toString`/`util.inspect` form, and the pooled buffers behind small tensors.
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NatgradError, ShapeError, Tensor, type TensorJSON, grad, jvp, ops } from '@natgrad/core';

const anyDouble = fc.oneof(
  fc.double(),
  fc.constantFrom(-0, 0, NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, 2 ** -1074),
);
const tensorArb = fc
  .array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 3 })
  .chain((shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return fc.tuple(fc.constant(shape), fc.array(anyDouble, { minLength: n, maxLength: n }));
  })
  .map(([shape, values]) => Tensor.from(Float64Array.from(values), shape));

/** Bitwise equality of two float64 arrays (distinguishes −0 from 0; all NaNs are equal). */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe('JSON form', () => {
  it('round-trips every float64 exactly through JSON.stringify / JSON.parse, by fromJSON and by from', () => {
    fc.assert(
      fc.property(tensorArb, (t) => {
        const text = JSON.stringify(t);
        const back = Tensor.fromJSON(JSON.parse(text));
        expect(back.shape).toEqual(t.shape);
        expect(sameBits(back.data, t.data)).toBe(true);
        const viaFrom = Tensor.from(JSON.parse(text) as TensorJSON);
        expect(sameBits(viaFrom.data, t.data)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('writes the documented form, with strings only for −0, NaN and ±∞', () => {
    const t = Tensor.from([[0.1, -0], [NaN, -Infinity]]);
    expect(t.toJSON()).toEqual({ dtype: 'float64', shape: [2, 2], data: [0.1, '-0', 'NaN', '-Infinity'] });
    expect(JSON.stringify(Tensor.scalar(Infinity))).toBe('{"dtype":"float64","shape":[],"data":["Infinity"]}');
    expect(JSON.stringify({ w: Tensor.from([1, 2]) })).toBe('{"w":{"dtype":"float64","shape":[2],"data":[1,2]}}');
  });

  it('reads hand-written JSON without dtype, and from a null-prototype record', () => {
    expect(Tensor.fromJSON({ shape: [2], data: [1, '-0'] }).data).toEqual(Float64Array.of(1, -0));
    const rec = Object.assign(Object.create(null) as object, { shape: [1], data: [3] });
    expect(Tensor.fromJSON(rec).item()).toBe(3);
  });

  it('rejects anything else with a typed error, before allocating', () => {
    const cases: [unknown, new (...a: any[]) => NatgradError, string][] = [
      [null, InvalidArgumentError, 'JSON form'],
      ['{"shape":[1],"data":[1]}', InvalidArgumentError, 'JSON form'],
      [[1, 2], InvalidArgumentError, 'JSON form'],
      [{ shape: [2] }, InvalidArgumentError, 'JSON form'],
      [{ shape: [2], data: [1, 2], extra: 1 }, InvalidArgumentError, "unknown option 'extra'"],
      [{ dtype: 'float32', shape: [1], data: [1] }, InvalidArgumentError, 'dtype'],
      [{ shape: [3], data: [1, 2] }, ShapeError, 'do not fill'],
      [{ shape: [1], data: ['1'] }, InvalidArgumentError, 'data[0]'],
      [{ shape: [1], data: ['nan'] }, InvalidArgumentError, 'data[0]'],
      [{ shape: [1], data: [null] }, InvalidArgumentError, 'data[0]'],
      [{ shape: [-1], data: [] }, InvalidArgumentError, 'shape'],
      [{ shape: [2 ** 31], data: [] }, InvalidArgumentError, 'MAX_SIZE'],
      [{ shape: new Array(65).fill(1), data: [1] }, InvalidArgumentError, 'axes'],
      [{ shape: [1], data: { length: 1, 0: 1 } }, InvalidArgumentError, 'data must be an array'],
      [JSON.parse('{"shape":[1],"data":[1],"__proto__":{"x":1}}'), InvalidArgumentError, '__proto__'],
      [Object.defineProperty({ data: [1] }, 'shape', { get: () => { throw new Error('boom'); }, enumerable: true }), InvalidArgumentError, 'could not be read'],
    ];
    cases.forEach(([json, type, fragment], i) => {
      let error: unknown;
      try {
        Tensor.fromJSON(json);
      } catch (e) {
        error = e;
      }
      expect(error, `case ${i}`).toBeInstanceOf(type);
      expect((error as Error).message).toContain(fragment);
      expect((error as Error).message).toContain('Tensor.fromJSON');
    });
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(() => Tensor.from({ shape: [1], data: [1] } as unknown as TensorJSON, [1])).toThrow(/carries its own shape/);
  });
});

describe('readable text', () => {
  it('console.log and String show the elements, NumPy-style', () => {
    const t = Tensor.from([[1, -2.5], [30, 4]]);
    expect(String(t)).toBe('Tensor([[   1, -2.5],\n        [  30,    4]])');
    expect(inspect(t)).toBe(String(t));
    expect(inspect({ w: Tensor.from([1, 2]) })).toBe('{ w: Tensor([1, 2]) }');
    expect(String(Tensor.scalar(-0))).toBe('Tensor(-0)');
    expect(String(Tensor.from([NaN, Infinity, -Infinity, 1e-300]))).toBe('Tensor([NaN, Infinity, -Infinity, 1e-300])');
    expect(String(ops.zeros([0, 3]))).toBe('Tensor([], shape=[0, 3])');
  });

  it('batches are separated by blank lines and large tensors are summarised', () => {
    expect(String(ops.reshape(ops.arange(8), [2, 2, 2]))).toBe(
      'Tensor([[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]])',
    );
    const big = String(ops.arange(5000));
    expect(big).toBe('Tensor([0, 1, 2, ..., 4997, 4998, 4999], shape=[5000])');
    const m = String(ops.reshape(ops.arange(40 * 40), [40, 40]));
    expect(m.split('\n')).toHaveLength(7); // 3 rows, '...', 3 rows
    expect(m).toContain('shape=[40, 40]');
  });

  it('tracers print what they are instead of their fields', () => {
    let shown = '';
    jvp((x: Tensor) => {
      shown = inspect(x);
      return x;
    }, [Tensor.from([1, 2])], [Tensor.from([1, 1])]);
    expect(shown).toMatch(/^Tracer<jvp, level \d+>\(2\)$/);
    grad((x: Tensor) => {
      shown = String(x);
      return ops.sum(x);
    })(Tensor.from([1]));
    expect(shown).toMatch(/^Tracer<vjp/);
  });
});

describe('pooled small buffers', () => {
  it('small results are distinct zero-initialised views; writing one never shows in another', () => {
    const made: Tensor[] = [];
    for (let k = 0; k < 200; k++) made.push(ops.zeros([9 + (k % 56)])); // 9–64 doubles: pooled sizes, many slabs
    for (const t of made) expect(t.data.every((v) => v === 0)).toBe(true);
    made.forEach((t, k) => t.data.fill(k + 1)); // allowed: freshly allocated by the caller
    made.forEach((t, k) => expect(t.data.every((v) => v === k + 1)).toBe(true));
    const shared = made.filter((t) => t.data.buffer === made[0].data.buffer);
    expect(shared.length).toBeGreaterThan(1); // they do share slabs …
    for (const t of made) {
      // … and a byte-exact view recovers each one's elements
      const view = new Float64Array(t.data.buffer, t.data.byteOffset, t.data.byteLength / 8);
      expect(Array.from(view)).toEqual(Array.from(t.data));
    }
  });

  it('sizes around the pool limits and empty tensors', () => {
    for (const n of [0, 1, 8, 9, 63, 64, 65, 511, 512, 513]) {
      const t = ops.add(ops.zeros([n]), 1) as Tensor;
      expect(t.data.length).toBe(n);
      expect(t.data.every((v) => v === 1)).toBe(true);
    }
  });
});
