/**
 * `columns(data, { batchSize })`: minibatches from in-memory columns — a record of tensors sharing their leading
 * axis (one row per data point) — reshuffled every epoch by a key-driven permutation, so a run is reproducible and
 * a resumed run sees the same batches.
 * @module
 */
import { InvalidArgumentError, Tensor, random, slice } from '@natgrad/core';
import { shown } from '../../errors.js';
import { keyProblem } from '../../keys.js';
import { checkOptions } from '../../check-rule.js';

/** One column: a tensor whose leading axis is the data points, or a `Float64Array` (one number per point). */
export type Column = Tensor | Float64Array;

/** The batches of a record of columns: the same keys, each a tensor of rows. */
export type BatchOf<C extends Readonly<Record<string, Column>>> = { readonly [K in keyof C]: Tensor };

/** Options of {@link columns}. */
export interface ColumnsOptions {
  /** Rows per batch: an integer from 1 to the number of rows. */
  readonly batchSize: number;
  /**
   * Whether every epoch visits the rows in a fresh random order (default `true`); `false` takes them in order, so
   * every epoch has the same batches.
   */
  readonly shuffle?: boolean;
  /**
   * Whether an epoch leaves out its last `n mod batchSize` rows instead of ending with a shorter batch. Default
   * `false`, as PyTorch's `DataLoader(drop_last=False)`: every row is used once per epoch, and the last batch has
   * `n mod batchSize` rows when the division is not exact (scale likelihood sums by N/B with the batch's own B, as
   * `minibatchElbo` in @natgrad/distributions does, and the estimate stays unbiased). `true` gives every step the
   * same shape — shuffled, different rows are left out each epoch.
   */
  readonly dropLast?: boolean;
  /**
   * Seed of the shuffles (default 0): epoch e visits the rows in the order `random.permutation(random.foldIn(
   * random.key(seed), e), n)`. It is the data's own seed, not the run's: the order of epoch e is the same whatever
   * ran before, in a resumed run and in a fresh one.
   */
  readonly seed?: number | bigint;
}

const OPTIONS = ['batchSize', 'shuffle', 'dropLast', 'seed'];
const BRAND = Symbol.for('@natgrad/optim.Columns');

/**
 * A source of minibatches over in-memory columns, made by {@link columns}; hand it to `train({ data })`. Its batches
 * can also be read directly (`batch(epoch, index)`), e.g. to enumerate an epoch in a test.
 */
export class Columns<B> {
  /** Number of rows (data points). */
  readonly size: number;
  /** Rows per batch (the last batch of an epoch may be shorter unless `dropLast`). */
  readonly batchSize: number;
  /** Batches per epoch: ⌈n / batchSize⌉, or ⌊n / batchSize⌋ with `dropLast`. */
  readonly batchesPerEpoch: number;
  /** Whether epochs are shuffled. */
  readonly shuffle: boolean;
  /** Whether the last, short batch of an epoch is left out. */
  readonly dropLast: boolean;
  readonly #columns: ReadonlyArray<readonly [string, Tensor]>;
  readonly #root: random.Key;
  #orderEpoch = -1;
  #order: Int32Array | undefined;

