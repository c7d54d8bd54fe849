/**
 * `@natgrad-examples/shared`: what every example needs besides natgrad itself — real data sets, standardising,
 * seeded splits, plots as PNG files, and text tables. Node only (the browser-safe part is `@natgrad-examples/shared/data`).
 */
export * from './data.js';
export * from './datasets.js';
export * from './plot.js';
export * from './table.js';
