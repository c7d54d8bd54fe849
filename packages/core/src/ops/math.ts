/** Elementwise math, comparisons, reductions, matrix helpers and creation functions. @module */
