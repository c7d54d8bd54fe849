/**
 * The data pipeline on the real files: a seeded subset and split, features joined from airports.csv and checked
 * against an independent decoding of the same rows, standardisation with training statistics, and the errors.
 */
import { InvalidArgumentError } from '@natgrad/core';
import { datasetPath } from '@natgrad-examples/shared';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAirports } from '../src/data/airports.js';
import { type FlightsData, loadFlights, sampleRows } from '../src/data/dataset.js';
import { D, FEATURES, writeFeatures } from '../src/data/features.js';
import type { FlightChunk } from '../src/data/flights.js';
import { chooseRows } from '../src/data/split.js';
import { columnStats, standardiseInPlace } from '../src/data/standardise.js';
import fc from 'fast-check';
import { FlightsDataError } from '../src/errors.js';

describe('loadFlights', () => {
  let a: FlightsData;
  beforeAll(async () => {
    a = await loadFlights({ rows: 3000, testSize: 500, seed: 5 });
  }, 60_000);

  it('splits a seeded subset into training and held-out rows, standardised with training statistics', () => {
    expect([a.train.n, a.test.n, a.fileRows]).toEqual([2500, 500, 3_000_000]);
    expect([a.train.x.length, a.test.x.length]).toEqual([2500 * D, 500 * D]);
    const s = columnStats(a.train.x, a.train.n, D);
    for (let j = 0; j < D; j++) {
      expect(s.mean[j]).toBeCloseTo(0, 10);
      expect(s.std[j]).toBeCloseTo(1, 10);
    }
    // the statistics are in the data's units: months 1–7 (1 July 2001 00:00 is the last flight), hours, miles, degrees
    expect(a.featureStats.mean[0]).toBeGreaterThan(3);
    expect(a.featureStats.mean[0]).toBeLessThan(4);
    expect(a.featureStats.mean[2]).toBeGreaterThan(11);
    expect(a.featureStats.mean[2]).toBeLessThan(16);
    expect(a.featureStats.mean[4]).toBeGreaterThan(30); // latitude of US airports
    expect(a.featureStats.mean[5]).toBeLessThan(-70); // longitude
    // delays: mean ≈ 6.7 minutes and std ≈ 32 over the whole file
    expect(a.target.mean).toBeGreaterThan(3);
    expect(a.target.mean).toBeLessThan(10);
    expect(a.target.std).toBeGreaterThan(25);
    expect(a.target.std).toBeLessThan(40);
  });

  it('rejects sizes out of range, naming the option', async () => {
    await expect(loadFlights({ rows: 0 })).rejects.toThrow(InvalidArgumentError);
    await expect(loadFlights({ rows: 3_000_001 })).rejects.toThrow(/rows must be an integer in \[1, 3000000\]/);
    await expect(loadFlights({ rows: 100, testSize: 100 })).rejects.toThrow(/testSize must be an integer in \[1, 99\]/);
    await expect(loadFlights({ airportsPath: '/nonexistent.csv' })).rejects.toThrow(/nonexistent\.csv: file not found/);
    await expect(loadFlights({ flightsPath: '/nonexistent.parquet' })).rejects.toBeInstanceOf(FlightsDataError);
  });

  it('samples rows without replacement', () => {
    const s = sampleRows(a.test, 100, 1);
    expect(s.n).toBe(100);
    const delays = new Map<string, number>();
    for (let i = 0; i < a.test.n; i++) delays.set(Array.from(a.test.x.subarray(i * D, (i + 1) * D)).join(), i);
    const rows = Array.from({ length: 100 }, (_, i) => delays.get(Array.from(s.x.subarray(i * D, (i + 1) * D)).join()));
    expect(rows.every((r) => r !== undefined && s.y[rows.indexOf(r)] === a.test.y[r])).toBe(true);
    expect(new Set(rows).size).toBe(100);
    expect(sampleRows(a.test, 10_000, 1).n).toBe(500);
  });
});

