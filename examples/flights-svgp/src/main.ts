/**
 * The flights SVGP example. `pnpm start` runs the full example (3 million flights); `pnpm start -- --quick` the
 * quick mode the test runs. Prints the scores and timings, writes out/curves.png, out/summary.json, out/summary.md.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printTable, renderPng } from '@natgrad-examples/shared';
import { FULL, QUICK } from './options.js';
import { curvesPlot } from './plot.js';
import { run } from './run.js';
import { scoreRows, summaryJson, summaryMarkdown, timingRows } from './summary.js';

const quick = process.argv.includes('--quick');
const r = await run({}, quick ? QUICK : FULL, (line) => console.log(line));

console.log(`\n${quick ? 'quick mode' : 'full run'}: ${r.nTrain} training flights, ${r.nTest} held out\n`);
printTable(['method', 'held-out RMSE (min)', 'NLPD (nats/flight)'], scoreRows(r));
console.log('');
printTable(['time', 'value'], timingRows(r));

const out = (file: string) => fileURLToPath(new URL(`../out/${file}`, import.meta.url));
await renderPng(curvesPlot(r), out('curves.png'));
writeFileSync(out('summary.json'), `${JSON.stringify(summaryJson(r), null, 2)}\n`);
writeFileSync(out('summary.md'), summaryMarkdown(r));
console.log(`\nwrote ${out('curves.png')}, summary.json, summary.md`);
