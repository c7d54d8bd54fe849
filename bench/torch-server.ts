/**
 * PyTorch as an interleavable contender: bench/torch_natgrad.py runs as a server in a python3 subprocess (found when
 * an interpreter can `import torch`; Debian: `apt-get install python3-torch`), one JSON request and reply per line,
 * so the benchmark alternates PyTorch's batches with its own in one run.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { type Interface, createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Clock, Sampler } from './interleave.js';

const script = fileURLToPath(new URL('./torch_natgrad.py', import.meta.url));

/** What the server says about itself. */
export interface TorchInfo {
  torch: string;
  method: string;
  threads: number;
  blas: string[];
  python: string;
}

/** Sums of PyTorch's results for one dimension (forward mode and closed form), to check against ours. */
export interface TorchChecksums {
  checksum_mu: number;
  checksum_L: number;
  closed_mu: number;
  closed_L: number;
}

/** A running torch_natgrad.py server. */
export class TorchServer {
  private readonly pending: ((line: string) => void)[] = [];

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly info: TorchInfo,
    lines: Interface,
  ) {
    lines.on('line', (l) => this.pending.shift()?.(l));
  }

  /** Starts the server with the first python3 that imports torch, or explains why there is none. */
  static async start(): Promise<{ server?: TorchServer; note: string }> {
    const candidates = [...new Set([process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((x): x is string => !!x))];
    const tried: string[] = [];
    for (const py of candidates) {
      const probe = spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60_000 });
      if (probe.error || probe.status !== 0) {
        tried.push(py);
        continue;
      }
      // One thread everywhere (torch's intra-op pool, OpenMP, OpenBLAS), like the single-threaded JavaScript side.
      const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
      const child = spawn(py, [script, '--serve'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const lines = createInterface({ input: child.stdout });
      const first = await new Promise<string | null>((resolve) => {
        lines.once('line', resolve);
        child.once('exit', () => resolve(null));
      });
      if (first === null) return { note: `${py} ${script} --serve failed: ${stderr.slice(-500)}` };
      const info = { ...(JSON.parse(first) as Omit<TorchInfo, 'python'>), python: py };
      return { server: new TorchServer(child, info, lines), note: '' };
    }
    return { note: `no python3 with torch found (tried ${tried.map((t) => `\`${t}\``).join(', ')}); on Debian: \`apt-get install python3-torch\`` };
  }

  private request<T>(req: object): Promise<T> {
    return new Promise((resolve, reject) => {
      this.pending.push((line) => {
        const r = JSON.parse(line) as T & { error?: string };
        if (r.error) reject(new Error(`torch_natgrad.py: ${r.error}`));
        else resolve(r);
      });
      this.child.stdin.write(`${JSON.stringify(req)}\n`);
    });
  }

  /** Builds the inputs of dimension d on the server and returns the sums of its results. */
  setup(d: number): Promise<TorchChecksums> {
    return this.request({ cmd: 'setup', d });
  }

  /** A sampler timing PyTorch's forward mode (`'jvp'`) or closed form (`'closed'`) at dimension d (after setup). */
  sampler(d: number, what: 'jvp' | 'closed', clock: Clock = 'cpu'): Sampler {
    return async (batchMs) => (await this.request<{ ms: number }>({ cmd: 'time', d, what, batch_ms: batchMs, clock })).ms;
  }

  /** Stops the server. */
  async stop(): Promise<void> {
    this.child.stdin.write(`${JSON.stringify({ cmd: 'quit' })}\n`);
    this.child.stdin.end();
    await new Promise((resolve) => (this.child.exitCode !== null ? resolve(null) : this.child.once('exit', resolve)));
  }
}

/** Names the BLAS torch loaded: Debian's torch is only as fast as the system libblas.so.3. */
export function describeBlas(paths: string[]): string {
  const names = paths.map((p) => p.replace(/^.*\/x86_64-linux-gnu\//, ''));
  if (paths.some((p) => /openblas/i.test(p))) return `OpenBLAS (${names.join(', ')})`;
  if (paths.some((p) => /mkl/i.test(p))) return 'MKL';
  if (paths.length) return `the reference BLAS (${names.join(', ')}) — install \`libopenblas0\` for a fast one`;
  return 'unknown';
}
