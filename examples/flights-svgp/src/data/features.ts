/**
 * The model's inputs: eight numbers per flight, from the departure time, the distance and the two airports'
 * coordinates (airports.csv, joined on the IATA code).
 */
import { FlightsDataError } from '../errors.js';
import type { Airports } from './airports.js';
import { hourOfDay, isoDayOfWeek, monthOfYear } from './calendar.js';
import type { FlightChunk } from './flights.js';

/** The feature columns, in order. */
export const FEATURES = [
  'month',
  'day of week',
  'hour of day',
  'distance',
  'origin latitude',
  'origin longitude',
  'destination latitude',
  'destination longitude',
] as const;

/** Number of features per flight. */
export const D = FEATURES.length;

/**
 * Writes the features of row `k` of `chunk` into `x` at row `row` (row-major, D columns) and returns its delay.
 * @throws {FlightsDataError} for an airport code that airports.csv does not list.
 */
export function writeFeatures(chunk: FlightChunk, k: number, airports: Airports, x: Float64Array, row: number, file: string): number {
  const origin = airports.coordinates.get(chunk.origin[k]);
  const destination = airports.coordinates.get(chunk.destination[k]);
  if (origin === undefined || destination === undefined) {
    const [code, column] = origin === undefined ? [chunk.origin[k], 'origin'] : [chunk.destination[k], 'destination'];
    throw new FlightsDataError(file, `airport "${code}" is not in airports.csv`, { column, row: chunk.rowGroupStart + k });
  }
  const t = chunk.time[k];
  const o = row * D;
  x[o] = monthOfYear(t);
  x[o + 1] = isoDayOfWeek(t);
  x[o + 2] = hourOfDay(t);
  x[o + 3] = chunk.distance[k];
  x[o + 4] = origin.latitude;
  x[o + 5] = origin.longitude;
  x[o + 6] = destination.latitude;
  x[o + 7] = destination.longitude;
  return chunk.delay[k];
}
