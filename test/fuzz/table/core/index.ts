/**
 * The tables of `@natgrad/core`: the package index (ops, values, transforms, linear algebra) and its `random`
 * namespace. `ops.*` is the same functions as the top-level exports, so it is checked for identity, not fuzzed twice.
 * @module
 */
import * as core from '@natgrad/core';
import { type ExportSpec, type ModuleTable, covered } from '../../harness/entry.js';
import { adTable } from './ad.js';
import { backendTable } from './backend.js';
import { decompositionsTable } from './decompositions.js';
import { factorisationsTable } from './factorisations.js';
import { linalgTable } from './linalg.js';
import { opsTable } from './ops.js';
import { randomTable } from './random.js';
import { valuesTable } from './values.js';

/** Every member of `ns` is the top-level export of the same name (so fuzzing one fuzzes the other). */
function sameAsTopLevel(ns: Readonly<Record<string, unknown>>): string[] {
  const top = core as unknown as Readonly<Record<string, unknown>>;
  return Object.keys(ns).filter((k) => ns[k] !== top[k]).map((k) => `ops.${k} is not the top-level ${k}`);
}

const ops: ExportSpec = covered('namespace of the ops: every member is the top-level export of the same name, fuzzed there', () =>
  sameAsTopLevel(core.ops as unknown as Readonly<Record<string, unknown>>),
);

const randomNs: ExportSpec = covered('namespace: fuzzed through its own table (@natgrad/core#random)', () =>
  core.random === undefined ? ['random is missing'] : [],
);

/** `@natgrad/core`. */
export const coreTable: ModuleTable = {
  id: '@natgrad/core',
  module: core as unknown as Readonly<Record<string, unknown>>,
  source: 'packages/core/src/index.ts',
  exports: { ops, random: randomNs, ...opsTable, ...linalgTable, ...decompositionsTable, ...factorisationsTable, ...valuesTable, ...adTable, ...backendTable },
};

/** `random` of `@natgrad/core`. */
export const coreRandomTable: ModuleTable = {
  id: '@natgrad/core#random',
  module: core.random as unknown as Readonly<Record<string, unknown>>,
  source: 'packages/core/src/random/index.ts',
  prefix: 'random.',
  exports: randomTable,
};
