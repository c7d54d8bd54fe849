/**
 * A small benchmark harness. Benchmarks report ratios against a baseline measured in the same process (primal vs
 * derivative, ours vs a peer), since absolute times on shared machines are noisy.
 */
import os from 'node:os';

/** One table of results with a title and a short explanation. */
export interface BenchSection {
  title: string;
  /** What is measured and how to read it (markdown). */
  description: string;
  headers: string[];
  rows: (string | number)[][];
  /** Optional notes under the table (markdown). */
  notes?: string[];
}

export interface TimeOptions {
  /** Minimum total measuring time per sample batch, ms. */
  minTimeMs?: number;
  /** Number of sample batches; the median is reported. */
  samples?: number;
  /** Warm-up time, ms (lets V8 optimise the code first). */
  warmupMs?: number;
}

/** Median time per call of `fn` in milliseconds. */
export function time(fn: () => unknown, options: TimeOptions = {}): number {
  const { minTimeMs = 150, samples = 7, warmupMs = 100 } = options;
  let sink: unknown;
  const t0 = performance.now();
  let calls = 0;
  while (performance.now() - t0 < warmupMs || calls < 2) {
    sink = fn();
    calls++;
  }
  const perCall = (performance.now() - t0) / calls;
  const reps = Math.max(1, Math.ceil(minTimeMs / samples / Math.max(perCall, 1e-6)));
  const results: number[] = [];
  for (let s = 0; s < samples; s++) {
    const start = performance.now();
    for (let r = 0; r < reps; r++) sink = fn();
    results.push((performance.now() - start) / reps);
  }
  keep(sink);
  results.sort((a, b) => a - b);
  return results[Math.floor(results.length / 2)];
}

let kept: unknown;
function keep(x: unknown): void {
  kept = x;
}
export function keptValue(): unknown {
  return kept;
}

/** Formats milliseconds with a sensible unit. */
export function formatTime(ms: number): string {
  if (ms < 1e-3) return `${(ms * 1e6).toFixed(0)} ns`;
  if (ms < 1) return `${(ms * 1e3).toFixed(1)} µs`;
  if (ms < 1000) return `${ms.toFixed(2)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

export function formatRatio(x: number): string {
  return `${x.toFixed(x < 10 ? 2 : 1)}×`;
}

/** A description of the machine, for the report header. */
export function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'} (${cpus.length} cores), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ` +
    `Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** Renders a section as markdown. */
export function renderSection(s: BenchSection): string {
  const lines = [`## ${s.title}`, '', s.description, ''];
  lines.push(`| ${s.headers.join(' | ')} |`, `|${s.headers.map(() => '---').join('|')}|`);
  for (const r of s.rows) lines.push(`| ${r.join(' | ')} |`);
  if (s.notes?.length) lines.push('', ...s.notes);
  return lines.join('\n');
}

/**
 * Deterministic numbers uniform in [−1, 1) from a 32-bit LCG: benchmarks need reproducible inputs, not good
 * randomness, and bench/torch_natgrad.py draws the same stream so both sides start from the same numbers.
 */
export function lcgUniform(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    d[i] = (s / 4294967296) * 2 - 1;
  }
  return d;
}

/** A well-conditioned, exactly symmetric SPD matrix B Bᵀ/n + I (row-major, n × n) with B from {@link lcgUniform}. */
export function lcgSpd(n: number, seed: number): Float64Array {
  const b = lcgUniform(n * n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let acc = 0;
      for (let k = 0; k < n; k++) acc += b[i * n + k] * b[j * n + k];
      a[i * n + j] = a[j * n + i] = acc / n + (i === j ? 1 : 0);
    }
  }
  return a;
}
