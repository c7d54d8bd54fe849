/**
 * The tables of `@natgrad/optim` and `@natgrad/optim/progress`.
 * @module
 */
import * as optim from '@natgrad/optim';
import * as progress from '@natgrad/optim/progress';
import type { ModuleTable } from '../../harness/entry.js';
import { rulesTable } from './rules.js';
import { stateTable } from './state.js';
import { progressTable, trainTable } from './train.js';

/** `@natgrad/optim`. */
export const optimTable: ModuleTable = {
  id: '@natgrad/optim',
  module: optim as unknown as Readonly<Record<string, unknown>>,
  source: 'packages/optim/src/index.ts',
  exports: { ...rulesTable, ...stateTable, ...trainTable },
};

/** `@natgrad/optim/progress`. */
export const optimProgressTable: ModuleTable = {
  id: '@natgrad/optim/progress',
  module: progress as unknown as Readonly<Record<string, unknown>>,
  source: 'packages/optim/src/progress.ts',
  exports: progressTable,
};
