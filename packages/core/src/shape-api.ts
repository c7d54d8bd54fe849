/** Shape utilities of the public API, with their arguments validated (the internal ones in `shape.ts` trust theirs). @module */
import { checkString } from './args.js';
import { type Shape, broadcastShapes as broadcast, checkShape, sizeOf as size } from './shape.js';

/**
 * Number of elements of a tensor of this shape (1 for a scalar).
 * @throws {InvalidArgumentError} unless `shape` is an array of non-negative integers with at most `MAX_SIZE` elements
 */
export function sizeOf(shape: Shape): number {
  return size(checkShape(shape, 'sizeOf'));
}

/**
 * NumPy broadcasting of two shapes, e.g. `[3, 1]` and `[4]` give `[3, 4]`.
 * @param where the name used in the error message (default `"broadcastShapes"`)
 * @throws {ShapeError} when the shapes are incompatible; {@link InvalidArgumentError} for an invalid shape or a
 * `where` that is not a string
 */
export function broadcastShapes(a: Shape, b: Shape, where = 'broadcastShapes'): Shape {
  checkString(where, 'broadcastShapes', 'where');
  return broadcast(checkShape(a, where, 'a'), checkShape(b, where, 'b'), where);
}
