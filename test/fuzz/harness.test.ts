/**
 * Tests of the fuzz harness itself: the classifier, the completeness check, the source-file lookup, and — through
 * the real supervisor and worker processes — one deliberately misbehaving function per outcome (fixtures/).
 */
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, NatgradError, OutOfMemoryError, Tensor } from '@natgrad/core';
import { describe, expect, test } from 'vitest';
import { classify, findNonFinite, hasHijackedPrototype, namesPattern } from './harness/classify.js';
import { completenessProblems } from './harness/completeness.js';
import { call, covered, type ModuleTable } from './harness/entry.js';
import { checkPrototypes } from './harness/guard.js';
import { HostileError, bad } from './harness/hostile.js';
import { buildReport, messageShape } from './harness/report.js';
import { casesOf, slotName } from './harness/run.js';
import { sourceOf } from './harness/sources.js';
import { supervise } from './harness/supervise.js';
import { selftestEntries } from './harness/fixtures/selftest-table.js';
import type { Bad, CaseResult } from './harness/types.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const names = namesPattern(['grad']);
const reject: Bad = bad('string', () => 'x', 'reject', 'type');
const any: Bad = bad('empty', () => [], 'any', 'shape');
const ieee: Bad = bad('NaN entry', () => NaN, 'ieee', 'nonfinite');

describe('classify', () => {
  test('a NatgradError naming the function is typed; one that does not is unnamed', () => {
    expect(classify({ threw: true, error: new InvalidArgumentError('grad: bad x') }, reject, names, true, undefined).kind).toBe('typed');
    expect(classify({ threw: true, error: new InvalidArgumentError('vjp: bad x') }, reject, names, true, undefined).kind).toBe('unnamed');
    expect(classify({ threw: true, error: new InvalidArgumentError('gradient: bad') }, reject, names, true, undefined).kind).toBe('unnamed');
  });

  test('other exceptions are untyped, the user’s own exception is documented', () => {
    expect(classify({ threw: true, error: new TypeError('x.map is not a function') }, reject, names, true, undefined).kind).toBe('untyped');
    expect(classify({ threw: true, error: new HostileError('getter') }, any, names, true, undefined).kind).toBe('documented');
  });

  test('returns: garbage accepted, silent NaN, IEEE propagation, fine', () => {
    expect(classify({ threw: false, result: 1 }, reject, names, true, undefined).kind).toBe('accepted-garbage');
    expect(classify({ threw: false, result: Tensor.from([1, NaN]) }, any, names, true, undefined).kind).toBe('silent-nan');
    expect(classify({ threw: false, result: Tensor.from([1, NaN]) }, ieee, names, true, undefined).kind).toBe('documented');
    expect(classify({ threw: false, result: { a: [Tensor.from([1])] } }, any, names, true, undefined).kind).toBe('fine');
    expect(classify({ threw: false, result: NaN }, any, names, false, undefined).kind).toBe('fine');
  });

  test('the baseline must return a finite value (or refuse, when that is its documented behaviour)', () => {
    expect(classify({ threw: false, result: 1 }, undefined, names, true, undefined).kind).toBe('fine');
    expect(classify({ threw: false, result: NaN }, undefined, names, true, undefined).kind).toBe('baseline-failed');
    expect(classify({ threw: true, error: new Error('x') }, undefined, names, true, undefined).kind).toBe('baseline-failed');
    expect(classify({ threw: true, error: new NatgradError('X', 'grad: no') }, undefined, names, true, undefined, true).kind).toBe('typed');
  });

  test('an OutOfMemoryError for an allocation failed like an engine out of memory is documented; anything else is not', () => {
    const oom = { outOfMemory: 'Float64Array(1000000000)' };
    const documented = classify({ threw: true, error: new OutOfMemoryError(1e9) }, any, names, true, undefined, false, new Set(), oom);
    expect([documented.kind, documented.reason]).toEqual(['documented', 'out-of-memory']);
    expect(classify({ threw: true, error: new RangeError('Array buffer allocation failed') }, any, names, true, undefined, false, new Set(), oom).kind).toBe('untyped');
    expect(classify({ threw: true, error: new OutOfMemoryError(1e9) }, any, names, true, undefined).kind).toBe('unnamed');
  });

  test('an unchecked fast path may do anything with garbage but crash; its baseline must still work', () => {
    const unchecked = { unchecked: true };
    for (const obs of [{ threw: false, result: NaN }, { threw: true, error: new TypeError('x') }] as const) {
      const v = classify(obs, reject, names, true, undefined, false, new Set(), unchecked);
      expect([v.kind, v.reason]).toEqual(['documented', 'unchecked']);
    }
    expect(classify({ threw: false, result: NaN }, undefined, names, true, undefined, false, new Set(), unchecked).kind).toBe('baseline-failed');
    expect(classify({ threw: true, error: new TypeError('x') }, reject, names, true, 'Float64Array(1e12)', false, new Set(), unchecked).kind).toBe('oversize');
  });

  test('an allocation the guard refused is oversize, whatever the library made of the error', () => {
    const wrapped = new NatgradError('X', 'grad: failed');
    expect(classify({ threw: true, error: wrapped }, reject, names, true, 'Float64Array(1e9)').kind).toBe('oversize');
    expect(classify({ timedOut: true }, any, names, true, undefined).kind).toBe('hang');
  });

  test('NaN is found in tensors, numbers, arrays and plain objects, not in strings or functions', () => {
    expect(findNonFinite({ a: [1, { b: Tensor.from([0, Infinity]) }] })).toBe('a[1].b[1]');
    expect(findNonFinite({ s: 'NaN', f: () => NaN })).toBeUndefined();
  });

  test('a result object whose prototype came from a "__proto__" key is flagged, inputs are not', () => {
    const hijacked: Record<string, unknown> = {};
    Object.setPrototypeOf(hijacked, { polluted: 'yes' });
    expect(hasHijackedPrototype({ out: hijacked }, new Set())).toBe(true);
    expect(hasHijackedPrototype({ out: hijacked }, new Set([hijacked]))).toBe(false);
    expect(hasHijackedPrototype({ t: Tensor.from([1]), m: new Map() }, new Set())).toBe(false);
  });
});

