/**
 * Reading `flights-3m.parquet` (vega-datasets: 3 000 000 US domestic flights, January–June 2001) column by column
 * with hyparquet, one row group at a time, into typed arrays.
 *
 * The file (written by Polars) has 11 row groups of ≤ 272 727 rows and five ZSTD-compressed, dictionary-encoded
 * columns: `date` (INT64 TIMESTAMP in µs, not adjusted to UTC: the local clock time of departure), `delay` (INT64,
 * minutes of arrival delay, negative = early), `distance` (INT64, miles), `origin` and `destination` (UTF-8 IATA
 * codes). Rows are sorted by date, so a subset must be drawn across all row groups, not taken from the front.
 */
import { statSync } from 'node:fs';
import { type FileMetaData, asyncBufferFromFile, parquetMetadataAsync, parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { FlightsDataError } from '../errors.js';

/** The flights of one row group (or of the rows selected from it), as typed columns. */
export interface FlightChunk {
  /** Index in the file of the first row of the group. */
  readonly rowGroupStart: number;
  /** Number of rows in this chunk. */
  readonly length: number;
  /** Departure timestamp, µs since 1970-01-01 of the local clock reading (exact: below 2⁵³). */
  readonly time: Float64Array;
  /** Arrival delay in minutes. */
  readonly delay: Float64Array;
  /** Distance in miles. */
  readonly distance: Float64Array;
  /** IATA codes of the origin airports; dictionary-decoded, so every row shares one string per airport. */
  readonly origin: readonly string[];
  /** IATA codes of the destination airports. */
  readonly destination: readonly string[];
}

/** Options of {@link readFlightChunks}. */
export interface ReadFlightsOptions {
  /**
   * Rows to keep, as ascending file row indices. Row groups with none of them are not decoded. Default: all rows.
   */
  readonly rows?: Uint32Array;
}

/** The file's layout: row count and row-group boundaries, checked against the expected schema. */
export interface FlightsFileInfo {
  readonly rows: number;
  readonly rowGroups: readonly { readonly start: number; readonly length: number }[];
}

/** A file with more rows than this is refused before anything is allocated. */
export const MAX_ROWS = 50_000_000;

const COLUMNS = ['date', 'delay', 'distance', 'origin', 'destination'] as const;
type Column = (typeof COLUMNS)[number];

/**
 * Checks that a file's schema has the five columns with the expected physical and logical types.
 * @throws {FlightsDataError} naming the first column that is missing or mistyped
 */
export function checkSchema(metadata: Pick<FileMetaData, 'schema'>, file: string): void {
  const byName = new Map(metadata.schema.slice(1).map((e) => [e.name, e]));
  const expect = (name: Column, type: string, logical?: string) => {
    const e = byName.get(name);
    if (e === undefined) throw new FlightsDataError(file, `no column "${name}" (has ${[...byName.keys()].join(', ')})`, { column: name });
    const got = `${e.type}${e.logical_type ? `/${e.logical_type.type}` : ''}`;
    if (e.type !== type || (logical !== undefined && e.logical_type?.type !== logical)) {
      throw new FlightsDataError(file, `expected ${type}${logical ? `/${logical}` : ''}, found ${got}`, { column: name });
    }
  };
  expect('date', 'INT64', 'TIMESTAMP');
  const date = byName.get('date')!.logical_type;
  if (date?.type === 'TIMESTAMP' && date.unit !== 'MICROS') throw new FlightsDataError(file, `timestamps in ${date.unit}, expected MICROS`, { column: 'date' });
  expect('delay', 'INT64');
  expect('distance', 'INT64');
  expect('origin', 'BYTE_ARRAY', 'STRING');
  expect('destination', 'BYTE_ARRAY', 'STRING');
}

async function openFlights(path: string) {
  try {
    statSync(path);
  } catch {
    throw new FlightsDataError(path, 'file not found');
  }
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  checkSchema(metadata, path);
  const rows = Number(metadata.num_rows);
  if (!Number.isSafeInteger(rows) || rows < 0 || rows > MAX_ROWS) throw new FlightsDataError(path, `${rows} rows: more than the ${MAX_ROWS} accepted`);
  let start = 0;
  const rowGroups = metadata.row_groups.map((g) => {
    const length = Number(g.num_rows);
    const group = { start, length };
    start += length;
    return group;
  });
  if (start !== rows) throw new FlightsDataError(path, `row groups hold ${start} rows but the footer says ${rows}`);
  return { file, metadata, info: { rows, rowGroups } satisfies FlightsFileInfo };
}

/** The number of rows and the row groups of a flights parquet file (reads the footer only). */
export async function flightsFileInfo(path: string): Promise<FlightsFileInfo> {
  return (await openFlights(path)).info;
}

/** First index i in ascending `a` with a[i] ≥ x. */
function lowerBound(a: Uint32Array, x: number): number {
  let [lo, hi] = [0, a.length];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Streams the flights of a parquet file one row group at a time (an async iterable: the caller copies what it
 * needs and the decoded group can be collected before the next is read). Only the five columns above are decoded;
 * integers arrive from hyparquet as BigInts and are converted once into Float64Arrays here.
 * @throws {FlightsDataError} for a missing file, a different schema, a null value (row and column named), or
 * unsorted `rows`.
 */
export async function* readFlightChunks(path: string, options: ReadFlightsOptions = {}): AsyncGenerator<FlightChunk> {
  const { file, metadata, info } = await openFlights(path);
  const rows = options.rows;
  if (rows !== undefined) {
    for (let i = 0; i < rows.length; i++) {
      if (rows[i] >= info.rows || (i > 0 && rows[i] <= rows[i - 1])) {
        throw new FlightsDataError(path, `options.rows must be ascending indices below ${info.rows}; rows[${i}] = ${rows[i]}`);
      }
    }
  }
  for (const group of info.rowGroups) {
    const groupEnd = group.start + group.length;
    // the selected rows of this group, as offsets within it
    const [from, to] = rows === undefined ? [0, group.length] : [lowerBound(rows, group.start), lowerBound(rows, groupEnd)];
    const length = to - from;
    if (length === 0) continue;
    const offset = (k: number) => (rows === undefined ? k : rows[from + k] - group.start);
    const chunk = {
      rowGroupStart: group.start,
      length,
      time: new Float64Array(length),
      delay: new Float64Array(length),
      distance: new Float64Array(length),
      origin: new Array<string>(length),
      destination: new Array<string>(length),
    };
    const numeric = { date: chunk.time, delay: chunk.delay, distance: chunk.distance } as const;
    const seen = new Set<string>();
    // hyparquet calls onChunk inside its own promise chains, where a throw would surface as an unhandled
    // rejection rather than from parquetRead: keep the first problem and throw it after the read
    let problem: FlightsDataError | undefined;
    await parquetRead({
      file,
      metadata,
      compressors,
      columns: [...COLUMNS],
      rowStart: group.start,
      rowEnd: groupEnd,
      // keep timestamps as numbers (the default makes a Date object per row)
      parsers: { timestampFromMicroseconds: (us: bigint) => Number(us) },
      onChunk({ columnName, columnData, rowStart, rowEnd }) {
        if (problem !== undefined) return;
        const name = columnName as Column;
        seen.add(name);
        const out: Float64Array | string[] = name === 'origin' || name === 'destination' ? chunk[name] : numeric[name];
        for (let k = 0; k < length; k++) {
          const r = group.start + offset(k); // row in the file
          if (r < rowStart || r >= rowEnd) continue; // this column chunk covers other rows
          const v = columnData[r - rowStart];
          if (v === null || v === undefined) {
            problem = new FlightsDataError(path, 'missing value', { column: name, row: r });
            return;
          }
          if (out instanceof Float64Array) out[k] = Number(v);
          else out[k] = v as string;
        }
      },
    });
    if (problem !== undefined) throw problem;
    for (const c of COLUMNS) if (!seen.has(c)) throw new FlightsDataError(path, `row group at row ${group.start} has no data`, { column: c });
    yield chunk;
  }
}
