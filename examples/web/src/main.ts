/**
 * The live demo: two training runs in a Web Worker (`trainInWorker` on the page, `exposeTraining` in
 * src/training.worker.ts), observed here as rxjs streams and drawn on two canvases — q over the posterior's contours,
 * and the ELBO gap against the step. The worker trains at full speed; the page only receives states and draws once
 * per frame, so it stays responsive (the readout under the controls shows its frame rate and input latency). Start
 * subscribes, Stop unsubscribes (which stops the run in the worker), Start again continues from the last state; a
 * slider change while running restarts the stream from the last state with the new rate (`adjust` in the
 * worker: the optimiser's state — Adam's moments, the step counter — is kept).
 */
import { Tensor } from '@natgrad/core';
import { type RemoteTrainState, trainInWorker } from '@natgrad/optim/worker';
import type { Subscription } from 'rxjs';
import { type Q, elbo, logJoint, solve } from './problem.js';
import { RUNS, type RunConfig, type RunKey } from './runs.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $('status');
const optimum = solve();
/** The step after which the table reports each run's gap: the same budget for both. */
const GAP_AT = 50;
const worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module' });

// ── the two runs ───────────────────────────────────────────────────────────────────────────────────────────────────

class LiveRun {
  last: RemoteTrainState | undefined;
  /** gaps[k]: optimum ELBO − ELBO after k steps (each state's loss is −ELBO where its step started). */
  gaps: number[] = [];
  elbo = NaN;
  error: string | undefined;
  private subscription: Subscription | undefined;

  constructor(
    readonly key: RunKey,
    readonly color: string,
  ) {
    this.reset();
  }

  get running(): boolean {
    return this.subscription !== undefined;
  }

  get q(): Q {
    const spec = RUNS[this.key];
    return spec.toQ(this.last?.params ?? spec.params);
  }

  /** Subscribes to a run in the worker that continues from the last state (or starts from the prior). */
  start(rate: number): void {
    if (this.running) return;
    const config: RunConfig = { run: this.key, rate, resume: this.last !== undefined };
    this.error = undefined;
    this.subscription = trainInWorker(worker, config).subscribe({
      next: (s) => {
        this.last = s;
        this.gaps[s.step - 1] = Math.max(optimum.elbo + s.loss, 0);
        requestDraw();
      },
      error: (err: unknown) => {
        console.error(err);
        this.error = String(err);
        this.subscription = undefined;
        updateStatus();
        requestDraw();
      },
      complete: () => {
        this.subscription = undefined;
        updateStatus();
        requestDraw();
      },
    });
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  reset(): void {
    this.stop();
    this.last = undefined;
    this.gaps = [];
    this.updateElbo();
  }

  /** The ELBO at the latest parameters (the states' losses are the ELBOs where their steps started). */
  updateElbo(): void {
    this.elbo = elbo(this.q).item();
    this.gaps[this.last?.step ?? 0] = Math.max(optimum.elbo - this.elbo, 0);
  }
}

const natural = new LiveRun('natural', '#d6404e');
const adam = new LiveRun('adam', '#3f6fb0');
const runs = [natural, adam] as const;

// ── controls ───────────────────────────────────────────────────────────────────────────────────────────────────────

const sliders = { natural: $<HTMLInputElement>('natural-rate'), adam: $<HTMLInputElement>('adam-rate') };
const rateOf = (key: RunKey) => 10 ** Number(sliders[key].value);
const [startButton, stopButton] = [$<HTMLButtonElement>('start'), $<HTMLButtonElement>('stop')];

startButton.addEventListener('click', () => {
  for (const r of runs) r.start(rateOf(r.key));
  countFrames();
  updateStatus();
});
stopButton.addEventListener('click', () => {
  for (const r of runs) r.stop();
  updateStatus();
  requestDraw();
});
$('reset').addEventListener('click', () => {
  for (const r of runs) r.reset();
  updateStatus();
  requestDraw();
});
for (const r of runs) {
  sliders[r.key].addEventListener('input', () => {
    if (r.running) {
      r.stop();
      r.start(rateOf(r.key)); // continues from the last state with the new rate
    }
    updateStatus();
  });
}

// ── responsiveness: what the worker buys ───────────────────────────────────────────────────────────────────────────

/** Frames drawn, and input events with the delay from the event to its handler (the main thread's backlog). */
const pulse = { frames: 0, inputs: 0, maxInputDelay: 0, lastInputDelay: NaN, fps: NaN, frameTimes: [] as number[] };
function onInput(e: Event): void {
  const delay = Math.max(0, performance.now() - e.timeStamp);
  pulse.inputs++;
  pulse.lastInputDelay = delay;
  pulse.maxInputDelay = Math.max(pulse.maxInputDelay, delay);
  status.dataset.inputs = String(pulse.inputs);
  status.dataset.maxInputDelay = String(pulse.maxInputDelay);
}
for (const type of ['keydown', 'pointerdown']) window.addEventListener(type, onInput, { capture: true, passive: true });
/** Counts frames while a run is going (an idle page draws nothing). */
let counting = false;
function countFrames(): void {
  if (counting) return;
  counting = true;
  pulse.frameTimes = [];
  const frame = (now: number): void => {
    pulse.frames++;
    pulse.frameTimes.push(now);
    while (pulse.frameTimes.length > 1 && now - pulse.frameTimes[0] > 1000) pulse.frameTimes.shift();
    const span = now - pulse.frameTimes[0];
    pulse.fps = span > 0 ? ((pulse.frameTimes.length - 1) * 1000) / span : NaN;
    status.dataset.frames = String(pulse.frames);
    if (runs.some((r) => r.running)) requestAnimationFrame(frame);
    else counting = false;
  };
  requestAnimationFrame(frame);
}

// ── drawing ────────────────────────────────────────────────────────────────────────────────────────────────────────

let drawPending = false;
/** Draws at the next frame, once however many states arrive before it. */
function requestDraw(): void {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    draw();
  });
}

