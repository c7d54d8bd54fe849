/**
 * Slot kinds of @natgrad/optim: rules, optimiser states, parameter/gradient trees, Observables of training states,
 * and checkpoint JSON (targeted mutations with the checksum recomputed, so they reach the later checks, plus random
 * text mutations).
 * @module
 */
import fc from 'fast-check';
import { Tensor } from '@natgrad/core';
import { type AnyRule, Descent, type OptimiserState, describeRule, setup } from '@natgrad/optim';
import { Observable, of, throwError } from 'rxjs';
import { checksum } from '../../../packages/optim/src/checkpoint/hash.js';
import { bodyString } from '../../../packages/optim/src/checkpoint/save.js';
import { HostileError, bad, wrongTypes } from './hostile.js';
import { RANDOM_PER_SLOT, type SlotOptions, sampled, slot } from './slot.js';
import type { Bad, Expect, Slot } from './types.js';
import { show } from './values.js';

/** The parameter tree of the optimiser tables. */
export const params = (): { w: Tensor; b: Tensor } => ({ w: Tensor.from([1, -2]), b: Tensor.from([0.5]) });
/** A gradient tree matching {@link params}. */
export const grads = (): { w: Tensor; b: Tensor } => ({ w: Tensor.from([0.1, 0.2]), b: Tensor.from([-0.3]) });

/** A rule-like object with the given `apply`. */
function fakeRule(apply: AnyRule['apply'], init: AnyRule['init'] = () => ({})): AnyRule {
  return { name: 'Fuzz', hyperparams: {}, init, apply };
}

/** Options of a rule argument. */
export interface RuleOptions extends SlotOptions {
  /** The rule is applied (an update runs), so a misbehaving `apply` must be caught. */
  readonly applied?: boolean;
}

/** A rule argument (`Descent(0.1)` unless given). */
export function rule(name: string, valid: () => AnyRule = () => Descent(0.1), o: RuleOptions = {}): Slot {
  const applied: Expect = o.applied ? 'reject' : 'any';
  const bads: Bad[] = [
    ...wrongTypes(),
    bad('rule factory, not called (Descent)', () => Descent, 'reject', 'type'),
    bad('its JSON description', () => describeRule(valid()), 'reject', 'type'),
    bad('object with only a name', () => ({ name: 'Adam' }), 'reject', 'type'),
    bad('rule whose init throws', () => fakeRule(() => [{}, {}], () => {
      throw new HostileError('rule init');
    }), 'any', 'callback'),
    bad('rule whose apply throws', () => fakeRule(() => {
      throw new HostileError('rule apply');
    }), 'any', 'callback'),
    bad('rule whose apply returns a string', () => fakeRule(() => 'step' as never), applied, 'callback'),
    bad('rule whose step has the wrong shape', () => fakeRule((s) => [s, { w: Tensor.zeros([3]), b: Tensor.zeros([1]) }]), applied, 'callback'),
    bad('rule whose step is NaN', () => fakeRule((s) => [s, { w: Tensor.full([2], NaN), b: Tensor.zeros([1]) }]), applied, 'callback'),
    bad('transparent Proxy', () => new Proxy(valid(), {}), 'any', 'hostile'),
  ];
  return slot(name, valid, bads, o);
}

/** Options of an optimiser-state argument. */
export interface StateOptions extends SlotOptions {
  /** The state is used for an update against {@link params}, so a state for other parameters must be rejected. */
  readonly updated?: boolean;
}

