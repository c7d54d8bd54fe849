/** Deterministic sharding of a batch's rows. @module */
import { InvalidArgumentError } from '@natgrad/core';

/** Where a shard sits in its batch: what a shard objective may need to know (a per-row key, a scale). */
export interface ShardInfo {
  /** Index of the shard, 0 … `count` − 1, in row order. */
  readonly index: number;
  /** Number of shards of the batch. */
  readonly count: number;
  /** First row of the shard in the batch. */
  readonly start: number;
  /** One past its last row. */
  readonly end: number;
  /** Rows of the whole batch. */
  readonly rows: number;
}

/**
 * Splits `rows` rows into `count` contiguous shards in row order, sizes differing by at most one (the first
 * `rows mod count` shards have one row more). Fewer shards when there are fewer rows than `count` (never an empty
 * shard), and one empty shard for an empty batch. Depends only on its arguments, so the same batch is always split
 * the same way.
 * @example shardRows(10, 3) // rows 0–3, 4–6, 7–9
 * @throws {InvalidArgumentError} unless `rows` is a non-negative integer and `count` a positive one.
 */
export function shardRows(rows: number, count: number): ShardInfo[] {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new InvalidArgumentError(`shardRows: rows must be a non-negative integer, got ${String(rows)}`);
  if (!Number.isSafeInteger(count) || count < 1) throw new InvalidArgumentError(`shardRows: count must be a positive integer, got ${String(count)}`);
  const n = Math.max(1, Math.min(count, rows));
  const base = Math.floor(rows / n);
  const extra = rows % n;
  const out: ShardInfo[] = [];
  let start = 0;
  for (let index = 0; index < n; index++) {
    const end = start + base + (index < extra ? 1 : 0);
    out.push(Object.freeze({ index, count: n, start, end, rows }));
    start = end;
  }
  return out;
}
