/** Which rows of the file are used, and which of those are held out: one seeded permutation decides both. */
import { random } from '@natgrad/core';

/** The chosen rows in file order and, for each, whether it is held out. */
export interface RowChoice {
  /** Ascending file row indices (the order in which the reader meets them). */
  readonly chosen: Uint32Array;
  /** 1 where `chosen[i]` is held out, 0 where it trains. */
  readonly heldOut: Uint8Array;
}

/**
 * Draws a seeded permutation of the file's rows (core's Threefry `random.permutation`: the same on every machine)
 * and uses its first `rows` entries, the first `testSize` of them held out. So the held-out set depends only on
 * the seed and `testSize`, not on how many training rows are used.
 */
export function chooseRows(fileRows: number, rows: number, testSize: number, seed: number): RowChoice {
  const role = new Uint8Array(fileRows); // 0 unused, 1 train, 2 held out
  const order = random.permutation(random.key(seed), fileRows);
  for (let i = 0; i < rows; i++) role[order[i]] = i < testSize ? 2 : 1;
  const chosen = new Uint32Array(rows);
  const heldOut = new Uint8Array(rows);
  for (let r = 0, k = 0; r < fileRows; r++) {
    if (role[r] === 0) continue;
    heldOut[k] = role[r] === 2 ? 1 : 0;
    chosen[k++] = r;
  }
  return { chosen, heldOut };
}