/** An optimiser state made by `setup` (for {@link params} unless `valid` says otherwise). */
export function optState(name: string, valid: () => OptimiserState = () => setup(Descent(0.1), params()), o: StateOptions = {}): Slot {
  const updated: Expect = o.updated ? 'reject' : 'any';
  const edit = (patch: Record<string, unknown>) => () => ({ ...valid(), ...patch });
  const bads: Bad[] = [
    ...wrongTypes(),
    bad('JSON round trip (tensors become objects)', () => JSON.parse(JSON.stringify(valid())), 'reject', 'type'),
    bad('step NaN', edit({ step: NaN }), 'reject', 'nonfinite'),
    bad('step "1"', edit({ step: '1' }), 'reject', 'type'),
    bad('step -1', edit({ step: -1 }), 'reject', 'size'),
    bad('step 1.5', edit({ step: 1.5 }), 'reject', 'size'),
    bad('rule null', edit({ rule: null }), 'reject', 'type'),
    bad('state null', edit({ state: null }), updated, 'type'),
    bad('frozen "nothing.here"', edit({ frozen: ['nothing.here'] }), updated, 'domain'),
    bad('frozen 5', edit({ frozen: 5 }), 'reject', 'type'),
    bad('set up for other parameters', () => setup(Descent(0.1), { z: Tensor.zeros([4]) }), updated, 'shape'),
    bad('unfrozen copy', () => ({ ...valid() }), 'any', 'hostile'),
    bad('own "__proto__" key (JSON.parse)', () => ({ ...valid(), ...JSON.parse('{"__proto__": {"step": 3}}') }), 'any', 'hostile'),
  ];
  return slot(name, valid, bads, o);
}

/** A minimal training state for the stream operators. */
export function trainState(step: number, loss = 1 / step): Record<string, unknown> {
  return Object.freeze({ step, params: params(), loss, gradNorm: 1, stepSize: 0.1, wallTime: step, events: [], seed: 0 });
}

/** An Observable of training states (three by default). */
export function stream(name: string, valid: () => Observable<unknown> = () => of(trainState(1), trainState(2), trainState(3)), o: SlotOptions = {}): Slot {
  const bads: Bad[] = [
    ...wrongTypes(),
    bad('array of states', () => [trainState(1)], 'reject', 'type'),
    bad('Promise of a state', () => Promise.resolve(trainState(1)), 'reject', 'type'),
    bad('Observable that errors', () => throwError(() => new HostileError('source')), 'any', 'callback'),
    bad('Observable emitting null', () => of(null), 'any', 'callback'),
    bad('Observable emitting { step: "x" }', () => of({ step: 'x', loss: 'y', events: 'z' }), 'any', 'callback'),
    bad('subscribe that throws', () => new Observable(() => {
      throw new HostileError('subscribe');
    }), 'any', 'callback'),
  ];
  return slot(name, valid, bads, o);
}

/** `doc` re-serialised with its checksum recomputed, so the mutation gets past the checksum to the later checks. */
function resealed(doc: Record<string, unknown>): string {
  return JSON.stringify({ ...doc, checksum: checksum(bodyString(doc as never)) });
}

/** A checkpoint mutated by `edit` (on its parsed document) and resealed. */
function mutation(label: string, valid: () => string, edit: (doc: Record<string, any>) => void, expect: Expect = 'reject'): Bad {
  return bad(label, () => {
    const doc = JSON.parse(valid()) as Record<string, any>;
    edit(doc);
    return resealed(doc);
  }, expect, 'hostile');
}

/** Replaces the `n`-th (mod the count) value of a parsed document, depth first, by `v`. */
function replaceNth(doc: Record<string, unknown>, n: number, v: unknown): void {
  const slots: [Record<string, unknown>, string][] = [];
  const walk = (x: unknown) => {
    if (x === null || typeof x !== 'object') return;
    for (const k of Object.keys(x)) {
      slots.push([x as Record<string, unknown>, k]);
      walk((x as Record<string, unknown>)[k]);
    }
  };
  walk(doc);
  const [parent, k] = slots[n % slots.length];
  parent[k] = v;
}

