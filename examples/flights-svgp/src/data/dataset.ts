/**
 * The data pipeline: a seeded subset of the flights, split into a training and a fixed held-out set, read row group
 * by row group straight into preallocated row-major feature matrices, standardised with training statistics.
 */
import { InvalidArgumentError, random } from '@natgrad/core';
import { datasetPath } from '@natgrad-examples/shared';
import { readAirports } from './airports.js';
import { D, writeFeatures } from './features.js';
import { flightsFileInfo, readFlightChunks } from './flights.js';
import { chooseRows } from './split.js';
import { type ColumnStats, columnStats, standardiseInPlace } from './standardise.js';

/** n rows of D standardised features (row-major) and their delays in minutes (not standardised). */
export interface Table {
  readonly n: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/** Options of {@link loadFlights}. */
export interface LoadFlightsOptions {
  /** How many flights to use, drawn at random from the file (default: all of them). */
  readonly rows?: number;
  /** How many of those are held out for testing (default 100 000). */
  readonly testSize?: number;
  /** Seed of the subset and split (default 0). */
  readonly seed?: number;
  /** The parquet file (default: vega-datasets' flights-3m.parquet). */
  readonly flightsPath?: string;
  /** The airports' coordinates (default: vega-datasets' airports.csv). */
  readonly airportsPath?: string;
}

/** The split data set and what is needed to map back to the data's units. */
export interface FlightsData {
  readonly train: Table;
  readonly test: Table;
  /** Rows in the file. */
  readonly fileRows: number;
  /** Training means and standard deviations of the features (already applied to `x`). */
  readonly featureStats: ColumnStats;
  /** Training mean and standard deviation of the delay (the model works in standardised delay). */
  readonly target: { readonly mean: number; readonly std: number };
  /** Wall time of reading and featurising, ms. */
  readonly readMs: number;
}

function positiveInteger(name: string, v: number, max: number): number {
  if (!Number.isInteger(v) || v < 1 || v > max) throw new InvalidArgumentError(`loadFlights: ${name} must be an integer in [1, ${max}], got ${v}`);
  return v;
}

/**
 * Loads the flights: the rows of {@link chooseRows}, streamed row group by row group (only the chosen rows are copied
 * out of each decoded group), featurised into preallocated matrices and standardised with training statistics.
 * @throws {InvalidArgumentError} for sizes out of range (naming the option); {@link FlightsDataError} for bad files.
 */
export async function loadFlights(options: LoadFlightsOptions = {}): Promise<FlightsData> {
  const started = performance.now();
  const flightsPath = options.flightsPath ?? datasetPath('flights-3m.parquet');
  const airports = readAirports(options.airportsPath ?? datasetPath('airports.csv'));
  const info = await flightsFileInfo(flightsPath);
  const rows = positiveInteger('rows', options.rows ?? info.rows, info.rows);
  const testSize = positiveInteger('testSize', options.testSize ?? Math.min(100_000, Math.floor(rows / 10)), rows - 1);
  const seed = options.seed ?? 0;

  const { chosen, heldOut } = chooseRows(info.rows, rows, testSize, seed);
  const nTrain = rows - testSize;
  const train = { n: nTrain, x: new Float64Array(nTrain * D), y: new Float64Array(nTrain) };
  const test = { n: testSize, x: new Float64Array(testSize * D), y: new Float64Array(testSize) };
  let [iTrain, iTest] = [0, 0];
  for await (const chunk of readFlightChunks(flightsPath, { rows: chosen })) {
    for (let k = 0; k < chunk.length; k++) {
      // chunks come in file order, each with its chosen rows in order: row i of the stream is chosen[i]
      if (heldOut[iTrain + iTest] === 1) test.y[iTest] = writeFeatures(chunk, k, airports, test.x, iTest++, flightsPath);
      else train.y[iTrain] = writeFeatures(chunk, k, airports, train.x, iTrain++, flightsPath);
    }
  }

  const featureStats = columnStats(train.x, nTrain, D);
  standardiseInPlace(train.x, nTrain, featureStats);
  standardiseInPlace(test.x, testSize, featureStats);
  const delay = columnStats(train.y, nTrain, 1);
  return {
    train,
    test,
    fileRows: info.rows,
    featureStats,
    target: { mean: delay.mean[0], std: delay.std[0] },
    readMs: performance.now() - started,
  };
}

/** `n` rows of `table` drawn without replacement by a seeded permutation (tables are in file order, i.e. by date). */
export function sampleRows(table: Table, n: number, seed: number): Table {
  const m = Math.min(n, table.n);
  const rows = random.permutation(random.key(seed), table.n).slice(0, m);
  const x = new Float64Array(m * D);
  const y = new Float64Array(m);
  rows.forEach((r, i) => {
    for (let j = 0; j < D; j++) x[i * D + j] = table.x[r * D + j];
    y[i] = table.y[r];
  });
  return { n: m, x, y };
}
