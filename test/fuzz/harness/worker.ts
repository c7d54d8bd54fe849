/**
 * The worker process: runs the cases of the entries it is sent, one at a time, under the allocation guard. Before a
 * case it writes `B <entry> <index>` and after it `R <result JSON>` to its log with synchronous writes, so that if
 * a case kills the process (out of memory, a stack overflow in native code) or hangs it, the supervisor knows which
 * case it was. Started by supervise.ts with `node --import tsx`; the tables resolve `@natgrad/*` to the package
 * sources through the tsconfig paths, as vitest's aliases do.
 * @module
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { installAllocationGuard } from './guard.js';
import { type Case, casesOf, runCase } from './run.js';
import { type CaseResult, type Entry, FAILURES } from './types.js';
import { reportAsyncError } from './async.js';

/** A job: run the cases of `entry` from case `from` on, logging to `log`. */
export interface Job {
  readonly type: 'run';
  readonly entry: string;
  readonly from: number;
  readonly log: string;
  readonly seed: number;
}

/**
 * Errors thrown asynchronously (timers, floating promises, rxjs's reportUnhandledError): an asynchronous stage that
 * is waiting fails with them; otherwise they count against the case that is running.
 */
const asynchronous: string[] = [];
const onAsync = (e: unknown) => {
  if (!reportAsyncError(e)) asynchronous.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
};
process.on('uncaughtException', onAsync);
process.on('unhandledRejection', onAsync);
// The supervisor went away (the test run ended or was killed): do not keep running.
process.on('disconnect', () => process.exit(0));

const FAILING = new Set<string>(FAILURES);

/** The case's result, turned into an untyped failure if it left an asynchronous error behind. */
function withAsynchronous(r: CaseResult): CaseResult {
  if (asynchronous.length === 0) return r;
  const message = `uncaught asynchronous error: ${asynchronous.splice(0).join('; ')}`.slice(0, 300);
  if (FAILING.has(r.kind)) return r;
  const { reason: _documented, ...rest } = r;
  return { ...rest, kind: 'untyped', error: 'uncaught', message };
}

async function main(): Promise<void> {
  // The tables to run: the real ones, or a test fixture (harness.test.ts checks the harness itself).
  const source = process.env.FUZZ_TABLES;
  const { allEntries } = (source ? await import(pathToFileURL(source).href) : await import('../table/index.js')) as {
    allEntries(): { entry: Entry }[];
  };
  // The workers must test the same sources as vitest (tsconfig paths, not a built dist/ copy).
  for (const pkg of ['@natgrad/core', '@natgrad/distributions', '@natgrad/optim', '@natgrad/optim/progress', '@natgrad/optim/parallel', '@natgrad/optim/worker']) {
    const where = import.meta.resolve(pkg);
    if (!/\/packages\/[a-z]+\/src\/([a-z]+\/)?[a-z]+\.ts$/.test(where)) throw new Error(`fuzz worker: ${pkg} resolves to ${where}, not to its sources`);
  }
  const entries = new Map<string, Entry>(allEntries().map((e) => [e.entry.name, e.entry]));
  installAllocationGuard();
  const cases = new Map<string, Case[]>();
  process.on('message', (job: Job | { type: 'exit' }) => {
    if (job.type === 'exit') process.exit(0);
    void (async () => {
      const entry = entries.get(job.entry);
      const fd = openSync(job.log, 'a');
      if (entry === undefined) {
        writeSync(fd, `X\t${job.entry}\tno such entry\n`);
      } else {
        let list = cases.get(entry.name);
        if (list === undefined) cases.set(entry.name, (list = casesOf(entry, job.seed)));
        for (let i = job.from; i < list.length; i++) {
          writeSync(fd, `B\t${entry.name}\t${i}\n`);
          const r = withAsynchronous(await runCase(entry, list[i]));
          writeSync(fd, `R\t${JSON.stringify(r)}\n`);
          // Let timers and I/O of the case run out before the next one (and stay responsive to the supervisor).
          if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
        }
      }
      closeSync(fd);
      process.send?.({ type: 'done', entry: job.entry });
    })();
  });
  process.send?.({ type: 'ready' });
}

void main();
