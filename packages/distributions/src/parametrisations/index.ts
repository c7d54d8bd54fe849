/** The built-in parametrisations, by export and by name. @module */
import * as all from './all.js';

export * from './all.js';

/**
 * Every built-in parametrisation by name (e.g. for looking one up from a checkpoint). A frozen null-prototype
 * record, so an untrusted name such as `"constructor"` or `"__proto__"` finds nothing.
 */
export const parametrisations: Readonly<typeof all> = Object.freeze(Object.assign(Object.create(null) as object, all) as typeof all);