/** A checkpoint string argument. */
export function checkpointJson(name: string, valid: () => string, o: SlotOptions = {}): Slot {
  const text = (label: string, f: (s: string) => string, expect: Expect = 'reject') => bad(label, () => f(valid()), expect, 'hostile');
  const bads: Bad[] = [
    ...wrongTypes(['string', 'numeric-string', 'empty-string']),
    bad('empty string', () => '', 'reject', 'type'),
    bad('"null"', () => 'null', 'reject', 'type'),
    bad('"[]"', () => '[]', 'reject', 'type'),
    bad('"{}"', () => '{}', 'reject', 'type'),
    text('truncated', (s) => s.slice(0, s.length >> 1)),
    text('trailing garbage', (s) => `${s}x`),
    text('edited without resealing (lr changed)', (s) => s.replace('"lr":0.1', '"lr":0.2')),
    text('1e999 (parses to Infinity)', (s) => s.replace('"step":1', '"step":1e999')),
    text('top-level "__proto__" key', (s) => `{"__proto__":{"polluted":"yes"},${s.slice(1)}`),
    bad('nested 100 000 deep', () => `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'reject', 'hostile'),
    mutation('"__proto__" key in the state', valid, (d) => {
      d.state = { ...JSON.parse('{"__proto__": {"polluted": "yes"}}'), ...d.state };
    }),
    mutation('layout path "__proto__.polluted"', valid, (d) => {
      d.params['__proto__.polluted'] = [1];
    }),
    mutation('layout path "constructor.prototype.polluted"', valid, (d) => {
      d.params['constructor.prototype.polluted'] = [1];
    }),
    mutation('layout shape [1e9]', valid, (d) => {
      d.params.w = [1e9];
    }),
    mutation('layout shape [65536, 65536]', valid, (d) => {
      d.params.w = [65536, 65536];
    }),
    mutation('version 99 (a future format)', valid, (d) => {
      d.version = 99;
    }),
    mutation('step 1e300', valid, (d) => {
      d.step = 1e300;
    }, 'any'),
    mutation('step -1', valid, (d) => {
      d.step = -1;
    }),
    mutation('unknown rule name', valid, (d) => {
      d.rule.name = 'NoSuchRule';
    }),
    mutation('rule name "__proto__"', valid, (d) => {
      d.rule.name = '__proto__';
    }),
    mutation('rule name "toString"', valid, (d) => {
      d.rule.name = 'toString';
    }),
    mutation('negative learning rate', valid, (d) => {
      d.rule.hyperparams.lr = -1;
    }),
    mutation('hyperparameter as a string', valid, (d) => {
      d.rule.hyperparams.lr = '0.1';
    }),
    mutation('extra state key', valid, (d) => {
      d.state.fuzz = 1;
    }),
    mutation('state replaced by a number', valid, (d) => {
      d.state = 7;
    }),
    mutation('frozen path that matches nothing', valid, (d) => {
      d.frozen = ['nothing.here'];
    }),
    mutation('frozen "" (everything)', valid, (d) => {
      d.frozen = [''];
    }, 'any'),
    mutation('format "other"', valid, (d) => {
      d.format = 'other';
    }),
    mutation('extra top-level key', valid, (d) => {
      d.fuzz = true;
    }),
  ];
  // Random damage: a character replaced (the checksum must catch it, or the text no longer parses), and a value
  // somewhere in the document replaced by random JSON with the checksum recomputed (the later checks must hold).
  const rand = (s: number): Bad[] => [
    ...sampled(fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 1 })), s, RANDOM_PER_SLOT * 4, ([i, c]) =>
      bad(`character ${i % 500} replaced by ${JSON.stringify(c)}`, () => {
        const v = valid();
        const at = i % v.length;
        return `${v.slice(0, at)}${c}${v.slice(at + 1)}`;
      }, 'any', 'hostile'),
    ),
    ...sampled(fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 2 })), s + 1, RANDOM_PER_SLOT * 8, ([i, v]) =>
      mutation(`value ${i % 100} of the document replaced by ${show(v)}`, valid, (d) => replaceNth(d, i, v), 'any'),
    ),
  ];
  return slot(name, valid, bads, o, rand);
}
