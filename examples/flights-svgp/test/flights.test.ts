/**
 * Reading flights-3m.parquet row group by row group: the layout, a row subset against the whole groups it comes
 * from, our typed columns against hyparquet's own object rows (a different decoding path), and the errors.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { beforeAll, describe, expect, it } from 'vitest';
import { datasetPath } from '@natgrad-examples/shared';
import { FlightsDataError } from '../src/errors.js';
import { type FlightChunk, type FlightsFileInfo, checkSchema, flightsFileInfo, readFlightChunks } from '../src/data/flights.js';

const path = datasetPath('flights-3m.parquet');

async function collect(rows?: Uint32Array): Promise<FlightChunk[]> {
  const out: FlightChunk[] = [];
  for await (const c of readFlightChunks(path, { rows })) out.push(c);
  return out;
}

describe('flights-3m.parquet', () => {
  let info: FlightsFileInfo;
  beforeAll(async () => {
    info = await flightsFileInfo(path);
  });

  it('has 3 000 000 rows in 11 row groups', () => {
    expect(info.rows).toBe(3_000_000);
    expect(info.rowGroups).toHaveLength(11);
    expect(info.rowGroups[1]).toEqual({ start: 272_727, length: 272_727 });
  });

  it('streams selected rows of the groups that hold them, equal to hyparquet object rows', async () => {
    // rows at both ends of the file and across a row-group boundary; group 2 … 9 hold none and are skipped
    const rows = Uint32Array.from([0, 1, 272_726, 272_727, 272_728, 2_999_999]);
    const chunks = await collect(rows);
    expect(chunks.map((c) => [c.rowGroupStart, c.length])).toEqual([[0, 3], [272_727, 2], [2_727_270, 1]]);
    const ours = chunks.flatMap((c) => Array.from({ length: c.length }, (_, k) => ({
      time: c.time[k], delay: c.delay[k], distance: c.distance[k], origin: c.origin[k], destination: c.destination[k],
    })));
    const file = await asyncBufferFromFile(path);
    const metadata = await parquetMetadataAsync(file);
    // hyparquet decodes a row group per call: three calls for the three runs of consecutive rows
    const reference = [];
    for (const [rowStart, rowEnd] of [[0, 2], [272_726, 272_729], [2_999_999, 3_000_000]]) {
      reference.push(...(await parquetReadObjects({ file, metadata, compressors, rowStart, rowEnd })));
    }
    expect(ours).toEqual(
      reference.map((row) => ({
        time: (row.date as Date).getTime() * 1000,
        delay: Number(row.delay),
        distance: Number(row.distance),
        origin: row.origin,
        destination: row.destination,
      })),
    );
    expect(new Date(ours[0].time / 1000).toISOString()).toBe('2001-01-01T00:01:00.000Z'); // sorted by date
  });

  it('reads a whole row group when no rows are selected, consistent with the subset', async () => {
    let first: FlightChunk | undefined;
    for await (const c of readFlightChunks(path)) {
      first = c;
      break; // leaving the loop stops the stream: later groups are never decoded
    }
    expect(first!.length).toBe(272_727);
    const [sub] = await collect(Uint32Array.from([5, 77, 100_000]));
    expect(Array.from(sub.delay)).toEqual([first!.delay[5], first!.delay[77], first!.delay[100_000]]);
    expect(sub.origin).toEqual([first!.origin[5], first!.origin[77], first!.origin[100_000]]);
  });

  it('rejects a missing file, a different schema and bad row lists with FlightsDataError', async () => {
    await expect(flightsFileInfo('/nonexistent/flights.parquet')).rejects.toThrow(/file not found/);
    await expect(collect(Uint32Array.from([5, 5]))).rejects.toThrow(/ascending.*rows\[1\] = 5/);
    await expect(collect(Uint32Array.from([3_000_000]))).rejects.toBeInstanceOf(FlightsDataError);

    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(path));
    const schema = metadata.schema;
    expect(() => checkSchema({ schema }, 'f')).not.toThrow();
    const without = schema.filter((e) => e.name !== 'delay');
    expect(() => checkSchema({ schema: without }, 'f')).toThrow(/no column "delay"/);
    const retyped = schema.map((e) => (e.name === 'distance' ? { ...e, type: 'DOUBLE' as const } : e));
    try {
      checkSchema({ schema: retyped }, 'f.parquet');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FlightsDataError);
      expect((e as FlightsDataError).column).toBe('distance');
      expect((e as FlightsDataError).message).toMatch(/expected INT64, found DOUBLE/);
    }
  });
});
