/**
 * The tables of `@natgrad/optim`, `@natgrad/optim/natural`, `@natgrad/optim/progress`, `@natgrad/optim/parallel` and `@natgrad/optim/worker`.
 * @module
 */
import * as optim from '@natgrad/optim';
import * as natural from '@natgrad/optim/natural';
import * as progress from '@natgrad/optim/progress';
import type { ModuleTable } from '../../harness/entry.js';
import * as parallel from '@natgrad/optim/parallel';
import * as worker from '@natgrad/optim/worker';
import { definitionsTable } from './definitions.js';
import { moreTable } from './more.js';
import { naturalTable } from './natural.js';
import { parallelTable, workerTable } from './parallel.js';
import { rulesTable } from './rules.js';
import { stateTable } from './state.js';
import { progressTable, trainTable } from './train.js';

/** `@natgrad/optim`. */
export const optimTable: ModuleTable = {
  id: '@natgrad/optim',
  module: optim as unknown as Readonly<Record<string, unknown>>,
  source: 'packages/optim/src/index.ts',
  exports: { ...rulesTable, ...moreTable, ...definitionsTable, ...stateTable, ...trainTable },
};

/** `@natgrad/optim/natural`. */
export const optimNaturalTable: ModuleTable = {
  id: '@natgrad/optim/natural',
  module: natural as unknown as Readonly<Record<string, unknown>>,
  source: 'packages/optim/src/natural/index.ts',
  exports: naturalTable,
};

/** `@natgrad/optim/progress`. */
export const optimProgressTable: ModuleTable = {
  id: '@natgrad/optim/progress',
  module: progress as unknown as Readonly<Record<string, unknown>>,
  source: 'packages/optim/src/progress.ts',
  exports: progressTable,
};

/** `@natgrad/optim/parallel`. */
export const optimParallelTable: ModuleTable = {
  id: '@natgrad/optim/parallel',
  module: parallel as unknown as Readonly<Record<string, unknown>>,
  source: 'packages/optim/src/parallel/index.ts',
  exports: parallelTable,
};

/** `@natgrad/optim/worker`. */
export const optimWorkerTable: ModuleTable = {
  id: '@natgrad/optim/worker',
  module: worker as unknown as Readonly<Record<string, unknown>>,
  source: 'packages/optim/src/worker/index.ts',
  exports: workerTable,
};
