/** The example's own typed error: bad data files (the options are checked with core's `InvalidArgumentError`). */
import { NatgradError } from '@natgrad/core';

/**
 * A data file does not have what the example needs: a missing or mistyped column, a value out of range, an airport
 * code with no coordinates. `file` names the file, `column` and `row` say where when known.
 */
export class FlightsDataError extends NatgradError {
  /** The file that was being read. */
  readonly file: string;
  /** The column at fault, if any. */
  readonly column: string | undefined;
  /** The (0-based) row at fault within the file, if any. */
  readonly row: number | undefined;
  constructor(file: string, message: string, where: { column?: string; row?: number } = {}) {
    const at = [where.column === undefined ? '' : `column "${where.column}"`, where.row === undefined ? '' : `row ${where.row}`]
      .filter(Boolean)
      .join(', ');
    super('FLIGHTS_DATA', `${file}${at ? ` (${at})` : ''}: ${message}`);
    this.file = file;
    this.column = where.column;
    this.row = where.row;
  }
}
