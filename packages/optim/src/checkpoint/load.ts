/** `load`: a JSON checkpoint back into an optimiser state, validated at every level. @module */
import { NatgradError, treeFlattenWithPath } from '@natgrad/core';
import { freeze } from 'immer';
import { checkOptions } from '../check-rule.js';
import { CheckpointError, shown } from '../errors.js';
import { nullRecord } from '../keys.js';
import { type Registry, defaultRegistry } from '../registry.js';
import type { AnyRule, Params, ParamsLike } from '../rule.js';
import type { OptimiserState } from '../update.js';
import { rebuild } from './build.js';
import { V2_VALUES, decodeState } from './encode.js';
import { DEFAULT_MAX_ELEMENTS, checkFrozen, checkLayout, checkParamsMatch, paramsFromLayout } from './layout.js';
import { readDocument } from './read.js';
import type { OptimiserDocument } from './schema.js';
import { V1_VALUES, unwrapInjected } from './v1.js';

/** Options of {@link load}. */
export interface LoadOptions<P = Params> {
  /** The parameters the state must match (paths and shapes); without them, the layout saved in the checkpoint. */
  readonly params?: P;
  /** Where rule and schedule names are looked up first (default: everything `registerRule` and plug-ins added); then the built-ins. */
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

/** The options, checked. @internal */
export function readLoadOptions(options: LoadOptions<unknown>, known: readonly string[] = OPTIONS): { maxElements: number; verifyChecksum: boolean; registry: Registry } {
  checkOptions('load', options, known);
  const maxElements = options.maxElements ?? DEFAULT_MAX_ELEMENTS;
  if (!(typeof maxElements === 'number' && maxElements >= 0)) throw new CheckpointError(`load: maxElements must be a number ≥ 0, got ${shown(maxElements)}`);
  return { maxElements, verifyChecksum: options.verifyChecksum !== false, registry: options.registry ?? defaultRegistry };
}

/**
 * The optimiser state a document describes, for `params` (given, and checked against the layout) or for zero
 * parameters of the layout (bounded by `maxElements` first). @internal
 */
export function optimiserOf(doc: OptimiserDocument, params: Params | undefined, registry: Registry, maxElements: number): OptimiserState {
  let tree: Params;
  if (params !== undefined) {
    tree = params;
    checkParamsMatch(tree, doc.params);
  } else {
    checkLayout(doc.params, maxElements);
    tree = paramsFromLayout(doc.params);
  }
  checkFrozen(doc.frozen, treeFlattenWithPath(tree)[0].map((e) => e[0]));
  const v1 = doc.version === 1;
  let rule: AnyRule;
  try {
    rule = rebuild(v1 ? unwrapInjected(doc.rule) : doc.rule, registry, 'rule', true);
  } catch (e) {
    if (e instanceof NatgradError && !(e instanceof CheckpointError)) throw new CheckpointError(e.message);
    throw e;
  }
  let template: unknown;
  let bound: AnyRule;
  try {
    bound = rule.bind ? rule.bind(tree) : rule;
    template = bound.init(tree);
  } catch (e) {
    throw new CheckpointError(`rule ${rule.name} cannot be set up for these parameters: ${(e as Error).message}`);
  }
  const state = decodeState(doc.state, template, v1 ? V1_VALUES : V2_VALUES);
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

/**
 * Loads a checkpoint written by `save` (version 2, or version 1 from natgrad 0.1: its `InjectHyperparams` wrappers
 * are unwrapped) — or the optimiser of one written by `saveTrainState`. Everything is validated before anything is
 * built: JSON syntax, forbidden keys (`__proto__`, `constructor`, `prototype`, anywhere — and in every segment of a
 * parameter path), non-finite numbers, the top-level fields and the zod schema, the version, the checksum, the size of
 * the layout (`maxElements`), rule names against the registry and the built-ins, hyperparameters and options (each
 * rule is rebuilt from its definition, which refuses an unknown key, and must describe itself exactly as the file
 * does), the state against the template a fresh `init` makes for the parameters (every key, kind and shape), and the
 * state's values against each rule's domain (non-negative second moments, integer counters, …). Continuing from the
 * loaded state reproduces the uninterrupted run bit for bit.
 * @throws {CheckpointError} saying what is wrong and where; no existing state, parameter or prototype is touched
 */
export function load<P extends ParamsLike<P> = Params>(json: string, options: LoadOptions<P> = {}): OptimiserState {
  const { maxElements, verifyChecksum, registry } = readLoadOptions(options as LoadOptions<unknown>);
  const doc = readDocument(json, verifyChecksum);
  return optimiserOf(doc, options.params as Params | undefined, registry, maxElements);
}
