/**
 * Data sources of `train`: what `data` may be, and the cursor a run reads its batches through — one batch per step,
 * with its epoch and position, synchronously when the source has it at hand (columns, iterables) and as a Promise
 * otherwise (async iterables, Observables).
 * @module
 */
import { NatgradError } from '@natgrad/core';
import { type Observable, isObservable } from 'rxjs';
import { type Columns, isColumns } from './columns.js';
import { type Stream, openStream } from './stream.js';

/** A stream of batches: an iterable (an array, a generator), an async iterable, or an rxjs Observable. */
export type BatchStream<B> = Iterable<B> | AsyncIterable<B> | Observable<B>;

/**
 * What `train({ data })` reads one batch per step from:
 * - {@link Columns} (from `columns(...)`): in-memory columns, shuffled every epoch by a key; a resumed run sees the
 *   same batches.
 * - A {@link BatchStream}: its batches in order, all in epoch 0; the run completes when it ends. An iterator is read
 *   once — a resumed run continues with what it yields next.
 * - A function `epoch => BatchStream`: called for epoch 0, 1, … as each one ends, so `epoch` in the states counts
 *   passes over the data. A resumed run calls it for the state's epoch and skips the batches already used, so a
 *   function that gives the same batches for the same epoch resumes exactly.
 */
export type DataSource<B> = Columns<B> | BatchStream<B> | ((epoch: number) => BatchStream<B>);

/** A data source failed at run time: a data function returned no stream, or an epoch without batches. */
export class DataSourceError extends NatgradError {
  constructor(message: string) {
    super('INVALID_DATA', `train: data: ${message}`);
  }
}

/** One batch and where it is in the pass over the data. @internal */
export interface Pulled<B> {
  readonly batch: B;
  /** Epoch of the batch (0-based). */
  readonly epoch: number;
  /** Index of the batch within its epoch (0-based). */
  readonly index: number;
}

/** The data are exhausted (or `epochs` are done). @internal */
export const DONE = Symbol('done');

/** Reads a run's batches. @internal */
export interface Cursor<B> {
  /** The next batch, or DONE. */
  next(): Pulled<B> | typeof DONE | Promise<Pulled<B> | typeof DONE>;
  /** Releases the source (closes an iterator, unsubscribes an Observable). */
  close(): void;
}

/** Where a run starts reading: the position of the last batch used (epoch, index; index −1 for none). @internal */
export interface Position {
  readonly epoch: number;
  readonly index: number;
}

/** True for what `data` may be (checked when `train` is called). @internal */
export function isDataSource(x: unknown): boolean {
  if (isColumns(x) || typeof x === 'function' || isObservable(x)) return true;
  if (x === null || typeof x !== 'object') return false; // strings are iterable, but not batches
  return typeof (x as Iterable<unknown>)[Symbol.iterator] === 'function' || typeof (x as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

/** A cursor over `data` after position `after`, ending before epoch `epochs`. @internal */
export function openCursor<B>(data: DataSource<B>, after: Position, epochs: number): Cursor<B> {
  if (isColumns(data)) return columnsCursor(data as Columns<B>, after, epochs);
  if (typeof data === 'function') return new StreamCursor<B>(data as (epoch: number) => BatchStream<B>, after.epoch, after.index, epochs, true);
  return new StreamCursor<B>(() => data as BatchStream<B>, after.epoch, after.index, epochs, false);
}

function columnsCursor<B>(data: Columns<B>, after: Position, epochs: number): Cursor<B> {
  let { epoch, index } = after;
  return {
    next() {
      index++;
      if (index >= data.batchesPerEpoch) {
        epoch++;
        index = 0;
      }
      if (epoch >= epochs) return DONE;
      return { batch: data.batch(epoch, index), epoch, index };
    },
    close() {},
  };
}

const AGAIN = Symbol('again');

/** A cursor over one stream, or over a data function's stream per epoch. */
class StreamCursor<B> implements Cursor<B> {
  #stream: Stream<B> | undefined;
  #epoch: number;
  #index: number;
  /** Batches of the first epoch up to this index are skipped (already used by the run being resumed). */
  #skipThrough: number;
  #opened = false;
  #closed = false;

  constructor(
    private readonly open: (epoch: number) => BatchStream<B>,
    epoch: number,
    index: number,
    private readonly epochs: number,
    private readonly perEpoch: boolean,
  ) {
    this.#epoch = epoch;
    // A data function restarts the epoch and skips what was used; a single stream just goes on from where it is.
    this.#index = perEpoch ? -1 : index;
    this.#skipThrough = perEpoch ? index : -1;
  }

  next(): Pulled<B> | typeof DONE | Promise<Pulled<B> | typeof DONE> {
    for (;;) {
      if (this.#closed) return DONE;
      if (this.#stream === undefined) {
        if (this.#epoch >= this.epochs || (this.#opened && !this.perEpoch)) return DONE;
        const s = this.open(this.#epoch);
        if (s === null || typeof s !== 'object' || !isStream(s)) {
          throw new DataSourceError(`the data function returned ${s === null ? 'null' : typeof s} for epoch ${this.#epoch}, not an iterable, async iterable or Observable`);
        }
        this.#stream = openStream(s);
        this.#opened = true;
      }
      const r = this.#stream.next();
      if (isPromiseLike(r)) {
        return r.then((res) => {
          const out = this.#accept(res);
          return out === AGAIN ? this.next() : out;
        });
      }
      const out = this.#accept(r);
      if (out !== AGAIN) return out;
    }
  }

  #accept(r: IteratorResult<B>): Pulled<B> | typeof DONE | typeof AGAIN {
    if (this.#closed) return DONE;
    if (r.done === true) {
      this.#stream?.close();
      this.#stream = undefined;
      if (!this.perEpoch) return DONE;
      if (this.#index < 0) throw new DataSourceError(`epoch ${this.#epoch} has no batches (the data function's stream ended at once)`);
      this.#epoch++;
      this.#index = -1;
      this.#skipThrough = -1;
      return AGAIN;
    }
    this.#index++;
    if (this.#index <= this.#skipThrough) return AGAIN;
    return { batch: r.value, epoch: this.#epoch, index: this.#index };
  }

  close(): void {
    this.#closed = true;
    this.#stream?.close();
    this.#stream = undefined;
  }
}

function isStream(x: object): boolean {
  return isObservable(x) || typeof (x as Iterable<unknown>)[Symbol.iterator] === 'function' || typeof (x as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

/** True for a Promise or any thenable. @internal */
export function isPromiseLike<T>(x: unknown): x is PromiseLike<T> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}