/** The window of the posterior plot, in coefficient space. */
const W = { x0: -2.5, x1: 5, y0: -2.5, y1: 5 };
const posteriorCanvas = $<HTMLCanvasElement>('posterior');
const elboCanvas = $<HTMLCanvasElement>('elbo');
const contours = computeContours(120);

/** When the ELBOs of the latest q were last computed: it costs the page a few ms, so at most 4 times a second. */
let elboAt = -Infinity;
function draw(): void {
  const now = performance.now();
  if (now - elboAt >= 250 || !runs.some((r) => r.running)) {
    elboAt = now;
    for (const r of runs) r.updateElbo();
  }
  updateStatus();
  drawPosterior();
  drawElbo();
}

const formatGap = (gap: number | undefined) => (gap === undefined ? '–' : gap < 1e-12 ? '< 1e-12' : gap.toExponential(2));

/**
 * The table, the buttons and the data attributes the browser test reads. Cheap, and called at once on every click
 * (so it never lags behind one) as well as at every frame.
 */
function updateStatus(): void {
  for (const r of runs) {
    const k = r.key;
    const step = r.last?.step ?? 0;
    $(`${k}-step`).textContent = r.error === undefined ? String(step) : `${step} (failed)`;
    $(`${k}-elbo`).textContent = r.elbo.toFixed(4);
    $(`${k}-gap`).textContent = formatGap(r.gaps[step]);
    $(`${k}-gap-at`).textContent = formatGap(r.gaps[GAP_AT]);
    $(`${k}-rate-value`).textContent = rateOf(k).toPrecision(2);
    status.dataset[`${k}Step`] = String(step);
    status.dataset[`${k}Elbo`] = String(r.elbo);
    status.dataset[`${k}GapAt`] = String(r.gaps[GAP_AT] ?? NaN);
  }
  const running = runs.some((r) => r.running);
  status.dataset.running = String(running);
  startButton.disabled = running;
  stopButton.disabled = !running;
  $('pulse').textContent =
    `page: ${Number.isFinite(pulse.fps) ? pulse.fps.toFixed(0) : '–'} frames/s` +
    (pulse.inputs > 0 ? `, last input handled ${pulse.lastInputDelay.toFixed(0)} ms after it happened` : '') +
    (running ? ' — while the worker trains' : '');
}

function drawPosterior(): void {
  const ctx = posteriorCanvas.getContext('2d')!;
  const { width, height } = posteriorCanvas;
  const px = (x: number) => ((x - W.x0) / (W.x1 - W.x0)) * width;
  const py = (y: number) => height - ((y - W.y0) / (W.y1 - W.y0)) * height;
  ctx.clearRect(0, 0, width, height);
  // axes through the origin
  ctx.strokeStyle = '#ccc';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(px(0), 0);
  ctx.lineTo(px(0), height);
  ctx.moveTo(0, py(0));
  ctx.lineTo(width, py(0));
  ctx.stroke();
  ctx.fillStyle = '#777';
  ctx.font = '12px sans-serif';
  ctx.fillText('w (bill depth) →', width - 110, py(0) - 6);
  ctx.save();
  ctx.translate(px(0) - 6, 110);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText('w (body mass) →', 0, 0);
  ctx.restore();
  // the exact posterior's contours
  ctx.strokeStyle = '#888';
  ctx.lineWidth = 1.2;
  ctx.beginPath();
  for (const [a, b, c, d] of contours) {
    ctx.moveTo(px(a), py(b));
    ctx.lineTo(px(c), py(d));
  }
  ctx.stroke();
  // each q: 2σ ellipse and mean
  for (const r of runs) {
    const { mu, L } = r.q;
    const [m1, m2] = mu.data;
    const [l11, , l21, l22] = L.data;
    ctx.strokeStyle = r.color;
    ctx.fillStyle = r.color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (let i = 0; i <= 96; i++) {
      const t = (2 * Math.PI * i) / 96;
      const [u, v] = [2 * Math.cos(t), 2 * Math.sin(t)];
      const [x, y] = [m1 + l11 * u, m2 + l21 * u + l22 * v];
      if (i === 0) ctx.moveTo(px(x), py(y));
      else ctx.lineTo(px(x), py(y));
    }
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(px(m1), py(m2), 3.5, 0, 2 * Math.PI);
    ctx.fill();
  }
}

