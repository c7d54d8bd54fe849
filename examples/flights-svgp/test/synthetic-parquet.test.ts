/**
 * The reader on small files written with hyparquet-writer: several row groups streamed in order, a null value
 * (FlightsDataError naming the column and the row), and a column of the wrong type, end to end.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { FlightsDataError } from '../src/errors.js';
import { type FlightChunk, flightsFileInfo, readFlightChunks } from '../src/data/flights.js';

const dir = mkdtempSync(join(tmpdir(), 'natgrad-flights-parquet-'));
const T0 = Date.parse('2001-03-04T05:06:00Z') * 1000; // µs

/** A flights-shaped file of n rows in row groups of `group` rows; row r has delay r and distance 100 + r. */
function write(name: string, n: number, group: number, edit: { nullDelayAt?: number; distanceType?: 'DOUBLE' } = {}): string {
  const filename = join(dir, name);
  const distanceDouble = edit.distanceType === 'DOUBLE';
  parquetWriteFile({
    filename,
    rowGroupSize: group,
    columnData: [
      { name: 'date', data: Array.from({ length: n }, (_, r) => BigInt(T0 + r * 60_000_000)) },
      { name: 'delay', data: Array.from({ length: n }, (_, r) => (r === edit.nullDelayAt ? null : BigInt(r))) },
      { name: 'distance', data: Array.from({ length: n }, (_, r) => (distanceDouble ? 100.5 + r : BigInt(100 + r))) },
      { name: 'origin', data: Array.from({ length: n }, (_, r) => (r % 2 ? 'ORD' : 'SFO')) },
      { name: 'destination', data: Array.from({ length: n }, () => 'JFK') },
    ],
    schema: [
      { name: 'root', num_children: 5 },
      { name: 'date', type: 'INT64', repetition_type: 'OPTIONAL', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' } },
      { name: 'delay', type: 'INT64', repetition_type: 'OPTIONAL' },
      { name: 'distance', type: distanceDouble ? 'DOUBLE' : 'INT64', repetition_type: 'OPTIONAL' },
      { name: 'origin', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL', converted_type: 'UTF8', logical_type: { type: 'STRING' } },
      { name: 'destination', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL', converted_type: 'UTF8', logical_type: { type: 'STRING' } },
    ],
  });
  return filename;
}

async function collect(path: string, rows?: Uint32Array): Promise<FlightChunk[]> {
  const out: FlightChunk[] = [];
  for await (const c of readFlightChunks(path, { rows })) out.push(c);
  return out;
}

describe('reading flights-shaped parquet files', () => {
  it('streams every row group in order, values intact', async () => {
    const path = write('ok.parquet', 250, 100);
    expect(await flightsFileInfo(path)).toEqual({ rows: 250, rowGroups: [{ start: 0, length: 100 }, { start: 100, length: 100 }, { start: 200, length: 50 }] });
    const chunks = await collect(path);
    expect(chunks.map((c) => [c.rowGroupStart, c.length])).toEqual([[0, 100], [100, 100], [200, 50]]);
    const last = chunks[2];
    expect([last.time[49], last.delay[49], last.distance[49], last.origin[49], last.destination[49]]).toEqual([T0 + 249 * 60_000_000, 249, 349, 'ORD', 'JFK']);
    const picked = await collect(path, Uint32Array.from([3, 150, 151, 249]));
    expect(picked.map((c) => Array.from(c.delay))).toEqual([[3], [150, 151], [249]]);
  });

  it('reports a missing value with its column and row', async () => {
    const path = write('null.parquet', 250, 100, { nullDelayAt: 123 });
    const error = await collect(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlightsDataError);
    expect(error).toMatchObject({ code: 'FLIGHTS_DATA', column: 'delay', row: 123 });
    // rows that avoid the null read fine
    await expect(collect(path, Uint32Array.from([122, 124]))).resolves.toHaveLength(1);
  });

  it('rejects a file whose column has another type before reading any data', async () => {
    const path = write('double.parquet', 10, 10, { distanceType: 'DOUBLE' });
    await expect(flightsFileInfo(path)).rejects.toThrow(/column "distance".*expected INT64, found DOUBLE/);
  });
});
