/** Reading a checkpoint document: JSON, hostile keys, top-level fields, version, schema, checksum. @module */
import { CheckpointError } from '../errors.js';
import { checksum } from './hash.js';
import { checkTopLevel, scanRaw } from './raw.js';
import { bodyString } from './save.js';
import { FORMAT, type OptimiserDocument, TRAIN_STATE_FORMAT, VERSION, checkpointSchema, englishMessages } from './schema.js';

/**
 * The document in `json`, after every check that needs no rule: valid JSON with no forbidden key and no non-finite
 * number anywhere, exactly the top-level fields of its format, a version this build reads (optimiser checkpoints of
 * version 1 or 2, whole-run checkpoints of version 2), the schema, and (unless `verifyChecksum` is false) the checksum.
 * @internal
 */
export function readDocument(json: unknown, verifyChecksum: boolean): OptimiserDocument {
  if (typeof json !== 'string') throw new CheckpointError(`expected a JSON string, got ${typeof json}`);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new CheckpointError(`not valid JSON (${(e as Error).message})`);
  }
  scanRaw(raw, '$', 0);
  checkTopLevel(raw);
  const trainState = raw.format === TRAIN_STATE_FORMAT;
  if (raw.format !== FORMAT && !trainState) {
    throw new CheckpointError(`malformed: $.format: unknown format ${JSON.stringify(raw.format)} (expected "${FORMAT}" from save or "${TRAIN_STATE_FORMAT}" from saveTrainState)`);
  }
  const readable = trainState ? raw.version === VERSION : raw.version === 1 || raw.version === VERSION;
  if (!readable) {
    throw new CheckpointError(`unsupported version ${JSON.stringify(raw.version)} of ${String(raw.format)} (this build reads ${trainState ? `version ${VERSION}` : `versions 1 and ${VERSION}`}; a newer natgrad wrote it?)`);
  }
  const parsed = checkpointSchema(trainState).safeParse(raw, englishMessages());
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${['$', ...i.path.map(String)].join('.')}: ${i.message}`);
    throw new CheckpointError(`malformed: ${issues.join('; ')}`);
  }
  const doc = parsed.data as OptimiserDocument;
  // The checksum is over the raw parse (key order as written), not zod's output, which reorders keys.
  if (verifyChecksum && checksum(bodyString(raw as unknown as OptimiserDocument)) !== doc.checksum) {
    throw new CheckpointError('checksum mismatch: the file was corrupted or edited (pass verifyChecksum: false to accept edits)');
  }
  return { ...doc, state: (raw as Record<string, unknown>).state, ...(trainState ? { run: (raw as Record<string, unknown>).run } : {}) };
}
