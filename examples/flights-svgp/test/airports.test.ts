/** Parsing airports.csv: quoted fields, validation with file, column and row in the error. */
import { describe, expect, it } from 'vitest';
import { datasetPath } from '@natgrad-examples/shared';
import { parseAirports, readAirports, splitCsvLine } from '../src/data/airports.js';
import { FlightsDataError } from '../src/errors.js';

describe('airports.csv', () => {
  it('splits CSV lines with quoted commas and doubled quotes', () => {
    expect(splitCsvLine('35A,"Union County, Troy Shelton",Union,SC,USA,34.68,-81.64')).toEqual([
      '35A', 'Union County, Troy Shelton', 'Union', 'SC', 'USA', '34.68', '-81.64',
    ]);
    expect(splitCsvLine('a,"say ""hi""",,b')).toEqual(['a', 'say "hi"', '', 'b']);
    expect(splitCsvLine('')).toEqual(['']);
  });

  it('reads the real file: every airport with coordinates, quoted names included', () => {
    const { coordinates } = readAirports(datasetPath('airports.csv'));
    expect(coordinates.size).toBe(3376);
    expect(coordinates.get('ORD')).toEqual({ latitude: 41.979595, longitude: -87.90446417 });
    expect(coordinates.get('BTR')?.latitude).toBeCloseTo(30.53316083, 8); // "Baton Rouge Metropolitan, Ryan"
  });

  it('rejects missing columns, bad coordinates and duplicates, saying where', () => {
    const header = 'iata,name,latitude,longitude';
    const error = (text: string) => {
      try {
        parseAirports(text, 'a.csv');
      } catch (e) {
        return e as FlightsDataError;
      }
      throw new Error('expected an error');
    };
    expect(error('iata,name,lat,longitude\nX,x,1,2')).toBeInstanceOf(FlightsDataError);
    expect(error('iata,name,lat,longitude\nX,x,1,2').message).toMatch(/no "latitude" column/);
    const bad = error(`${header}\nAAA,a,10,20\nBBB,b,95,20`);
    expect([bad.code, bad.file, bad.column, bad.row]).toEqual(['FLIGHTS_DATA', 'a.csv', 'latitude', 2]);
    expect(error(`${header}\nAAA,a,10,abc`).column).toBe('longitude');
    expect(error(`${header}\nAAA,a,10,20\nAAA,b,11,21`).message).toMatch(/"AAA" is listed twice/);
    expect(error(`${header}\n,a,10,20`).message).toMatch(/empty airport code/);
  });
});
