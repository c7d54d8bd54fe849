/** Checkpoints: every kind of bad input is a CheckpointError; random corruptions never load into a wrong state. */
import { grad, ops } from '@natgrad/core';
import {
  Adam,
  CheckpointError,
  ClipNorm,
  Descent,
  type OptimiserState,
  type Params,
  Registry,
  accumulate,
  chain,
  describeRule,
  load,
  partition,
  save,
  setup,
  update,
} from '@natgrad/optim';
import { NaturalGradient } from '@natgrad/optim/natural';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksum } from '../src/checkpoint/hash.js';
import { bodyString } from '../src/checkpoint/save.js';
import { SignDescent, grads, params0, t } from './checkpoint-fixtures.js';
import { elbo, model2d, noise2d, q2d } from './elbo.js';
import { bitwiseEqual, snapshot } from './helpers.js';

const ngGrad = grad((q: any) => ops.neg(elbo(q, model2d, noise2d)));

/** Re-signs an edited document so that the check under test is reached (the checksum would catch it first). */
function resign(doc: any): string {
  doc.checksum = checksum(bodyString(doc));
  return JSON.stringify(doc);
}

describe('load rejects bad checkpoints with a CheckpointError saying what and where', () => {
  const p = params0();
  let opt = setup(chain(ClipNorm(1), Adam(0.1)), p);
  [opt] = update(opt, p, grads(0, p));
  const json = save(opt);
  const doc = () => JSON.parse(json);
  const before = snapshot(opt);

  const rejects: [string, () => unknown, RegExp][] = [
    ['not JSON', () => load('{"format":'), /not valid JSON/],
    ['not a string', () => load(42 as unknown as string), /expected a JSON string/],
    ['a top-level array', () => load('[1,2]'), /malformed/],
    ['__proto__ anywhere', () => load(json.replace('"state":{', '"state":{"__proto__":{"polluted":1},')), /forbidden key "__proto__"/],
    ['constructor key', () => load(json.replace('"hyperparams":{}', '"hyperparams":{"constructor":1}')), /forbidden key "constructor"/],
    ['prototype key deep inside', () => load(json.replace('"Adam":{', '"Adam":{"prototype":{},')), /\$\.state\.Adam: forbidden key "prototype"/],
    ['non-finite number', () => load(json.replace(/"data":\[[-0-9.e]+/, '"data":[1e999')), /non-finite number Infinity/],
    ['wrong version', () => load(resign({ ...doc(), version: 3 })), /unsupported version 3/],
    ['wrong format', () => load(resign({ ...doc(), format: 'torch' })), /malformed: \$\.format/],
    ['missing field', () => load(JSON.stringify({ ...doc(), step: undefined })), /malformed: \$\.step/],
    ['extra field', () => load(resign({ ...doc(), extra: 1 })), /malformed/],
    ['negative step', () => load(resign({ ...doc(), step: -1 })), /malformed: \$\.step/],
    // zod's English messages (zod/mini has none of its own: they are passed per parse)
    ['a step that is not an integer', () => load(resign({ ...doc(), step: 1.5 })), /malformed: \$\.step: Invalid input: expected int, received number/],
    ['a checksum that is not one', () => load(JSON.stringify({ ...doc(), checksum: 'xyz' })), /malformed: \$\.checksum: Invalid string: must match pattern/],
    ['an empty rule name', () => load(resign({ ...doc(), rule: { ...doc().rule, name: '' } })), /malformed: \$\.rule\.name: Too small: expected string to have >=1 characters/],
    ['checksum mismatch', () => load(JSON.stringify({ ...doc(), step: 5 })), /checksum mismatch/],
    [
      'unknown rule name (lists the registered ones)',
      () => load(resign({ ...doc(), rule: { ...doc().rule, children: [{ name: 'Lionheart', hyperparams: {} }, doc().rule.children[1]] } })),
      /rule\.children\[0\]: unknown rule "Lionheart" \(registered: .*Adam.*Descent.*SignDescent/,
    ],
    ['unknown rule in a private registry', () => load(save(setup(SignDescent(), p)), { registry: new Registry() }), /unknown rule "SignDescent"/],
    ['invalid hyperparameter', () => load(resign({ ...doc(), rule: { ...doc().rule, children: [doc().rule.children[0], { ...doc().rule.children[1], hyperparams: { lr: -1, beta1: 0.9, beta2: 0.999, eps: 1e-8 } }] } })), /rule\.children\[1\] \(Adam\): .*lr = -1/],
    ['state shape vs params', () => load(json, { params: { ...p, s: t([1, 2]) } as Params }), /parameter "s" has shape \[2\], the checkpoint was saved for \[1\]/],
    ['params with an extra leaf', () => load(json, { params: { ...p, extra: t([1]) } as Params }), /parameter "extra" is not in the checkpoint/],
    ['params missing a leaf', () => load(json, { params: { layers: (p as any).layers } as Params }), /state for "s", which the parameters lack/],
    [
      'state tensor of the wrong shape',
      () => {
        const d = doc();
        d.state.Adam.s.m.shape = [2];
        return load(resign(d));
      },
      /state\.Adam\.s\.m: tensor of shape \[2\], expected \[1\]/,
    ],
    [
      'state missing a parameter path',
      () => {
        const d = doc();
        delete d.state.Adam['layers.1.w'];
        return load(resign(d));
      },
      /state\.Adam: missing "layers\.1\.w"/,
    ],
    [
      'state of the wrong kind',
      () => {
        const d = doc();
        d.state.Adam.s.beta1t = 'x';
        return load(resign(d));
      },
      /state\.Adam\.s\.beta1t: expected a number, found string/,
    ],
    ['layout and state disagree', () => load(resign({ ...doc(), params: { ...doc().params, s: [3] } })), /state\.Adam\.s\.m: tensor of shape \[1\], expected \[3\]/],
    ['frozen path that matches nothing', () => load(resign({ ...doc(), frozen: ['nope'] })), /frozen path "nope" matches no parameter/],
  ];

  it.each(rejects)('%s', (_name, f, message) => {
    let err: unknown;
    try {
      f();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as Error).message).toMatch(message);
    expect(snapshot(opt)).toEqual(before); // nothing existing was touched
    expect(({} as any).polluted).toBeUndefined();
  });

  it('accepts a hand-edited checkpoint when asked to', () => {
    const edited = load(JSON.stringify({ ...doc(), step: 5 }), { verifyChecksum: false });
    expect(edited.step).toBe(5);
  });
});

describe('random corruptions never load silently into a wrong state (fast-check)', () => {
  const p = { q: q2d(), h: t([1, 2]) } as Params;
  let opt = setup(partition({ ng: NaturalGradient(Descent(0.5)), h: accumulate(2, Adam(0.1)) }, { q: 'ng', h: 'h' }), p);
  [opt] = update(opt, p, { q: ngGrad((p as any).q), h: t([0.5, -0.5]) });
  const json = save(opt);

  /** Either a CheckpointError, or exactly the saved optimiser. */
  function check(text: string): void {
    let loaded: OptimiserState;
    try {
      loaded = load(text, { params: p });
    } catch (e) {
      expect(e).toBeInstanceOf(CheckpointError);
      return;
    }
    expect(loaded.step).toBe(opt.step);
    expect(describeRule(loaded.rule)).toEqual(describeRule(opt.rule));
    expect(bitwiseEqual(loaded.state, opt.state)).toBe(true);
  }

  it('byte-level edits', () => {
    fc.assert(
      fc.property(fc.nat(json.length - 1), fc.nat(30), fc.string({ maxLength: 4 }), (at, len, insert) => {
        check(json.slice(0, at) + insert + json.slice(at + len));
      }),
      { numRuns: 300 },
    );
  });

  it('structural edits, even when re-signed', () => {
    const paths: (string | number)[][] = [];
    const walk = (x: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (Array.isArray(x)) x.forEach((c, i) => walk(c, [...path, i]));
      else if (x !== null && typeof x === 'object') for (const k of Object.keys(x)) walk((x as any)[k], [...path, k]);
    };
    walk(JSON.parse(json), []);
    const edits = ['delete', 'rename', 'null', 'string', 'array', 'bump', 'negate', 'hostile'] as const;
    fc.assert(
      fc.property(fc.nat(paths.length - 1), fc.constantFrom(...edits), fc.boolean(), (i, edit, sign) => {
        const d = JSON.parse(json);
        const path = paths[i];
        if (path.length === 0) return;
        const parent = path.slice(0, -1).reduce((o: any, k) => o[k], d);
        const key = path[path.length - 1];
        const v = parent[key];
        if (edit === 'delete') Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key];
        else if (edit === 'rename' && !Array.isArray(parent)) {
          delete parent[key];
          parent[`${String(key)}_`] = v;
        } else if (edit === 'null') parent[key] = null;
        else if (edit === 'string') parent[key] = String(v);
        else if (edit === 'array') parent[key] = [v];
        else if (edit === 'bump' && typeof v === 'number') parent[key] = v + 1;
        else if (edit === 'negate' && typeof v === 'number') parent[key] = -v;
        else if (edit === 'hostile' && !Array.isArray(parent)) {
          // An own "__proto__" key, as JSON.parse makes from hostile text.
          Object.defineProperty(parent, '__proto__', { value: { x: 1 }, enumerable: true, configurable: true, writable: true });
        }
        const text = sign && key !== 'checksum' ? resign(d) : JSON.stringify(d);
        // A re-signed value edit is a different but valid checkpoint: it must then describe a state of the same
        // structure; structural edits must be rejected.
        if (sign && (edit === 'bump' || edit === 'negate') && typeof v === 'number') {
          try {
            load(text, { params: p });
          } catch (e) {
            expect(e).toBeInstanceOf(CheckpointError);
          }
          return;
        }
        check(text);
      }),
      { numRuns: 400 },
    );
  });
});
