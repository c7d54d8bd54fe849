/** `load`: a JSON checkpoint back into an optimiser state, validated at every level. @module */
import { NatgradError, treePaths } from '@natgrad/core';
import { freeze } from 'immer';
import { checkOptions } from '../check-rule.js';
import { CheckpointError } from '../errors.js';
import { nullRecord } from '../keys.js';
import { type Registry, type RuleDescription, defaultRegistry, describeRule } from '../registry.js';
import type { AnyRule, Params, ParamsLike } from '../rule.js';
import type { OptimiserState } from '../update.js';
import { jsonDifference } from './description-diff.js';
import { decodeState } from './encode.js';
import { checksum } from './hash.js';
import { DEFAULT_MAX_ELEMENTS, checkFrozen, checkLayout, checkParamsMatch, paramsFromLayout } from './layout.js';
import { checkTopLevel, scanRaw } from './raw.js';
import { bodyString } from './save.js';
import { type CheckpointDocument, VERSION, checkpointSchema } from './schema.js';

/** Options of {@link load}. */
export interface LoadOptions<P = Params> {
  /** The parameters the state must match (paths and shapes); without them, the layout saved in the checkpoint. */
  readonly params?: P;
  /** Where rule and schedule names are looked up (default: the built-ins plus everything `registerRule` added). */
  readonly registry?: Registry;
  /** Set to false to accept a checkpoint edited by hand (its checksum no longer matches). Default true. */
  readonly verifyChecksum?: boolean;
  /**
   * Most numbers the parameter layout may hold in all (default {@link DEFAULT_MAX_ELEMENTS} = 2²⁴), checked before
   * anything is allocated. It applies when `params` is not given, since the zero parameters and state template are
   * then built from the file's layout; with `params`, the layout must match them instead.
   */
  readonly maxElements?: number;
}

const OPTIONS = ['params', 'registry', 'verifyChecksum', 'maxElements'];

function buildAt(desc: RuleDescription, registry: Registry, where: string): AnyRule {
  const factory = registry.rule(desc.name);
  if (factory === undefined) {
    throw new CheckpointError(`${where}: unknown rule "${desc.name}" (registered: ${registry.ruleNames().join(', ')}; register it with registerRule)`);
  }
  const children = (desc.children ?? []).map((c, i) => buildAt(c, registry, `${where}.children[${i}]`));
  let rule: AnyRule;
  try {
    rule = factory(desc.hyperparams, desc.options, children, registry);
  } catch (e) {
    throw new CheckpointError(`${where} (${desc.name}): ${(e as Error).message}`);
  }
  // The rebuilt rule must describe itself exactly as the file does: nothing unknown is silently dropped.
  const diff = jsonDifference(desc, describeRule(rule), where);
  if (diff !== undefined) throw new CheckpointError(`${diff} (${desc.name} cannot hold what the file describes)`);
  return rule;
}

/**
 * Loads a checkpoint written by `save`. Everything is validated before anything is built: JSON syntax, forbidden
 * keys (`__proto__`, `constructor`, `prototype`, anywhere — and in every segment of a parameter path), non-finite
 * numbers, the top-level fields and the zod schema, the version, the checksum, the size of the layout
 * (`maxElements`), rule names against the registry, hyperparameters and options (each rule is rebuilt and must
 * describe itself exactly as the file does: an unknown key is an error), the state against the template a fresh
 * `init` makes for the parameters (every key, kind and shape), and the state's values against each rule's domain
 * (non-negative second moments, integer counters, …). Continuing from the loaded state reproduces the uninterrupted
 * run bit for bit.
 * @throws {CheckpointError} saying what is wrong and where; no existing state, parameter or prototype is touched
 */
export function load<P extends ParamsLike<P> = Params>(json: string, options: LoadOptions<P> = {}): OptimiserState {
  checkOptions('load', options, OPTIONS);
  const maxElements = options.maxElements ?? DEFAULT_MAX_ELEMENTS;
  if (!(typeof maxElements === 'number' && maxElements >= 0)) throw new CheckpointError(`load: maxElements must be a number ≥ 0, got ${String(maxElements)}`);
  if (typeof json !== 'string') throw new CheckpointError(`expected a JSON string, got ${typeof json}`);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new CheckpointError(`not valid JSON (${(e as Error).message})`);
  }
  scanRaw(raw, '$', 0);
  checkTopLevel(raw);
  if (raw.version !== VERSION) throw new CheckpointError(`unsupported version ${JSON.stringify(raw.version)} (this build reads version ${VERSION})`);
  const parsed = checkpointSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${['$', ...i.path.map(String)].join('.')}: ${i.message}`);
    throw new CheckpointError(`malformed: ${issues.join('; ')}`);
  }
  const doc: CheckpointDocument = parsed.data;
  // The checksum is over the raw parse (key order as written), not zod's output, which reorders keys.
  if (options.verifyChecksum !== false && checksum(bodyString(raw as unknown as CheckpointDocument)) !== doc.checksum) {
    throw new CheckpointError('checksum mismatch: the file was corrupted or edited (pass verifyChecksum: false to accept edits)');
  }
  const registry = options.registry ?? defaultRegistry;
  let params: Params;
  if (options.params !== undefined) {
    params = options.params as Params;
    checkParamsMatch(params, doc.params);
  } else {
    checkLayout(doc.params, maxElements);
    params = paramsFromLayout(doc.params);
  }
  checkFrozen(doc.frozen, treePaths(params));
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
  try {
    bound.checkState?.(state, '');
  } catch (e) {
    if (e instanceof NatgradError) throw new CheckpointError(`${e.message} (out of the rule's domain: was the file edited?)`);
    throw e;
  }
  const layout = nullRecord<readonly number[]>();
  for (const [p, s] of Object.entries(doc.params)) layout[p] = [...s];
  return freeze({ rule: bound, state, step: doc.step, events: [], frozen: [...doc.frozen].sort(), layout }, true) as OptimiserState;
}
