/**
 * The live demo: two training runs as rxjs streams on `animationFrameScheduler` (one step per frame each), drawn on
 * two canvases — q over the posterior's contours, and the ELBO gap against the step. Start subscribes, Stop
 * unsubscribes (which stops the run), Start again continues from the last state; a slider change while running
 * restarts the stream from the last state with `setHyperparams` (the optimiser's state — Adam's moments, the
 * step counter — is kept).
 */
import { Tensor, ops } from '@natgrad/core';
import { Adam, type AnyRule, Descent, NaturalGradient, type Params, type TrainState, injectHyperparams, setHyperparams, train } from '@natgrad/optim';
import { type Subscription, animationFrameScheduler } from 'rxjs';
import { type Gaussian, meanLogCholesky } from '@natgrad/distributions';
import { type Q, elbo, logJoint, solve } from './problem.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $('status');
const optimum = solve();
const MAX_STEPS = 5000;

// ── the two runs ───────────────────────────────────────────────────────────────────────────────────────────────────

interface RunSpec<P extends Params> {
  readonly key: 'natural' | 'adam';
  readonly color: string;
  /** The rule, its rate wrapped in `injectHyperparams` so that the slider can change it mid-run. */
  readonly rule: (rate: number) => AnyRule;
  readonly params: P;
  readonly toQ: (p: P) => Q;
}

class LiveRun<P extends Params> {
  last: TrainState<P> | undefined;
  /** Gap to the optimum ELBO after k = 0, 1, … steps. */
  gaps: number[] = [];
  elbo = NaN;
  private subscription: Subscription | undefined;

  constructor(readonly spec: RunSpec<P>) {
    this.reset();
  }

  get running(): boolean {
    return this.subscription !== undefined;
  }

  get q(): Q {
    return this.spec.toQ(this.last?.params ?? this.spec.params);
  }

  /** Subscribes to a run that continues from the last state (or starts from the prior). */
  start(rate: number): void {
    if (this.running) return;
    const optimiser = this.last ? setHyperparams(this.last.optimiser, { lr: rate }) : this.spec.rule(rate);
    const run$ = train({
      objective: (p: P) => ops.neg(elbo(this.spec.toQ(p))),
      params: this.last?.params ?? this.spec.params,
      optimiser,
      steps: MAX_STEPS,
      scheduler: animationFrameScheduler, // one slice of work per frame …
      yieldEvery: 1, // … of one step
    });
    this.subscription = run$.subscribe({
      next: (s) => {
        this.last = s;
        this.record();
        requestDraw();
      },
      error: (err: unknown) => {
        console.error(err);
        this.subscription = undefined;
        requestDraw();
      },
      complete: () => {
        this.subscription = undefined;
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
    this.record();
  }

  private record(): void {
    this.elbo = elbo(this.q).item();
    this.gaps.push(Math.max(optimum.elbo - this.elbo, 0));
  }
}

/** q in (μ, L) from Adam's unconstrained log-Cholesky parameters (L = tril(A, −1) + diag(exp(diag A))). */
const fromLogCholesky = (p: Gaussian<'mu' | 'A'>) => ({ mu: p.mu, L: meanLogCholesky.toScale(p) });

const natural = new LiveRun({
  key: 'natural',
  color: '#d6404e',
  rule: (rate) => NaturalGradient(injectHyperparams(Descent(rate))), // θ-steps of size `rate`
  params: { mu: Tensor.zeros([2]), L: Tensor.eye(2) },
  toQ: (q) => q,
});
const adam = new LiveRun({
  key: 'adam',
  color: '#3f6fb0',
  rule: (rate) => injectHyperparams(Adam(rate)),
  params: { mu: Tensor.zeros([2]), A: Tensor.zeros([2, 2]) }, // A = 0: L = I, the prior
  toQ: (p) => fromLogCholesky(p) as Q,
});
const runs = [natural, adam] as const;

// ── controls ───────────────────────────────────────────────────────────────────────────────────────────────────────

const sliders = { natural: $<HTMLInputElement>('natural-rate'), adam: $<HTMLInputElement>('adam-rate') };
const rateOf = (key: 'natural' | 'adam') => 10 ** Number(sliders[key].value);
const [startButton, stopButton] = [$<HTMLButtonElement>('start'), $<HTMLButtonElement>('stop')];

startButton.addEventListener('click', () => {
  for (const r of runs) r.start(rateOf(r.spec.key));
  requestDraw();
});
stopButton.addEventListener('click', () => {
  for (const r of runs) r.stop();
  requestDraw();
});
$('reset').addEventListener('click', () => {
  for (const r of runs) r.reset();
  requestDraw();
});
for (const r of runs) {
  sliders[r.spec.key].addEventListener('input', () => {
    if (r.running) {
      r.stop();
      r.start(rateOf(r.spec.key)); // continues from the last state with the new rate
    }
    requestDraw();
  });
}

// ── drawing ────────────────────────────────────────────────────────────────────────────────────────────────────────

let drawPending = false;
function requestDraw(): void {
  // The status (text, buttons, data attributes read by the browser test) is cheap and must never lag behind a
  // click, so it is updated now; only the canvases wait for the next frame.
  updateStatus();
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

function draw(): void {
  updateStatus();
  drawPosterior();
  drawElbo();
}

function updateStatus(): void {
  for (const r of runs) {
    const k = r.spec.key;
    const step = r.last?.step ?? 0;
    $(`${k}-step`).textContent = String(step);
    $(`${k}-elbo`).textContent = r.elbo.toFixed(4);
    const gap = r.gaps[r.gaps.length - 1];
    $(`${k}-gap`).textContent = gap < 1e-12 ? '< 1e-12' : gap.toExponential(2);
    $(`${k}-rate-value`).textContent = rateOf(k).toPrecision(2);
    status.dataset[`${k}Step`] = String(step);
    status.dataset[`${k}Elbo`] = String(r.elbo);
  }
  const running = runs.some((r) => r.running);
  status.dataset.running = String(running);
  startButton.disabled = running;
  stopButton.disabled = !running;
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
    ctx.strokeStyle = r.spec.color;
    ctx.fillStyle = r.spec.color;
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
    ctx.strokeStyle = r.spec.color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    r.gaps.forEach((g, k) => (k === 0 ? ctx.moveTo(px(k), py(g)) : ctx.lineTo(px(k), py(g))));
    ctx.stroke();
  }
  ctx.fillStyle = natural.spec.color;
  ctx.fillText('natural gradient', width - 120, 28);
  ctx.fillStyle = adam.spec.color;
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
