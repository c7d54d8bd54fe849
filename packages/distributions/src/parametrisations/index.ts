/** The built-in parametrisations, by export and by name. @module */
import * as all from './all.js';

export * from './all.js';

/** Every built-in parametrisation by name (e.g. for looking one up from a checkpoint). */
export const parametrisations = Object.freeze({ ...all });
