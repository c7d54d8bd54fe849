/**
 * The airports' coordinates from vega-datasets' `airports.csv` (3 376 US airports: iata, name, city, state,
 * country, latitude, longitude; names may be quoted and contain commas).
 */
import { readFileSync, statSync } from 'node:fs';
import { FlightsDataError } from '../errors.js';

/** Coordinates by IATA code. */
export interface Airports {
  /** Latitude and longitude in degrees of an airport, or `undefined` for an unknown code. */
  readonly coordinates: ReadonlyMap<string, { readonly latitude: number; readonly longitude: number }>;
}

/** Refuse files past this size before reading them (the real one is 210 kB). */
const MAX_BYTES = 64 * 1024 * 1024;

/** Splits one CSV line into fields (RFC 4180: fields in double quotes may hold commas and doubled quotes). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (line[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** Parses the text of an airports CSV with (at least) the columns iata, latitude and longitude. */
export function parseAirports(text: string, file = 'airports.csv'): Airports {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '');
  const col = (name: string) => {
    const j = header.indexOf(name);
    if (j < 0) throw new FlightsDataError(file, `no "${name}" column in the header (${header.join(', ')})`);
    return j;
  };
  const [iata, lat, lon] = [col('iata'), col('latitude'), col('longitude')];
  const coordinates = new Map<string, { latitude: number; longitude: number }>();
  for (let r = 1; r < lines.length; r++) {
    if (lines[r] === '') continue;
    const f = splitCsvLine(lines[r]);
    const code = f[iata];
    const latitude = Number(f[lat]);
    const longitude = Number(f[lon]);
    if (!code) throw new FlightsDataError(file, 'empty airport code', { column: 'iata', row: r });
    if (!(Math.abs(latitude) <= 90)) throw new FlightsDataError(file, `latitude "${f[lat]}" is not in [−90, 90]`, { column: 'latitude', row: r });
    if (!(Math.abs(longitude) <= 180)) throw new FlightsDataError(file, `longitude "${f[lon]}" is not in [−180, 180]`, { column: 'longitude', row: r });
    if (coordinates.has(code)) throw new FlightsDataError(file, `airport "${code}" is listed twice`, { column: 'iata', row: r });
    coordinates.set(code, { latitude, longitude });
  }
  return { coordinates };
}

/**
 * Reads and parses an airports CSV file.
 * @throws {FlightsDataError} for a missing or oversized file and for the problems {@link parseAirports} finds
 */
export function readAirports(path: string): Airports {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new FlightsDataError(path, 'file not found');
  }
  if (size > MAX_BYTES) throw new FlightsDataError(path, `file is ${size} bytes, more than the ${MAX_BYTES} this reader accepts`);
  return parseAirports(readFileSync(path, 'utf8'), path);
}
