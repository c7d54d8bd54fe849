/**
 * All tables: one per entry point of the published packages (and per namespace in them). The completeness check
 * compares each with `Object.keys` of its module, so a new export without a signature fails the harness.
 * @module
 */
import type { ModuleTable } from '../harness/entry.js';
import type { Entry } from '../harness/types.js';
import { coreRandomTable, coreTable } from './core/index.js';
import { distributionsTable } from './distributions/index.js';
import { optimNaturalTable, optimParallelTable, optimProgressTable, optimTable, optimWorkerTable } from './optim/index.js';

/** Every table. */
export const tables: readonly ModuleTable[] = [coreTable, coreRandomTable, distributionsTable, optimTable, optimNaturalTable, optimProgressTable, optimParallelTable, optimWorkerTable];

/** An entry with the table and export it belongs to. */
export interface Located {
  readonly entry: Entry;
  readonly table: ModuleTable;
  readonly exportName: string;
}

/** Every entry of every table, in table order. */
export function allEntries(): Located[] {
  const out: Located[] = [];
  for (const table of tables) {
    for (const [exportName, spec] of Object.entries(table.exports)) {
      if (Array.isArray(spec)) for (const entry of spec as readonly Entry[]) out.push({ entry, table, exportName });
    }
  }
  return out;
}
