/** Keys: seeding, serialisation, split and foldIn. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, random, treeLeaves } from '@natgrad/core';

const { Key, key, keyData, wrapKeyData, split, foldIn } = random;

const words = (k: random.Key) => keyData(k).join(',');

describe('random.key', () => {
  it('maps a seed to its high and low 32-bit words, like jax.random.PRNGKey', () => {
    expect(keyData(key(0))).toEqual([0, 0]);
    expect(keyData(key(42))).toEqual([0, 42]);
    expect(keyData(key(2 ** 32 - 1))).toEqual([0, 2 ** 32 - 1]);
    expect(keyData(key(2 ** 32 + 5))).toEqual([1, 5]);
    expect(keyData(key(2 ** 53))).toEqual([2 ** 21, 0]);
    expect(keyData(key(2n ** 64n - 1n))).toEqual([2 ** 32 - 1, 2 ** 32 - 1]);
    expect(keyData(key(0x123456789abcdefn))).toEqual([0x1234567, 0x89abcdef]);
  });

  it('gives distinct keys for distinct seeds, and the same key for a number and its bigint', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (a, b) => {
        expect(words(key(a)) === words(key(b))).toBe(a === b);
        expect(keyData(key(BigInt(a)))).toEqual(keyData(key(a)));
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (s) => {
        const [hi, lo] = keyData(key(s));
        expect(BigInt(hi) * 2n ** 32n + BigInt(lo)).toBe(s);
      }),
    );
  });

  it('rejects negative, fractional, non-finite, too large and non-numeric seeds', () => {
    for (const bad of [-1, 0.5, NaN, Infinity, -Infinity, 2 ** 53 + 2, 1e300, -1n, 2n ** 64n, '1', null, undefined]) {
      expect(() => key(bad as number)).toThrow(InvalidArgumentError);
    }
    expect(() => key(2 ** 60)).toThrow(/bigint/);
  });
});

describe('Key', () => {
  it('is frozen, prints its words and serialises to JSON as [k0, k1]', () => {
    const k = key(2 ** 32 + 255);
    expect(Object.isFrozen(k)).toBe(true);
    expect(() => {
      (k as { k0: number }).k0 = 3;
    }).toThrow(TypeError);
    expect(String(k)).toBe('Key(0x00000001, 0x000000ff)');
    const saved = JSON.stringify({ step: 3, key: k });
    expect(saved).toBe('{"step":3,"key":[1,255]}');
    const restored = wrapKeyData(JSON.parse(saved).key);
    expect(restored).toBeInstanceOf(Key);
    expect(keyData(restored)).toEqual([1, 255]);
    // a restored key continues the same streams
    expect(random.uniform(restored, [4]).data).toEqual(random.uniform(k, [4]).data);
  });

  it('round-trips through keyData / wrapKeyData for every pair of words', () => {
    const w = fc.integer({ min: 0, max: 2 ** 32 - 1 });
    fc.assert(
      fc.property(w, w, (a, b) => {
        const k = wrapKeyData([a, b]);
        expect(keyData(k)).toEqual([a, b]);
        expect(keyData(new Key(a, b))).toEqual([a, b]);
      }),
    );
  });

  it('is a leaf of pytrees (so optimiser states can hold keys)', () => {
    const k = key(1);
    expect(treeLeaves({ rng: k, lr: 0.1 })).toEqual([0.1, k]);
  });

  it('rejects malformed key data and non-keys', () => {
    for (const bad of [[1], [1, 2, 3], [-1, 0], [0, 2 ** 32], [0.5, 0], [0, NaN], 'ab', null]) {
      expect(() => wrapKeyData(bad as number[])).toThrow(InvalidArgumentError);
    }
    expect(() => new Key(2 ** 32, 0)).toThrow(InvalidArgumentError);
    expect(() => split([0, 0] as unknown as random.Key)).toThrow(/wrapKeyData/);
    expect(() => keyData({ k0: 0, k1: 0 } as random.Key)).toThrow(InvalidArgumentError);
    expect(() => random.uniform(undefined as unknown as random.Key, [2])).toThrow(InvalidArgumentError);
  });
});

describe('random.split', () => {
  it('is deterministic and returns num distinct keys different from the parent', () => {
    const k = key(123);
    const a = split(k, 8).map(words);
    const b = split(k, 8).map(words);
    expect(a).toEqual(b);
    expect(new Set([...a, words(k)]).size).toBe(9);
    expect(split(k)).toHaveLength(2);
    expect(split(k, 0)).toEqual([]);
  });

  it('is prefix-consistent (the first keys of a larger split are the keys of a smaller one)', () => {
    const k = key(7);
    expect(split(k, 3).map(words)).toEqual(split(k, 10).slice(0, 3).map(words));
  });

  it('never repeats a key along a chain of splits or across a tree of splits', () => {
    const seen = new Set<string>();
    let k = key(0);
    for (let i = 0; i < 2000; i++) {
      const [next, sub] = split(k);
      seen.add(words(sub));
      k = next;
    }
    for (const child of split(key(1), 50)) for (const g of split(child, 40)) seen.add(words(g));
    expect(seen.size).toBe(4000);
  });

  it('rejects a bad num', () => {
    for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 32]) expect(() => split(key(0), bad)).toThrow(InvalidArgumentError);
  });
});

describe('random.foldIn', () => {
  it('is deterministic, differs for different data and from the parent, and equals split(k, n)[i]', () => {
    const k = key(5);
    expect(words(foldIn(k, 17))).toBe(words(foldIn(k, 17)));
    const folded = Array.from({ length: 1000 }, (_, i) => words(foldIn(k, i)));
    expect(new Set([...folded, words(k)]).size).toBe(1001);
    expect(folded.slice(0, 4)).toEqual(split(k, 4).map(words));
    // different parents give different children for the same data
    expect(words(foldIn(key(6), 17))).not.toBe(words(foldIn(k, 17)));
  });

  it('accepts data up to 2^53 as a number and below 2^64 as a bigint, consistently', () => {
    const k = key(9);
    expect(keyData(foldIn(k, 2 ** 40 + 3))).toEqual(keyData(foldIn(k, 2n ** 40n + 3n)));
    expect(words(foldIn(k, 2n ** 64n - 1n))).not.toBe(words(foldIn(k, 2n ** 64n - 2n)));
    // data (hi, lo) is hashed as one 64-bit counter
    expect(keyData(foldIn(k, 2 ** 32 + 1))).toEqual(random.threefry2x32(0, 9, 1, 1));
  });

  it('rejects negative, fractional and too large data', () => {
    for (const bad of [-1, 0.25, NaN, 2 ** 53 + 2, -1n, 2n ** 64n]) {
      expect(() => foldIn(key(0), bad as number)).toThrow(InvalidArgumentError);
    }
  });
});
