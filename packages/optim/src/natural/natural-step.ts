/**
 * The natural-gradient step itself, without backtracking: a rule on Gaussian blocks that hands the inner rule the
 * blocks and their natural gradients in the chosen coordinates, and maps the inner rule's step back — at any scale,
 * for `backtrack` (its `applyLine`).
 * @module
 */
import { InvalidArgumentError, Tensor } from '@natgrad/core';
import type { AnyRule, ApplyContext, Params, Rule, StepLine } from '@natgrad/optim';
import { type BlockNode, blocksOf, checkBlockShapes, mapBlocks, presence } from './blocks.js';
import type { Block, Coordinates } from './coordinates.js';

function subtreeAt(tree: unknown, path: string): unknown {
  let node = tree;
  for (const seg of path === '' ? [] : path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, seg)) return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}

/** True when the block and its gradient are complete: every key a tensor. */
function complete(b: BlockNode, g: unknown, keys: readonly string[]): boolean {
  if (presence(b, keys) !== 'all' || g === null || typeof g !== 'object') return false;
  return keys.every((k) => (g as Record<string, unknown>)[k] instanceof Tensor);
}

/** The inner rule's view of the tree: blocks in inner coordinates (`null` where a block cannot move). @internal */
export function innerTemplate(param: Params, coords: Coordinates): Params {
  const keys = coords.parametrisation.keys as readonly string[];
  const kinds = coords.parametrisation.coordinates as Readonly<Record<string, string>>;
  const nulls = Object.fromEntries(coords.innerKeys.map((k) => [k, null]));
  return mapBlocks(param, keys, (b, path) => {
    checkBlockShapes(kinds, b, path);
    return presence(b, keys) === 'all' ? coords.template(b as Block) : nulls;
  }) as Params;
}

/** The natural step of `inner` in `coords` (a rule no one registers: `NaturalGradient` wraps it). @internal */
export function naturalStep(inner: AnyRule, coords: Coordinates): Rule<unknown> {
  const keys = coords.parametrisation.keys as readonly string[];
  const nulls = Object.fromEntries(coords.innerKeys.map((k) => [k, null]));
  const applyLine = (state: unknown, param: Params, grad: Params, ctx: ApplyContext): readonly [unknown, StepLine] => {
    const blocks = blocksOf(param, keys);
    const gradOf = (path: string) => subtreeAt(grad, path);
    const movable = (b: BlockNode, path: string) => complete(b, gradOf(path), keys);
    const innerParam = mapBlocks(param, keys, (b, path) => (movable(b, path) ? coords.toInner(b as Block) : nulls)) as Params;
    const innerGrad = mapBlocks(param, keys, (b, path) => (movable(b, path) ? coords.gradient(b as Block, gradOf(path) as Block) : nulls)) as Params;
    const applied: unknown = inner.apply(state, innerParam, innerGrad, ctx);
    if (!Array.isArray(applied) || applied.length !== 2) throw new InvalidArgumentError(`NaturalGradient (${inner.name}): a rule's apply must return [state, step]`);
    const [innerState, innerStep] = applied as unknown as ReturnType<typeof inner.apply>;
    const line: StepLine = (scale, path) => {
      const b = blocks.get(path);
      if (b === undefined || !movable(b, path)) return null;
      const s = subtreeAt(innerStep, path) as Record<string, unknown> | null | undefined;
      if (s === null || s === undefined || !coords.innerKeys.every((k) => s[k] instanceof Tensor)) return null;
      return coords.step(b as Block, subtreeAt(innerParam, path) as Block, s as Block, scale) as Params | undefined;
    };
    return [innerState, line];
  };
  return {
    name: 'NaturalStep',
    hyperparams: {},
    handlesNonFinite: inner.handlesNonFinite,
    init: (param) => inner.init(innerTemplate(param, coords)),
    applyLine,
    apply(state, param, grad, ctx) {
      const [s, line] = applyLine(state, param, grad, ctx);
      return [s, mapBlocks(param, keys, (_b, path) => line(1, path) ?? null) as Params];
    },
    checkState: (state, where) => inner.checkState?.(state, where),
  };
}
