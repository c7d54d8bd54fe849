/**
 * Real data sets from the `vega-datasets` npm package (read from node_modules, no network).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Row } from './data.js';

/**
 * The path of a file in vega-datasets' `data/` folder. The package's `exports` map only exposes its JS entry point
 * (not `data/…` nor `package.json`), so we resolve that entry (`build/index.js`) and step over to `data/`.
 */
export function datasetPath(file: string): string {
  const entry = createRequire(import.meta.url).resolve('vega-datasets');
  return join(dirname(entry), '..', 'data', file);
}

/** Parses a JSON data set of vega-datasets, e.g. `loadDataset('penguins.json')`. */
export function loadDataset<R extends Row = Row>(file: string): R[] {
  return JSON.parse(readFileSync(datasetPath(file), 'utf8')) as R[];
}

/** A row of `penguins.json` (Palmer penguins, 344 birds; some values are missing: `null`, or `"."` for Sex). */
export interface Penguin extends Row {
  readonly Species: 'Adelie' | 'Chinstrap' | 'Gentoo';
  readonly Island: string;
  readonly 'Beak Length (mm)': number | null;
  readonly 'Beak Depth (mm)': number | null;
  readonly 'Flipper Length (mm)': number | null;
  readonly 'Body Mass (g)': number | null;
  readonly Sex: 'MALE' | 'FEMALE' | '.' | null;
}

/** A row of `cars.json` (406 cars from the 1970s and early 80s; some values are missing). */
export interface Car extends Row {
  readonly Name: string;
  readonly Miles_per_Gallon: number | null;
  readonly Cylinders: number;
  readonly Displacement: number;
  readonly Horsepower: number | null;
  readonly Weight_in_lbs: number;
  readonly Acceleration: number;
  /** "1970-01-01" … "1982-01-01". */
  readonly Year: string;
  readonly Origin: string;
}

export const penguins = (): Penguin[] => loadDataset<Penguin>('penguins.json');
export const cars = (): Car[] => loadDataset<Car>('cars.json');
