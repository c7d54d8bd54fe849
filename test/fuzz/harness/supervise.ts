/**
 * The supervisor: runs entries in worker processes (worker.ts), a few at a time, and survives them. A worker that
 * dies on a case (out of memory, a native stack overflow) or stops writing to its log for `stallMs` (a synchronous
 * endless loop) is replaced; the case it was on is recorded as a `crash` and the entry continues after it.
 * @module
 */
import { type ChildProcess, fork } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseResult } from './types.js';
import type { Job } from './worker.js';

/** Options of {@link supervise}. */
export interface SuperviseOptions {
  readonly seed: number;
  /** Worker processes (default 2: the machine has two cores). */
  readonly workers?: number;
  /** A worker whose log does not grow for this long is killed and its case counted as a crash (default 20 s). */
  readonly stallMs?: number;
  /** Heap limit of a worker in MB (default 1024). */
  readonly heapMb?: number;
  /** Repository root (the workers' cwd, where tsx finds tsconfig.json). */
  readonly root: string;
  /** A module exporting `allEntries()` for the workers instead of the real tables (the harness's own test). */
  readonly tables?: string;
  /** Describes case `index` of `entry` for a crash record (slot and bad-value label). */
  readonly describe: (entry: string, index: number) => Pick<CaseResult, 'slot' | 'bad' | 'family' | 'expect'>;
}

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

interface Worker {
  readonly id: number;
  readonly child: ChildProcess;
  readonly log: string;
  offset: number;
  job: Job | undefined;
  lastSize: number;
  lastGrowth: number;
  stalled: boolean;
  exited: boolean;
  stderr: string;
  /** The case begun (`B` line) and not yet finished (`R` line). */
  open: { entry: string; index: number } | undefined;
  /** The worker has loaded the tables (a worker that dies before that cannot work at all). */
  ready: boolean;
}

/** Runs every case of `entries` and resolves with all results. */
export function supervise(entries: readonly string[], o: SuperviseOptions): Promise<CaseResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'natgrad-fuzz-'));
  const queue: { entry: string; from: number }[] = entries.map((entry) => ({ entry, from: 0 }));
  const results: CaseResult[] = [];
  const workers = new Set<Worker>();
  const stallMs = o.stallMs ?? 20_000;
  let nextId = 0;
  let restarts = 0;

  return new Promise<CaseResult[]>((resolve, reject) => {
    let finished = false;
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      clearInterval(watchdog);
      for (const w of workers) if (!w.exited) w.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      if (err) reject(err);
      else resolve(results);
    };

    /** Parses the log lines written since the last read; returns the case begun but not finished, if any. */
    const drain = (w: Worker): { entry: string; index: number } | undefined => {
      let text = '';
      try {
        const fd = openSync(w.log, 'r');
        const size = fstatSync(fd).size;
        const buf = Buffer.alloc(size - w.offset);
        readSync(fd, buf, 0, buf.length, w.offset);
        closeSync(fd);
        text = buf.toString('utf8');
      } catch {
        return w.open;
      }
      const end = text.lastIndexOf('\n') + 1;
      w.offset += Buffer.byteLength(text.slice(0, end));
      for (const line of text.slice(0, end).split('\n')) {
        const [tag, a, b] = line.split('\t');
        if (tag === 'B') w.open = { entry: a, index: Number(b) };
        else if (tag === 'R') {
          results.push(JSON.parse(line.slice(2)) as CaseResult);
          w.open = undefined;
        } else if (tag === 'X') finish(new Error(`fuzz worker: ${a}: ${b}`));
      }
      return w.open;
    };

    const dispatch = (w: Worker) => {
      const job = queue.shift();
      if (job === undefined) {
        w.job = undefined;
        w.child.send({ type: 'exit' });
        if ([...workers].every((x) => x.job === undefined)) finish();
        return;
      }
      w.job = { type: 'run', entry: job.entry, from: job.from, log: w.log, seed: o.seed };
      w.lastGrowth = Date.now();
      w.child.send(w.job);
    };

    const spawn = () => {
      const id = nextId++;
      const log = join(dir, `worker-${id}.log`);
      const child = fork(WORKER, [], {
        cwd: o.root,
        execArgv: ['--import', 'tsx', `--max-old-space-size=${o.heapMb ?? 1024}`],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        env: { ...process.env, FUZZ_WORKER: '1', ...(o.tables ? { FUZZ_TABLES: o.tables } : {}) },
      });
      const w: Worker = { id, child, log, offset: 0, job: undefined, lastSize: 0, lastGrowth: Date.now(), stalled: false, exited: false, stderr: '', open: undefined, ready: false };
      workers.add(w);
      child.stderr?.on('data', (d: Buffer) => {
        w.stderr = (w.stderr + d.toString()).slice(-4000);
      });
      child.on('message', (m: { type: string }) => {
        if (m.type === 'ready') w.ready = true;
        if (m.type === 'ready' || m.type === 'done') {
          drain(w);
          dispatch(w);
        }
      });
      child.on('exit', (code, signal) => {
        w.exited = true;
        workers.delete(w);
        if (finished) return;
        if (!w.ready) return finish(new Error(`fuzz worker failed to start (code ${code}, signal ${signal}):\n${w.stderr}`));
        const job = w.job;
        if (job === undefined) {
          if (code !== 0 && queue.length > 0) spawnOrFail();
          else if (workers.size === 0 && queue.length === 0) finish();
          return;
        }
        const open = drain(w);
        const index = open?.entry === job.entry ? open.index : undefined;
        if (index === undefined) {
          return finish(new Error(`fuzz worker died outside a case (code ${code}, signal ${signal}):\n${w.stderr}`));
        }
        const why = w.stalled ? `no progress for ${stallMs} ms (a synchronous hang)` : `worker died (code ${code}, signal ${signal})`;
        const tail = w.stderr.trim().split('\n').slice(-2).join(' | ');
        results.push({
          entry: job.entry,
          index,
          ...o.describe(job.entry, index),
          kind: 'crash',
          message: `${why}${tail ? `: ${tail}` : ''}`.slice(0, 300),
        });
        queue.unshift({ entry: job.entry, from: index + 1 });
        spawnOrFail();
      });
    };

    const spawnOrFail = () => {
      if (++restarts > 200) return finish(new Error('fuzz: more than 200 worker crashes, giving up'));
      spawn();
    };

    const watchdog = setInterval(() => {
      for (const w of workers) {
        if (w.job === undefined || w.exited) continue;
        let size = 0;
        try {
          size = statSync(w.log).size;
        } catch {
          size = 0;
        }
        if (size !== w.lastSize) {
          w.lastSize = size;
          w.lastGrowth = Date.now();
        } else if (Date.now() - w.lastGrowth > stallMs) {
          w.stalled = true;
          w.child.kill('SIGKILL');
        }
      }
    }, 500);

    const n = Math.max(1, Math.min(o.workers ?? 2, entries.length));
    if (entries.length === 0) return finish();
    for (let i = 0; i < n; i++) spawn();
  });
}
