/**
 * Batches: columns of data sliced to a set of rows, and their shared-memory form for worker threads.
 * @module
 */
import { InvalidArgumentError, Tensor } from '@natgrad/core';

/**
 * A batch of data: named columns, each a tensor whose first axis is the rows (row-major, so a row range is one
 * contiguous slice). `{ x: [N, D], y: [N] }` for a regression; every column has the same number of rows.
 */
export type Batch = Readonly<Record<string, Tensor>>;

/** Most columns a batch may have. */
export const MAX_BATCH_COLUMNS = 1024;

/**
 * Checks a batch and returns its row count.
 * @throws {InvalidArgumentError} naming the column: not an object, no columns, a column that is not a concrete
 * tensor with at least one axis, or columns with different row counts.
 * @internal
 */
export function batchRows(batch: unknown, where: string): number {
  if (batch === null || typeof batch !== 'object' || Array.isArray(batch) || batch instanceof Tensor) {
    throw new InvalidArgumentError(`${where}: the batch must be an object of tensors { name: Tensor }`);
  }
  const names = Object.keys(batch);
  if (names.length === 0) throw new InvalidArgumentError(`${where}: the batch has no columns`);
  if (names.length > MAX_BATCH_COLUMNS) throw new InvalidArgumentError(`${where}: the batch has more than ${MAX_BATCH_COLUMNS} columns`);
  let rows = -1;
  for (const name of names) {
    const desc = Object.getOwnPropertyDescriptor(batch, name);
    const col = desc !== undefined && 'value' in desc ? (desc.value as unknown) : undefined;
    if (!(col instanceof Tensor)) throw new InvalidArgumentError(`${where}: column "${name}" must be a concrete Tensor (an own data property)`);
    if (col.shape.length === 0) throw new InvalidArgumentError(`${where}: column "${name}" is a scalar; its first axis must be the rows`);
    if (rows === -1) rows = col.shape[0];
    else if (col.shape[0] !== rows) {
      throw new InvalidArgumentError(`${where}: column "${name}" has ${col.shape[0]} rows, "${names[0]}" has ${rows}`);
    }
  }
  return rows;
}

/**
 * Rows `start` (inclusive) to `end` (exclusive) of every column, as tensors viewing the same memory (no copy: a
 * slice of a shared batch stays shared). The result is a null-prototype record.
 * @example sliceRows({ x, y }, 0, 100) // the first 100 rows of x and y
 * @throws {InvalidArgumentError} for an invalid batch or a range outside [0, rows].
 */
export function sliceRows(batch: Batch, start: number, end: number): Batch {
  const rows = batchRows(batch, 'sliceRows');
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > rows) {
    throw new InvalidArgumentError(`sliceRows: rows ${String(start)}…${String(end)} are not a range within [0, ${rows}]`);
  }
  const out = Object.create(null) as Record<string, Tensor>;
  for (const name of Object.keys(batch)) {
    const col = batch[name];
    const width = col.shape[0] === 0 ? 0 : col.size / col.shape[0];
    out[name] = new Tensor(col.data.subarray(start * width, end * width), [end - start, ...col.shape.slice(1)]);
  }
  return out;
}

/** True when the tensor's elements live in a `SharedArrayBuffer`. @internal */
export function isShared(t: Tensor): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && t.data.buffer instanceof SharedArrayBuffer;
}

/**
 * The batch with every column in shared memory (a `SharedArrayBuffer`), so worker threads read it in place: shares
 * it once (one copy of each column not already shared), and every later step's shards are views. Do not write into
 * the columns while a gradient is being computed.
 * @example const data = shareBatch({ x: X, y }); // then createGradientPool({ module, data })
 * @throws {InvalidArgumentError} for an invalid batch, or where `SharedArrayBuffer` is unavailable.
 */
export function shareBatch(batch: Batch): Batch {
  batchRows(batch, 'shareBatch');
  if (typeof SharedArrayBuffer === 'undefined') throw new InvalidArgumentError('shareBatch: SharedArrayBuffer is not available here');
  const out = Object.create(null) as Record<string, Tensor>;
  for (const name of Object.keys(batch)) {
    const col = batch[name];
    if (isShared(col)) {
      out[name] = col;
      continue;
    }
    const data = new Float64Array(new SharedArrayBuffer(col.size * Float64Array.BYTES_PER_ELEMENT));
    data.set(col.data);
    out[name] = new Tensor(data, col.shape);
  }
  return Object.freeze(out);
}
