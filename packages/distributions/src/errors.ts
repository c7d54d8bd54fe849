/**
 * Errors specific to Gaussian parameters. Both extend core's {@link NatgradError}, so callers can catch every natgrad
 * failure in one place and still branch on the subclass; their fields say which coordinate and which entry failed.
 * @module
 */
import { NatgradError } from '@natgrad/core';
import { describeValue } from './describe.js';

/** Message text of a constructor argument: strings as they are, anything else described safely (never coerced). */
const text = (x: unknown): string => (typeof x === 'string' ? x : describeValue(x));
const indexText = (index: unknown): string =>
  Array.isArray(index) ? index.map((i) => (typeof i === 'number' ? String(i) : describeValue(i))).join(', ') : describeValue(index);

/**
 * A matrix coordinate that must be symmetric is not, beyond a tolerance relative to the matrix's scale
 * (`|A[i, j] − A[j, i]| > tolerance · max |A|`).
 */
export class NotSymmetricError extends NatgradError {
  /** The coordinate as named in the message, e.g. `"q.Sigma"`. */
  readonly key: string;
  /** Row and column (0-based, `row > column`) of the first offending pair. */
  readonly row: number;
  /** Column (0-based) of that pair; see `row`. */
  readonly column: number;
  /** `A[row, column]` and `A[column, row]`. */
  readonly values: readonly [number, number];
  /** Index of the matrix in the batch (0 for a single matrix). */
  readonly batchIndex: number;
  constructor(where: string, key: string, row: number, column: number, values: readonly [number, number], batchIndex: number, tolerance: number) {
    const batch = typeof batchIndex === 'number' && batchIndex > 0 ? ` (matrix ${batchIndex} of the batch)` : '';
    const [a, c] = Array.isArray(values) ? values : [NaN, NaN];
    super(
      'NOT_SYMMETRIC',
      `${text(where)}: ${text(key)} must be symmetric${batch}: entry (${text(row)}, ${text(column)}) is ${text(a)} but ` +
        `(${text(column)}, ${text(row)}) is ${text(c)} (difference ${text(Math.abs(a - c))} exceeds ${text(tolerance)})`,
    );
    this.key = key;
    this.row = row;
    this.column = column;
    this.values = values;
    this.batchIndex = batchIndex;
  }
}

/**
 * A parameter breaks its constraint: a Gaussian's coordinate (a Cholesky factor with entries above the diagonal or a
 * non-positive diagonal entry, a variance σ² ≤ 0, a natural θ₂ ≥ 0, …) or a model parameter (a noise variance ≤ 0, a
 * Bernoulli label that is not 0 or 1). `index` is the multi-index of the first offending entry (batch axes included;
 * `[]` for a scalar).
 */
export class InvalidParameterError extends NatgradError {
  /** The coordinate (or derived quantity) as named in the message, e.g. `"q.L"`. */
  readonly key: string;
  /** Multi-index of the offending entry. */
  readonly index: readonly number[];
  /** Its value. */
  readonly value: number;
  constructor(where: string, key: string, index: readonly number[], value: number, requirement: string) {
    super('INVALID_PARAMETER', `${text(where)}: ${text(key)} ${text(requirement)}: entry (${indexText(index)}) is ${text(value)}`);
    this.key = key;
    this.index = index;
    this.value = value;
  }
}