describe('completeness', () => {
  const module = { f: () => 1, C: class C { m() {} }, k: 3 };
  const table = (exports: ModuleTable['exports']): ModuleTable => ({ id: 'fixture', module, source: 'x.ts', exports });
  const entry = (name: string) => call(name, () => 1, []);

  test('an export without an entry, a member without an entry and a stale entry are all reported', () => {
    const problems = completenessProblems([table({ f: [entry('f')], C: [entry('new C')], gone: [entry('gone')] })]);
    expect(problems).toEqual([
      'fixture: export "k" has no entry in the fuzz table',
      'fixture: the table lists "gone", which is not an export',
      'fixture: "C#m" has no entry',
    ]);
  });

  test('methods of plain-object members of an exported object (a descriptor\'s unchecked maps) need entries too', () => {
    const descriptor = { name: 'd', keys: ['a'], unchecked: { toMoments: () => 1 }, coordinates: { a: 'vector' } };
    const t: ModuleTable = { id: 'fixture', module: { d: descriptor }, source: 'x.ts', exports: { d: [entry('d.name')] } };
    expect(completenessProblems([t])).toEqual(['fixture: "d.unchecked.toMoments" has no entry']);
  });

  test('a complete table has no problems; a covered export runs its check', () => {
    const full = { f: [entry('f')], C: [entry('new C'), entry('C#m')], k: covered('constant', () => []) };
    expect(completenessProblems([table(full)])).toEqual([]);
    expect(completenessProblems([table({ ...full, k: covered('constant', () => ['is wrong']) })])).toEqual(['fixture: k is wrong']);
  });
});