function drawElbo(): void {
  const ctx = elboCanvas.getContext('2d')!;
  const { width, height } = elboCanvas;
  const m = { left: 52, right: 22, top: 12, bottom: 34 };
  const steps = Math.max(50, ...runs.map((r) => r.gaps.length - 1));
  const xEnd = niceCeil(steps);
  const [yLo, yHi] = [-10, 3]; // log10 of the gap
  const px = (k: number) => m.left + (k / xEnd) * (width - m.left - m.right);
  const py = (g: number) => m.top + ((yHi - Math.max(yLo, Math.min(yHi, Math.log10(Math.max(g, 1e-300))))) / (yHi - yLo)) * (height - m.top - m.bottom);
  ctx.clearRect(0, 0, width, height);
  ctx.font = '12px sans-serif';
  ctx.fillStyle = '#555';
  ctx.strokeStyle = '#eee';
  ctx.lineWidth = 1;
  for (let e = yLo; e <= yHi; e++) {
    ctx.beginPath();
    ctx.moveTo(m.left, py(10 ** e));
    ctx.lineTo(width - m.right, py(10 ** e));
    ctx.stroke();
    if (e % 2 === 0 || e === yHi) ctx.fillText(`1e${e}`, 8, py(10 ** e) + 4);
  }
  for (let i = 0; i <= 5; i++) {
    const k = (xEnd * i) / 5;
    ctx.fillText(String(k), px(k) - 8, height - 14);
  }
  ctx.fillText('step', width / 2 - 12, height - 1);
  for (const r of runs) {
    ctx.strokeStyle = r.color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    let first = true;
    r.gaps.forEach((g, k) => {
      // forEach skips the steps whose states the page has not (yet) received
      if (first) ctx.moveTo(px(k), py(g));
      else ctx.lineTo(px(k), py(g));
      first = false;
    });
    ctx.stroke();
  }
  ctx.fillStyle = natural.color;
  ctx.fillText('natural gradient', width - 120, 28);
  ctx.fillStyle = adam.color;
  ctx.fillText('Adam', width - 120, 44);
}

/** 50, 100, 200, 500, 1000, … ≥ n. */
function niceCeil(n: number): number {
  const p = 10 ** Math.floor(Math.log10(n));
  return ([1, 2, 5, 10].find((f) => f * p >= n) ?? 10) * p;
}

/**
 * Contour segments [x₀, y₀, x₁, y₁] of the exact log posterior at the levels of a Gaussian's 1σ, 2σ, 3σ contours
 * (max − k²/2), by marching squares on a `g × g` grid of the log joint density.
 */
function computeContours(g: number): number[][] {
  const xs = Array.from({ length: g }, (_, i) => W.x0 + ((W.x1 - W.x0) * i) / (g - 1));
  const ys = Array.from({ length: g }, (_, j) => W.y0 + ((W.y1 - W.y0) * j) / (g - 1));
  const points = Tensor.from(xs.flatMap((x) => ys.map((y) => [x, y])).flat(), [g * g, 2]);
  const v = logJoint(points); // v[i·g + j] at (xs[i], ys[j])
  const top = Math.max(...v);
  const segments: number[][] = [];
  for (const k of [1, 2, 3]) {
    const level = top - (k * k) / 2;
    for (let i = 0; i + 1 < g; i++) {
      for (let j = 0; j + 1 < g; j++) {
        // corners in order around the cell, and the level crossings on its four edges
        const c = [
          [xs[i], ys[j], v[i * g + j]],
          [xs[i + 1], ys[j], v[(i + 1) * g + j]],
          [xs[i + 1], ys[j + 1], v[(i + 1) * g + j + 1]],
          [xs[i], ys[j + 1], v[i * g + j + 1]],
        ];
        const cross: number[][] = [];
        for (let e = 0; e < 4; e++) {
          const [a, b] = [c[e], c[(e + 1) % 4]];
          if ((a[2] > level) !== (b[2] > level)) {
            const t = (level - a[2]) / (b[2] - a[2]);
            cross.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
          }
        }
        for (let s = 0; s + 1 < cross.length; s += 2) segments.push([...cross[s], ...cross[s + 1]]);
      }
    }
  }
  return segments;
}

draw();
status.dataset.ready = 'true';
