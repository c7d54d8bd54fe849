/** `load`: a JSON checkpoint back into an optimiser state, validated at every level. @module */
import { Tensor, treeFlatten, treePaths } from '@natgrad/core';
import { freeze } from 'immer';
import { CheckpointError } from '../errors.js';
import { type Registry, type RuleDescription, defaultRegistry } from '../registry.js';
import type { AnyRule, Params } from '../rule.js';
import { covers } from '../tree-utils.js';
import type { OptimiserState } from '../update.js';
import { decodeState } from './encode.js';
import { checksum } from './hash.js';
import { bodyString } from './save.js';
import { type CheckpointDocument, VERSION, checkpointSchema } from './schema.js';

/** Options of {@link load}. */
export interface LoadOptions {
  /** The parameters the state must match (paths and shapes); without them, the layout saved in the checkpoint. */
  readonly params?: Params;
  /** Where rule and schedule names are looked up (default: the built-ins plus everything `registerRule` added). */
  readonly registry?: Registry;
  /** Set to false to accept a checkpoint edited by hand (its checksum no longer matches). Default true. */
  readonly verifyChecksum?: boolean;
}

const HOSTILE = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 512;

/** Rejects prototype-polluting keys and non-finite numbers (`1e999` parses to Infinity) anywhere in the raw parse. */
function scanRaw(x: unknown, where: string, depth: number): void {
  if (depth > MAX_DEPTH) throw new CheckpointError(`${where}: nested more than ${MAX_DEPTH} levels deep`);
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new CheckpointError(`${where}: non-finite number ${x}`);
  } else if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) scanRaw(x[i], `${where}[${i}]`, depth + 1);
  } else if (x !== null && typeof x === 'object') {
    for (const k of Object.keys(x)) {
      if (HOSTILE.has(k)) throw new CheckpointError(`${where}: forbidden key "${k}"`);
      scanRaw((x as Record<string, unknown>)[k], `${where}.${k}`, depth + 1);
    }
  }
}

function buildAt(desc: RuleDescription, registry: Registry, where: string): AnyRule {
  const factory = registry.rule(desc.name);
  if (factory === undefined) {
    throw new CheckpointError(`${where}: unknown rule "${desc.name}" (registered: ${registry.ruleNames().join(', ')}; register it with registerRule)`);
  }
  const children = (desc.children ?? []).map((c, i) => buildAt(c, registry, `${where}.children[${i}]`));
  try {
    return factory(desc.hyperparams, desc.options, children, registry);
  } catch (e) {
    throw new CheckpointError(`${where} (${desc.name}): ${(e as Error).message}`);
  }
}

/** A zero tensor tree with the saved layout, for validating a checkpoint loaded without parameters. */
function paramsFromLayout(layout: Readonly<Record<string, number[]>>): Params {
  if (Object.hasOwn(layout, '')) {
    if (Object.keys(layout).length !== 1) throw new CheckpointError('params: a root leaf "" cannot have siblings');
    return Tensor.zeros(layout['']);
  }
  const root: Record<string, unknown> = {};
  for (const [path, shape] of Object.entries(layout)) {
    const segs = path.split('.');
    let node = root;
    segs.forEach((s, i) => {
      if (s === '') throw new CheckpointError(`params: malformed path "${path}"`);
      const last = i === segs.length - 1;
      const cur = node[s];
      if (last) {
        if (cur !== undefined) throw new CheckpointError(`params: path "${path}" conflicts with another parameter`);
        node[s] = Tensor.zeros(shape);
      } else {
        if (cur instanceof Tensor) throw new CheckpointError(`params: path "${path}" conflicts with another parameter`);
        node[s] ??= {};
        node = node[s] as Record<string, unknown>;
      }
    });
  }
  return root as Params;
}

function checkParamsMatch(params: Params, layout: Readonly<Record<string, number[]>>): void {
  const [leaves] = treeFlatten<unknown>(params);
  const paths = treePaths(params);
  const seen = new Set<string>();
  leaves.forEach((l, i) => {
    const p = paths[i];
    if (!(l instanceof Tensor)) throw new CheckpointError(`params: "${p}" is not a Tensor`);
    const shape = Object.hasOwn(layout, p) ? layout[p] : undefined;
    if (shape === undefined) throw new CheckpointError(`parameter "${p}" is not in the checkpoint (it has ${Object.keys(layout).map((k) => `"${k}"`).join(', ')})`);
    if (shape.join() !== l.shape.join() || shape.length !== l.shape.length) {
      throw new CheckpointError(`parameter "${p}" has shape [${l.shape}], the checkpoint was saved for [${shape}]`);
    }
    seen.add(p);
  });
  const missing = Object.keys(layout).filter((p) => !seen.has(p));
  if (missing.length > 0) throw new CheckpointError(`the checkpoint has state for ${missing.map((m) => `"${m}"`).join(', ')}, which the parameters lack`);
}

/**
 * Loads a checkpoint written by `save`. Everything is validated before anything is built: JSON syntax, forbidden
 * keys (`__proto__`, `constructor`, `prototype`, anywhere), non-finite numbers, the zod schema, the version, the
 * checksum, rule names against the registry, hyperparameters (by rebuilding each rule), and the state against the
 * template a fresh `init` makes for the parameters (every key, kind and shape). Continuing from the loaded state
 * reproduces the uninterrupted run bit for bit.
 * @throws {CheckpointError} saying what is wrong and where; no existing state or parameter is touched
 */
export function load(json: string, options: LoadOptions = {}): OptimiserState {
  if (typeof json !== 'string') throw new CheckpointError(`expected a JSON string, got ${typeof json}`);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new CheckpointError(`not valid JSON (${(e as Error).message})`);
  }
  scanRaw(raw, '$', 0);
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'version' in raw && raw.version !== VERSION) {
    throw new CheckpointError(`unsupported version ${JSON.stringify(raw.version)} (this build reads version ${VERSION})`);
  }
  const parsed = checkpointSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${['$', ...i.path.map(String)].join('.')}: ${i.message}`);
    throw new CheckpointError(`malformed: ${issues.join('; ')}`);
  }
  const doc: CheckpointDocument = parsed.data;
  // The checksum is over the raw parse (key order as written), not zod's output, which reorders keys.
  if (options.verifyChecksum !== false && checksum(bodyString(raw as CheckpointDocument)) !== doc.checksum) {
    throw new CheckpointError('checksum mismatch: the file was corrupted or edited (pass verifyChecksum: false to accept edits)');
  }
  const registry = options.registry ?? defaultRegistry;
  let params: Params;
  if (options.params !== undefined) {
    checkParamsMatch(options.params, doc.params);
    params = options.params;
  } else {
    params = paramsFromLayout(doc.params);
  }
  const paths = treePaths(params);
  for (const f of doc.frozen) {
    if (!paths.some((p) => covers(f, p))) throw new CheckpointError(`frozen path "${f}" matches no parameter`);
  }
  const rule = buildAt(doc.rule, registry, 'rule');
  let template: unknown;
  let bound: AnyRule;
  try {
    bound = rule.bind ? rule.bind(params) : rule;
    template = bound.init(params);
  } catch (e) {
    throw new CheckpointError(`rule ${rule.name} cannot be set up for these parameters: ${(e as Error).message}`);
  }
  const state = decodeState(doc.state, template);
  const layout = Object.fromEntries(Object.entries(doc.params).map(([p, s]) => [p, [...s]]));
  return freeze({ rule: bound, state, step: doc.step, events: [], frozen: [...doc.frozen].sort(), layout }, true) as OptimiserState;
}