describe('chooseRows', () => {
  it('picks `rows` distinct rows in file order, `testSize` of them held out, deterministically in the seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.nat(), fc.nat(), fc.nat(1000), (fileRows, a, b, seed) => {
        const rows = 2 + (a % (fileRows - 1));
        const testSize = 1 + (b % (rows - 1));
        const { chosen, heldOut } = chooseRows(fileRows, rows, testSize, seed);
        expect(chosen).toHaveLength(rows);
        for (let i = 1; i < rows; i++) expect(chosen[i]).toBeGreaterThan(chosen[i - 1]);
        expect(chosen[rows - 1]).toBeLessThan(fileRows);
        expect(heldOut.reduce((s, v) => s + v, 0)).toBe(testSize);
        expect(chooseRows(fileRows, rows, testSize, seed)).toEqual({ chosen, heldOut });
        // the held-out rows depend on the seed and testSize only, not on how many rows train
        const all = chooseRows(fileRows, fileRows, testSize, seed);
        const held = (c: typeof all) => Array.from(c.chosen).filter((_, i) => c.heldOut[i] === 1);
        expect(held(all)).toEqual(held({ chosen, heldOut }));
      }),
      { numRuns: 200 },
    );
  });

  it('gives different splits for different seeds', () => {
    const a = chooseRows(1000, 500, 100, 0);
    const b = chooseRows(1000, 500, 100, 1);
    expect(Array.from(a.chosen)).not.toEqual(Array.from(b.chosen));
  });
});

describe('features', () => {
  it('are month, ISO weekday, hour, distance and both airports’ coordinates — checked on real rows via Date', async () => {
    const airports = readAirports(datasetPath('airports.csv'));
    const file = await asyncBufferFromFile(datasetPath('flights-3m.parquet'));
    const rows = await parquetReadObjects({ file, metadata: await parquetMetadataAsync(file), compressors, rowStart: 100, rowEnd: 103 });
    const chunk: FlightChunk = {
      rowGroupStart: 100,
      length: 3,
      time: Float64Array.from(rows, (r) => (r.date as Date).getTime() * 1000),
      delay: Float64Array.from(rows, (r) => Number(r.delay)),
      distance: Float64Array.from(rows, (r) => Number(r.distance)),
      origin: rows.map((r) => r.origin as string),
      destination: rows.map((r) => r.destination as string),
    };
    const x = new Float64Array(3 * D);
    rows.forEach((r, k) => {
      expect(writeFeatures(chunk, k, airports, x, k, 'f')).toBe(Number(r.delay));
      const d = r.date as Date;
      const o = airports.coordinates.get(r.origin as string)!;
      const t = airports.coordinates.get(r.destination as string)!;
      expect(Array.from(x.subarray(k * D, (k + 1) * D))).toEqual([
        d.getUTCMonth() + 1,
        d.getUTCDay() || 7,
        d.getUTCHours() + d.getUTCMinutes() / 60,
        Number(r.distance),
        o.latitude,
        o.longitude,
        t.latitude,
        t.longitude,
      ]);
    });
    expect(FEATURES).toHaveLength(D);
  });

  it('reject an airport that airports.csv does not list, naming it and the row', () => {
    const chunk: FlightChunk = {
      rowGroupStart: 1000,
      length: 1,
      time: Float64Array.of(0),
      delay: Float64Array.of(0),
      distance: Float64Array.of(100),
      origin: ['ORD'],
      destination: ['XXX'],
    };
    const airports = { coordinates: new Map([['ORD', { latitude: 42, longitude: -88 }]]) };
    expect(() => writeFeatures(chunk, 0, airports, new Float64Array(D), 0, 'f.parquet')).toThrow(
      /f\.parquet \(column "destination", row 1000\): airport "XXX" is not in airports\.csv/,
    );
  });

  it('standardise columns with two-pass statistics; a constant column becomes zeros', () => {
    const x = Float64Array.from([1e9 + 1, 5, 1e9 + 3, 5, 1e9 + 5, 5]);
    const s = columnStats(x, 3, 2);
    expect(Array.from(s.mean)).toEqual([1e9 + 3, 5]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 6);
    expect(s.std[1]).toBe(1);
    standardiseInPlace(x, 3, s);
    expect(Array.from(x).map((v) => +v.toFixed(6))).toEqual([-1.224745, 0, 0, 0, 1.224745, 0]);
  });
});