describe('report helpers', () => {
  test('messages group by shape: numbers, quoted values and "got …" are blanked', () => {
    expect(messageShape('sum: axis 5 is out of range, got "abc"')).toBe(messageShape('sum: axis 7 is out of range, got "x"'));
    expect(messageShape('expected a tensor, got string')).toBe(messageShape('expected a tensor, got boolean'));
  });

  test('exports are traced to the file that defines them', () => {
    expect(sourceOf(ROOT, 'packages/core/src/index.ts', 'add')).toBe('packages/core/src/ops/arithmetic.ts');
    expect(sourceOf(ROOT, 'packages/core/src/index.ts', 'Tensor')).toBe('packages/core/src/tensor.ts');
    expect(sourceOf(ROOT, 'packages/core/src/index.ts', 'cholesky')).toBe('packages/core/src/linalg/cholesky.ts');
    expect(sourceOf(ROOT, 'packages/distributions/src/index.ts', 'meanCholesky')).toBe('packages/distributions/src/parametrisations/mean-cholesky.ts');
    expect(sourceOf(ROOT, 'packages/optim/src/index.ts', 'train')).toBe('packages/optim/src/train/train.ts');
    expect(sourceOf(ROOT, 'packages/optim/src/index.ts', 'Adam')).toBe('packages/optim/src/rules/adam.ts');
  });

  test('the prototype check restores what a case added', () => {
    (Object.prototype as Record<string, unknown>).fuzzProbe = 1;
    expect(checkPrototypes()).toEqual(['fuzzProbe']);
    expect('fuzzProbe' in {}).toBe(false);
  });
});

describe('supervisor and workers on misbehaving functions', () => {
  test('every outcome is recognised, a dying or looping worker is replaced and the entry goes on', async () => {
    const byName = new Map(selftestEntries.map((e) => [e.name, e]));
    const results: CaseResult[] = await supervise(selftestEntries.map((e) => e.name), {
      seed: 1,
      root: ROOT,
      workers: 2,
      stallMs: 2000,
      tables: fileURLToPath(new URL('./harness/fixtures/selftest-table.ts', import.meta.url)),
      describe: (name, index) => {
        const entry = byName.get(name)!;
        const c = casesOf(entry, 1)[index];
        return { slot: slotName(entry, c), bad: c.bad?.label ?? '-', family: c.bad?.family ?? 'baseline', expect: c.bad?.expect ?? 'valid' };
      },
    });
    const outcome = (entry: string, index = 1) => {
      const r = results.find((x) => x.entry === entry && x.index === index);
      return r && [r.kind, ...(r.extras ?? [])].join('+');
    };
    expect(results.filter((r) => r.index === 0).map((r) => `${r.entry}:${r.kind}`).sort()).toEqual(
      selftestEntries.map((e) => `${e.name}:fine`).sort(),
    );
    expect(Object.fromEntries(selftestEntries.map((e) => [e.name, outcome(e.name)]))).toEqual({
      typed: 'typed',
      untyped: 'untyped',
      unnamed: 'unnamed',
      silent: 'silent-nan',
      garbage: 'accepted-garbage',
      ieee: 'documented',
      hostile: 'documented',
      alloc: 'oversize',
      oom: 'documented',
      oomLeak: 'untyped',
      unchecked: 'documented',
      pollute: 'fine+prototype-polluted',
      mutate: 'fine+input-mutated',
      hang: 'hang',
      late: 'untyped',
      exit: 'crash',
      loop: 'crash',
    });
    expect(outcome('exit', 2)).toBe('typed');
    expect(results.find((r) => r.entry === 'loop' && r.index === 1)?.message).toMatch(/no progress/);
    const report = buildReport(1, results, selftestEntries.map((e) => ({ entry: e.name, module: 'fixture', export: e.name, file: 'x.ts' })));
    expect(report.totals.crash).toBe(2);
    expect(report.totals.badInputs).toBe(results.length - selftestEntries.length);
  }, 60_000);
});
