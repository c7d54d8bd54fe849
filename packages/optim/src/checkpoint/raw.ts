/** Checks on the raw JSON parse of a checkpoint, before the schema: hostile keys, non-finite numbers, top-level fields. @module */
import { CheckpointError } from '../errors.js';
import { FORBIDDEN_KEYS } from '../keys.js';
import { TRAIN_STATE_FORMAT } from './schema.js';

/** Deepest nesting accepted in a checkpoint (rule descriptions and states are shallow; this guards the recursion). */
export const MAX_DEPTH = 512;

/** The top-level fields of an optimiser checkpoint, in the order `save` writes them. */
export const TOP_LEVEL_FIELDS: readonly string[] = /* @__PURE__ */ Object.freeze(['format', 'version', 'checksum', 'step', 'frozen', 'params', 'rule', 'state']);

/** The top-level fields of a whole-run checkpoint, in the order `saveTrainState` writes them. */
export const TRAIN_STATE_FIELDS: readonly string[] = /* @__PURE__ */ Object.freeze([...TOP_LEVEL_FIELDS, 'run']);

/** Rejects prototype-polluting keys and non-finite numbers (`1e999` parses to Infinity) anywhere in the raw parse. */
export function scanRaw(x: unknown, where: string, depth: number): void {
  if (depth > MAX_DEPTH) throw new CheckpointError(`${where}: nested more than ${MAX_DEPTH} levels deep`);
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new CheckpointError(`${where}: non-finite number ${x}`);
  } else if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) scanRaw(x[i], `${where}[${i}]`, depth + 1);
  } else if (x !== null && typeof x === 'object') {
    for (const k of Object.keys(x)) {
      if (FORBIDDEN_KEYS.has(k)) throw new CheckpointError(`${where}: forbidden key "${k}"`);
      scanRaw((x as Record<string, unknown>)[k], `${where}.${k}`, depth + 1);
    }
  }
}

/** The document is an object with exactly the top-level fields of its format, each named when missing or unexpected. */
export function checkTopLevel(raw: unknown): asserts raw is Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new CheckpointError(`malformed: expected a JSON object with fields ${TOP_LEVEL_FIELDS.join(', ')}, got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`);
  }
  const fields = (raw as Record<string, unknown>).format === TRAIN_STATE_FORMAT ? TRAIN_STATE_FIELDS : TOP_LEVEL_FIELDS;
  const missing = fields.filter((f) => !Object.hasOwn(raw, f));
  if (missing.length > 0) {
    const names = missing.map((f) => `"${f}"`).join(', ');
    throw new CheckpointError(
      `malformed: ${missing.map((f) => `$.${f}`).join(', ')}: missing field${missing.length > 1 ? 's' : ''} ${names} (a checkpoint has ${fields.join(', ')})`,
    );
  }
  const extra = Object.keys(raw).filter((f) => !fields.includes(f));
  if (extra.length > 0) {
    throw new CheckpointError(`malformed: ${extra.map((f) => `$.${f}`).join(', ')}: unexpected field${extra.length > 1 ? 's' : ''} (a checkpoint has ${fields.join(', ')})`);
  }
}
