/**
 * Size limits, checked before anything is allocated so that a huge request is a typed error instead of an engine
 * `RangeError` or an out-of-memory abort of the whole process.
 * @module
 */

/**
 * Largest number of elements of any tensor: 2³¹ − 1. Kernels index elements with int32 offsets, and every engine's
 * typed arrays hold at least that many. A shape with more elements is an `InvalidArgumentError`. (Memory may run out
 * earlier: an engine allocation failure below the limit is an `OutOfMemoryError`.)
 */
export const MAX_SIZE = 2147483647;

/** Largest number of axes of a tensor (64, as NumPy 2). */
export const MAX_RANK = 64;

/**
 * Largest number of elements turned into plain JavaScript arrays (`toArray`, `toFlatArray`, `toJSON`, and
 * `random.permutation` of a count): 2²⁴. Plain arrays live on the engine's heap, and exhausting it aborts the
 * process instead of throwing (2²⁷ numbers already do in Node with its default heap); typed arrays (`Tensor.data`)
 * have no such limit below {@link MAX_SIZE}.
 */
export const MAX_ARRAY_LENGTH = 16777216;

/**
 * Deepest nesting of a tree (nested arrays and plain objects) that the tree utilities and the transforms walk: 1000
 * levels. Deeper input — in practice a cyclic object, or hostile data — is an `InvalidArgumentError` instead of a
 * stack overflow.
 */
export const MAX_TREE_DEPTH = 1000;

/**
 * Most inner nodes (arrays and plain objects) one walk over a tree visits: 2²⁰. A structure that shares subtrees
 * describes exponentially many nodes (`t = { l: t, r: t }` sixty times over is 61 objects and 2⁶⁰ nodes); walking it
 * stops here with an `InvalidArgumentError` instead of running for hours. Leaves are bounded by
 * {@link MAX_ARRAY_LENGTH}, the size of the leaf list.
 */
export const MAX_TREE_NODES = 1048576;
