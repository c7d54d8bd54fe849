/**
 * The slot builder every slot kind goes through: per-signature adjustments (re-marking, dropping or adding bad
 * values) and the fast-check sampling of generated bad values.
 * @module
 */
import fc from 'fast-check';
import type { Bad, Expect, Slot } from './types.js';

/** Per-signature adjustments of a slot's bad values. */
export interface SlotOptions {
  /** `undefined` is valid (the argument has a default): not tried as a bad value, and left out of the valid call. */
  readonly optional?: boolean;
  /** Re-mark bad values by label, where the function documents that the value is fine (or must fail). */
  readonly expect?: Readonly<Record<string, Expect>>;
  /** Leave bad values out by label (values that are simply valid for this function). */
  readonly drop?: readonly string[];
  /** More bad values. */
  readonly extra?: readonly Bad[];
  /** Pass the valid value even though the slot is optional (e.g. an options object needed by the baseline). */
  readonly present?: boolean;
}

/** Applies {@link SlotOptions} and builds the slot. */
export function slot(name: string, valid: () => unknown, bads: readonly Bad[], o: SlotOptions = {}, random?: Slot['random']): Slot {
  const dropped = new Set(o.drop ?? []);
  if (o.optional) dropped.add('undefined');
  const list = [...bads, ...(o.extra ?? [])]
    .filter((b) => !dropped.has(b.label))
    .map((b) => (o.expect?.[b.label] === undefined ? b : { ...b, expect: o.expect[b.label] }));
  const seen = new Set<string>();
  const unique = list.filter((b) => (seen.has(b.label) ? false : (seen.add(b.label), true)));
  const adjust = random && (o.expect || dropped.size > 0)
    ? (seed: number) => random(seed).filter((b) => !dropped.has(b.label)).map((b) => ({ ...b, expect: o.expect?.[b.label] ?? b.expect }))
    : random;
  return { name, valid, bad: unique, omit: o.optional === true && o.present !== true, random: adjust };
}

/** A slot with a fixed valid value and no bad values (context other slots need, e.g. a matching tangent). */
export function fixed(name: string, valid: () => unknown, o: SlotOptions = {}): Slot {
  return slot(name, valid, [], o);
}

/** `n` fast-check samples from `seed`, as bad values. */
export function sampled<T>(arb: fc.Arbitrary<T>, seed: number, n: number, toBad: (v: T) => Bad): Bad[] {
  return fc.sample(arb, { seed, numRuns: n }).map((v) => ({ ...toBad(v), generated: true }));
}

/** Random bad values per generator and slot; `FUZZ_RANDOM` overrides. */
export const RANDOM_PER_SLOT = Number(process.env.FUZZ_RANDOM ?? 4);
