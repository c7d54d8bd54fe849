/** Reproducible, splittable random numbers (JAX-style keys). @module */