  /** @internal Use {@link columns}. */
  constructor(data: ReadonlyArray<readonly [string, Tensor]>, size: number, o: Required<ColumnsOptions>) {
    // internal, but exported (for instanceof and types): a direct call gets the checks columns() makes
    if (!Array.isArray(data) || !data.every((e) => Array.isArray(e) && typeof e[0] === 'string' && e[1] instanceof Tensor && e[1].shape.length >= 1 && e[1].shape[0] === size)) {
      throw new InvalidArgumentError('Columns: data must be [name, Tensor] pairs with size rows each (use columns(…))');
    }
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > MAX_ROWS) throw new InvalidArgumentError(`Columns: size must be an integer in [1, ${MAX_ROWS}] (use columns(…))`);
    const opts = o as unknown as Record<string, unknown> | null;
    if (opts === null || typeof opts !== 'object' || !Number.isInteger(opts.batchSize) || (opts.batchSize as number) < 1 || typeof opts.shuffle !== 'boolean' || typeof opts.dropLast !== 'boolean' || (typeof opts.seed !== 'number' && typeof opts.seed !== 'bigint')) {
      throw new InvalidArgumentError('Columns: o must be { batchSize, shuffle, dropLast, seed } (use columns(…))');
    }
    this.size = size;
    this.batchSize = o.batchSize;
    this.shuffle = o.shuffle;
    this.dropLast = o.dropLast;
    this.batchesPerEpoch = o.dropLast ? Math.floor(size / o.batchSize) : Math.ceil(size / o.batchSize);
    this.#columns = data;
    this.#root = random.key(o.seed);
    Object.defineProperty(this, BRAND, { value: true });
    Object.freeze(this);
  }

  /**
   * The row indices of epoch `epoch`, in the order it visits them (all n, including any that `dropLast` leaves out);
   * a fresh array.
   * @throws {InvalidArgumentError} for an epoch that is not a non-negative integer
   */
  order(epoch: number): Int32Array {
    return this.#orderOf('Columns.order', epoch).slice();
  }

  /** The epoch's order, cached for the batches that follow (never handed out: a caller could write into it). */
  #orderOf(where: string, epoch: number): Int32Array {
    checkIndex(where, 'epoch', epoch, Number.MAX_SAFE_INTEGER);
    if (epoch === this.#orderEpoch && this.#order !== undefined) return this.#order;
    const order = new Int32Array(this.size);
    if (this.shuffle) order.set(random.permutation(random.foldIn(this.#root, epoch), this.size));
    else for (let i = 0; i < this.size; i++) order[i] = i;
    // The current epoch's order is kept: its batches are read one after another.
    this.#orderEpoch = epoch;
    this.#order = order;
    return order;
  }

  /**
   * Batch `index` of epoch `epoch`: each column's rows at positions `index·batchSize …` of the epoch's order, as
   * fresh tensors (a null-prototype record with the columns' keys).
   * @throws {InvalidArgumentError} for an epoch or index out of range
   */
  batch(epoch: number, index: number): B {
    checkIndex('Columns.batch', 'index', index, this.batchesPerEpoch - 1);
    const order = this.#orderOf('Columns.batch', epoch);
    const start = index * this.batchSize;
    const rows = order.subarray(start, Math.min(start + this.batchSize, this.size));
    const out = Object.create(null) as Record<string, Tensor>;
    for (const [k, col] of this.#columns) {
      out[k] = this.shuffle ? gatherRows(col, rows) : (slice(col, [start, start + rows.length]) as Tensor);
    }
    return Object.freeze(out) as B;
  }
}

/**
 * The rows `rows` of `col` as a new tensor: one tight copy loop (core's `take` costs ~0.1 ms of fixed overhead per
 * call, more than gathering a 256 × 16 batch by hand).
 */
function gatherRows(col: Tensor, rows: Int32Array): Tensor {
  const shape = col.shape;
  const width = shape.length === 1 ? 1 : col.size / shape[0];
  const src = col.data;
  const out = new Float64Array(rows.length * width);
  if (width === 1) {
    for (let i = 0; i < rows.length; i++) out[i] = src[rows[i]];
  } else {
    for (let i = 0; i < rows.length; i++) {
      const from = rows[i] * width;
      const to = i * width;
      for (let j = 0; j < width; j++) out[to + j] = src[from + j];
    }
  }
  const s = shape.slice();
  s[0] = rows.length;
  return new Tensor(out, s); // wraps `out` (ours alone), no copy
}

function checkIndex(where: string, name: string, v: unknown, max: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new InvalidArgumentError(`${where}: ${name} must be an integer in [0, ${max}], got ${shown(v)}`);
  }
}

/** True for a {@link Columns} source (also across copies of this module). @internal */
export function isColumns(x: unknown): x is Columns<unknown> {
  return x !== null && typeof x === 'object' && (x as Record<symbol, unknown>)[BRAND] === true;
}

/** Largest number of rows: an epoch's order is one Int32Array and `random.permutation` draws at most 2²⁴. */
export const MAX_ROWS = 2 ** 24;

/**
 * Minibatches from in-memory columns for `train({ data })`: `data` is a record of tensors (or `Float64Array`s, one
 * number per row) that all have the same leading extent n; each batch is a record with the same keys holding those
 * columns' rows. Every epoch is a pass over the rows in the order `random.permutation(random.foldIn(random.key(seed),
 * epoch), n)`, cut into batches of `batchSize` rows (the last one shorter unless `dropLast`; see
 * {@link ColumnsOptions}). The order depends only on the seed and the epoch, so a resumed run (whose `TrainState`
 * carries `epoch` and `batchIndex`) gets exactly the batches the uninterrupted run would have.
 * @example
 * const data = columns({ x, y }, { batchSize: 256 });            // x [N, D], y [N]
 * train({ data, objective: (p, key, step, b) => loss(p, b.x, b.y), params, optimiser, epochs: 10 });
 * @throws {InvalidArgumentError} for a record that is empty or has a bad key, a column that is not a tensor of rank
 * ≥ 1 or a Float64Array, columns of different lengths, no rows, more than {@link MAX_ROWS} rows, or bad options
 */
export function columns<C extends Readonly<Record<string, Column>>>(data: C, options: ColumnsOptions): Columns<BatchOf<C>> {
  const where = 'columns';
  const bad = (msg: string): never => {
    throw new InvalidArgumentError(`${where}: ${msg}`);
  };
  if (data === null || typeof data !== 'object' || Array.isArray(data) || data instanceof Tensor) {
    bad(`data must be a record of columns ({ x: Tensor, y: Tensor, … }), got ${shown(data)}`);
  }
  const keys = Object.keys(data);
  if (keys.length === 0) bad('data has no columns');
  let n = -1;
  let first = '';
  const cols: [string, Tensor][] = [];
  for (const k of keys) {
    const problem = keyProblem(k);
    if (problem !== undefined) bad(`column key ${JSON.stringify(k)} is not allowed (${problem})`);
    const c = (data as Record<string, unknown>)[k];
    let t: Tensor;
    if (c instanceof Float64Array) t = Tensor.from(c); // a copy: the caller may reuse the array
    else if (c instanceof Tensor && c.shape.length >= 1) t = c;
    else bad(`column "${k}" must be a Tensor with a leading axis of rows or a Float64Array, got ${c instanceof Tensor ? 'a scalar tensor' : shown(c)}`);
    const rows = t!.shape[0];
    if (n === -1) [n, first] = [rows, k];
    else if (rows !== n) bad(`column "${k}" has ${rows} rows but column "${first}" has ${n}: columns share their leading axis`);
    cols.push([k, t!]);
  }
  if (n === 0) bad('the columns have no rows');
  if (n > MAX_ROWS) bad(`${n} rows is more than ${MAX_ROWS} (MAX_ROWS)`);
  if (options === null || typeof options !== 'object') bad('options must be an object { batchSize, shuffle?, dropLast?, seed? }');
  checkOptions(where, options, OPTIONS);
  const { batchSize, shuffle = true, dropLast = false, seed = 0 } = options;
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1 || batchSize > n) {
    bad(`batchSize must be an integer in [1, ${n}] (the number of rows), got ${shown(batchSize)}`);
  }
  if (typeof shuffle !== 'boolean') bad(`shuffle must be a boolean, got ${shown(shuffle)}`);
  if (typeof dropLast !== 'boolean') bad(`dropLast must be a boolean, got ${shown(dropLast)}`);
  try {
    random.key(seed);
  } catch (e) {
    bad(`invalid seed: ${(e as Error).message}`);
  }
  return new Columns<BatchOf<C>>(cols, n, { batchSize, shuffle, dropLast, seed });
}
