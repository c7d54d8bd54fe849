/**
 * The live demo in a real browser: build the page with Vite, serve it on localhost, open it in Chromium (driven by
 * playwright-core), Start, wait until both ELBOs improve, Stop, and check that the runs really stopped. Saves a
 * screenshot to examples/web/out/screenshot.png (git-ignored: a test run must not change tracked files; the README's
 * docs/images/web-demo.png is a copy of one such screenshot).
 *
 * Needs the built packages (`pnpm build`) and a Chromium: `pnpm setup:browser` installs Debian's, or set CHROMIUM_PATH.
 * Without a browser the test fails, saying so — it is not skipped.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { delimiter, dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const webRoot = fileURLToPath(new URL('..', import.meta.url));
const screenshot = join(webRoot, 'out', 'screenshot.png');

/** CHROMIUM_PATH, else a chromium / chromium-browser / google-chrome on the PATH (as scripts/setup-browser.sh looks). */
function findChromium(): string {
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
  const onPath = (process.env.PATH ?? '').split(delimiter).flatMap((dir) => names.map((n) => join(dir, n)));
  const candidates = [process.env.CHROMIUM_PATH, ...onPath, ...names.map((n) => `/usr/bin/${n}`)];
  const found = candidates.find((p): p is string => p !== undefined && p !== '' && existsSync(p));
  if (found === undefined) {
    throw new Error(
      'No Chromium found for the browser test of examples/web. Install one with `pnpm setup:browser` ' +
        "(Debian's chromium via apt-get), or point CHROMIUM_PATH at a Chromium/Chrome executable.",
    );
  }
  return found;
}

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };

/** A static file server for `dir` on a free localhost port. */
async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname));
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

describe('examples/web in Chromium', () => {
  let outDir: string;
  let server: Server | undefined;
  let url: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    const executablePath = findChromium(); // first: without a browser there is no point in building
    outDir = mkdtempSync(join(tmpdir(), 'natgrad-web-'));
    await build({ root: webRoot, configFile: join(webRoot, 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
    ({ server, url } = await serve(outDir));
    browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('runs both optimisers live, and Stop stops them', async () => {
    const page = await browser!.newPage({ viewport: { width: 1100, height: 760 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(url);
    await page.waitForSelector('#status[data-ready="true"]', { state: 'attached', timeout: 30_000 }).catch((e: Error) => {
      throw new Error(`the page did not get ready: ${e.message}\npage errors: ${errors.join('\n') || 'none'}`);
    });

    const read = () =>
      page.$eval('#status', (el) => {
        const d = (el as HTMLElement).dataset;
        return {
          running: d.running === 'true',
          naturalStep: Number(d.naturalStep),
          adamStep: Number(d.adamStep),
          naturalElbo: Number(d.naturalElbo),
          adamElbo: Number(d.adamElbo),
        };
      });
    const before = await read();
    expect(before.naturalStep).toBe(0);

    await page.click('#start');
    // wait until both runs have improved their ELBO clearly (the natural gradient converges within a few frames)
    await page.waitForFunction(
      ({ n0, a0 }) => {
        const d = (document.getElementById('status') as HTMLElement).dataset;
        return Number(d.naturalElbo) > n0 + 10 && Number(d.adamElbo) > a0 + 10 && Number(d.adamStep) >= 150;
      },
      { n0: before.naturalElbo, a0: before.adamElbo },
      { timeout: 30_000 },
    );
    const during = await read();
    expect(during.running).toBe(true);
    expect(during.naturalElbo).toBeGreaterThan(during.adamElbo); // natural gradient ahead after the same number of frames

    await page.click('#stop');
    const stopped = await read();
    expect(stopped.running).toBe(false);
    await page.waitForTimeout(500); // ~30 frames
    const later = await read();
    expect(later.naturalStep).toBe(stopped.naturalStep);
    expect(later.adamStep).toBe(stopped.adamStep);

    mkdirSync(dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(readFileSync(screenshot).length).toBeGreaterThan(20_000);
    expect(errors).toEqual([]);
  }, 90_000);
});
