/**
 * Slot kinds: each builds a valid value for an argument and the bad values that belong in its place. This module
 * gathers them for the tables; `SlotOptions` lets a signature re-mark, drop or add bad values where the function
 * documents otherwise.
 * @module
 */
export * from './slot.js';
export * from './slots-arrays.js';
export * from './slots-numbers.js';
export * from './slots-objects.js';
