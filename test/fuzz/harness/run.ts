/**
 * Cases and their execution: an entry's case 0 is the call with valid arguments; every further case corrupts one
 * slot of one stage with one bad value and keeps everything else valid. A case is run under the allocation guard,
 * then classified, then the prototypes and the valid inputs are checked.
 * @module
 */
import { HangError, lateError, within } from './async.js';
import { type Observation, classify, namesPattern, reachable } from './classify.js';
import { checkPrototypes, fingerprint, guardFailed, guardTripped, resetGuard } from './guard.js';
import type { Bad, CaseResult, Entry, Extra } from './types.js';

/** One case: which slot of which stage gets which bad value (none for the baseline). */
export interface Case {
  readonly index: number;
  readonly stage: number;
  readonly slot: number;
  readonly bad?: Bad;
}

/** A 32-bit hash of a string (FNV-1a), to derive per-slot seeds that do not shift when entries are added. */
export function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The bad values of a slot, including the generated ones for this entry and seed. */
function badsOf(entry: Entry, stage: number, slot: number, seed: number): readonly Bad[] {
  const s = entry.stages[stage].slots[slot];
  const generated = s.random?.(hash(`${seed}:${entry.name}:${stage}:${s.name}`) | 0) ?? [];
  return [...s.bad, ...generated];
}

/** Every case of an entry, in a fixed order. */
export function casesOf(entry: Entry, seed: number): Case[] {
  const out: Case[] = [{ index: 0, stage: -1, slot: -1 }];
  entry.stages.forEach((st, s) =>
    st.slots.forEach((_, i) => {
      for (const b of badsOf(entry, s, i, seed)) out.push({ index: out.length, stage: s, slot: i, bad: b });
    }),
  );
  return out;
}

/** The name of the slot a case corrupts: `x`, or `2.f` for a later stage. */
export function slotName(entry: Entry, c: Case): string {
  if (c.stage < 0) return '-';
  const base = entry.stages[c.stage].slots[c.slot].name;
  const name = c.bad?.sub === undefined ? base : `${base}.${c.bad.sub}`;
  return c.stage === 0 ? name : `${c.stage}.${name}`;
}

const OMIT = Symbol('omit');

function argsOf(entry: Entry, c: Case, stage: number): { args: unknown[]; valid: unknown[] } {
  const slots = entry.stages[stage].slots;
  const valid: unknown[] = [];
  const args: unknown[] = slots.map((s, i) => {
    if (stage === c.stage && i === c.slot) return c.bad!.make();
    if (s.omit) return OMIT;
    const v = s.valid();
    valid.push(v);
    return v;
  });
  while (args.length > 0 && args[args.length - 1] === OMIT) args.pop();
  return { args: args.map((a) => (a === OMIT ? undefined : a)), valid };
}

const patterns = new WeakMap<Entry, RegExp>();

/** Runs one case and classifies it. */
export async function runCase(entry: Entry, c: Case): Promise<CaseResult> {
  let pattern = patterns.get(entry);
  if (pattern === undefined) patterns.set(entry, (pattern = namesPattern(entry.names)));
  const started = performance.now();
  const prints: { changed(): boolean }[] = [];
  const given: unknown[] = [];
  resetGuard();
  let obs: Observation;
  let asynchronous = false;
  try {
    let prev: unknown;
    for (let s = 0; s < entry.stages.length; s++) {
      const { args, valid } = argsOf(entry, c, s);
      prints.push(fingerprint(valid));
      given.push(...args);
      prev = entry.stages[s].call(prev, args);
      if (prev instanceof Promise) {
        asynchronous = true;
        prev = await within(prev, entry.timeoutMs);
      }
    }
    obs = { threw: false, result: prev };
  } catch (e) {
    obs = e instanceof HangError ? { timedOut: true } : { threw: true, error: e };
  }
  if (asynchronous) {
    const late = await lateError();
    if (late !== undefined && !('timedOut' in obs) && !obs.threw) obs = { threw: true, error: late.error };
  }
  const tripped = guardTripped();
  const context = { unchecked: entry.unchecked, outOfMemory: guardFailed() };
  const verdict = classify(obs, c.bad, pattern, entry.result !== 'none', tripped, entry.baselineThrows, reachable(given), context);
  const extras: Extra[] = [...verdict.extras];
  if (checkPrototypes().length > 0) extras.push('prototype-polluted');
  if (prints.some((p) => p.changed())) extras.push('input-mutated');
  return {
    entry: entry.name,
    index: c.index,
    slot: slotName(entry, c),
    bad: c.bad?.label ?? 'valid arguments',
    family: c.bad?.family ?? 'baseline',
    expect: c.bad?.expect ?? 'valid',
    kind: verdict.kind,
    ...(verdict.reason !== undefined ? { reason: verdict.reason } : {}),
    ...(extras.length > 0 ? { extras } : {}),
    ...(verdict.error !== undefined ? { error: verdict.error } : {}),
    ...(verdict.message !== undefined ? { message: verdict.message } : {}),
    ...(verdict.at !== undefined ? { at: verdict.at } : {}),
    ms: Math.round((performance.now() - started) * 100) / 100,
  };
}
