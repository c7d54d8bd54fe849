/**
 * Runs one benchmark file in this (fresh) process and writes its sections as JSON to the path given: `bench/run.ts`
 * starts one of these per file, so no section inherits another's heap, retained data or compiled code, and the
 * order of the files does not change what each measures.
 * Usage (by run.ts): tsx bench/section.ts <file.bench.ts> <out.json>
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { BenchSection } from './harness.js';

const [file, out] = process.argv.slice(2);
if (!file || !out) throw new Error('usage: tsx bench/section.ts <file.bench.ts> <out.json>');
const mod = (await import(pathToFileURL(file).href)) as { default: () => Promise<BenchSection[]> | BenchSection[] };
writeFileSync(out, JSON.stringify(await mod.default()));
