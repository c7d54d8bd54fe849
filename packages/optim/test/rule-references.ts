/**
 * The table of issue-12 rules the rule tests share (rules-reference.test.ts, rules-trees.test.ts): for each rule and
 * new option, its constructor, a plain-number implementation of the published formula written here (coordinate by
 * coordinate, never calling the rule), the torch.optim case where the conventions agree, the state fields with a
 * declared domain and a value outside it, and bad constructions. The gradients are random but fixed.
 */
import { Tensor } from '@natgrad/core';
import {
  AMSGrad,
  AdaBelief,
  AdaDelta,
  AdaGrad,
  AdaMax,
  AdamW,
  type AnyRule,
  LAMB,
  Lion,
  NAdam,
  OAdam,
  type Params,
  RAdam,
  RMSProp,
  Rprop,
  SignDecay,
  Yogi,
  setup,
  update,
} from '@natgrad/optim';
export const STEPS = 50;
export const N = 6;

/** A small deterministic generator (LCG) of numbers in [−1, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 4294967296) * 2 - 1;
  };
}

/** Gradients of mixed sign and scale (0.01 to 3), so that sign flips and maxima both happen. */
function gradients(seed: number): number[][] {
  const r = random(seed);
  const scales = [0.01, 0.1, 0.5, 1, 2, 3];
  return Array.from({ length: STEPS }, () => Array.from({ length: N }, (_, i) => r() * scales[i] + 0.2 * scales[i] * r()));
}

export const X0 = [0.8, -1.2, 0.3, 2.5, -0.05, 1];
export const GRADS = gradients(12345);
const sign = Math.sign;
const sqrt = Math.sqrt;

/** A per-coordinate rule as a closure: called with (g, x, t) for t = 1, 2, … it returns the step. */
type Scalar = () => (g: number, x: number, t: number) => number;

/** The trajectory x₁, …, x₅₀ of a rule that acts on each coordinate alone, coordinate by coordinate. */
function elementwise(rule: Scalar): (x0: number[], grads: number[][]) => number[][] {
  return (x0, grads) => {
    const out = grads.map(() => new Array<number>(x0.length));
    for (let i = 0; i < x0.length; i++) {
      const step = rule();
      let x = x0[i];
      for (let t = 1; t <= grads.length; t++) {
        x -= step(grads[t - 1][i], x, t);
        out[t - 1][i] = x;
      }
    }
    return out;
  };
}

/** Running products βᵗ, as the rules keep them (β^t by `**` differs in the last bits, and 1 − βᵗ amplifies that). */
function powers(beta: number): () => number {
  let p = 1;
  return () => (p *= beta);
}

/** Adam's moments and bias-corrected estimates at update t, for references built on them. */
function moments(b1: number, b2: number) {
  let m = 0;
  let v = 0;
  const p1 = powers(b1);
  const p2 = powers(b2);
  return (g: number) => {
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    const c1 = 1 - p1();
    const c2 = 1 - p2();
    return { m, v, mHat: m / c1, vHat: v / c2, c1, c2 };
  };
}

const adamDirection = (b1: number, b2: number, eps: number) => {
  const next = moments(b1, b2);
  return (g: number) => {
    const { mHat, vHat } = next(g);
    return mHat / (sqrt(vHat) + eps);
  };
};

// ---------------------------------------------------------------------------------------------------------------
// The published formulas, one per rule.

const lionRef = (lr: number, b1: number, b2: number, decay: number): Scalar => () => {
  let m = 0;
  return (g, x) => {
    const c = b1 * m + (1 - b1) * g; // Chen et al. 2023, Algorithm 2
    m = b2 * m + (1 - b2) * g;
    return (sign(c) + decay * x) * lr;
  };
};

const nadamRef = (lr: number, b1: number, b2: number, eps: number): Scalar => () => {
  let m = 0;
  let v = 0;
  let p1 = 1;
  let p2 = 1;
  return (g) => {
    p1 *= b1;
    p2 *= b2;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    // Dozat 2016 as Optax writes it: the bias-corrected momentum looked ahead one step.
    const mBar = (b1 * m) / (1 - p1 * b1) + ((1 - b1) * g) / (1 - p1);
    return (mBar / (sqrt(v / (1 - p2)) + eps)) * lr;
  };
};

const radamRef = (lr: number, b1: number, b2: number, eps: number, threshold: number): Scalar => () => {
  const next = moments(b1, b2);
  const rhoInf = 2 / (1 - b2) - 1;
  let b2t = 1;
  return (g, _x, t) => {
    b2t *= b2;
    const { mHat, vHat } = next(g);
    const rho = rhoInf - (2 * t * b2t) / (1 - b2t); // Liu et al. 2020, Algorithm 2
    if (!(rho > threshold)) return mHat * lr;
    const r = sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho));
    return ((mHat / (sqrt(vHat) + eps)) * lr) * r;
  };
};

const adabeliefRef = (lr: number, b1: number, b2: number, eps: number): Scalar => () => {
  let m = 0;
  let s = 0;
  const p1 = powers(b1);
  const p2 = powers(b2);
  return (g) => {
    m = b1 * m + (1 - b1) * g;
    s = b2 * s + (1 - b2) * (g - m) ** 2 + eps; // Zhuang et al. 2020, Algorithm 2 (the updated m)
    return (m / (1 - p1()) / (sqrt(s / (1 - p2())) + eps)) * lr;
  };
};

const yogiRef = (lr: number, b1: number, b2: number, eps: number, v0: number): Scalar => () => {
  let m = v0;
  let v = v0;
  const p1 = powers(b1);
  const p2 = powers(b2);
  return (g) => {
    m = b1 * m + (1 - b1) * g;
    v = v - (1 - b2) * sign(v - g * g) * g * g; // Zaheer et al. 2018, Algorithm 2
    return (m / (1 - p1()) / (sqrt(v / (1 - p2())) + eps)) * lr;
  };
};

const adamaxRef = (lr: number, b1: number, b2: number, eps: number): Scalar => () => {
  let m = 0;
  let u = 0;
  const p1 = powers(b1);
  return (g) => {
    m = b1 * m + (1 - b1) * g;
    u = Math.max(b2 * u, Math.abs(g)); // Kingma & Ba 2015, Algorithm 2
    return ((lr / (1 - p1())) * m) / (u + eps);
  };
};

const amsgradRef = (lr: number, b1: number, b2: number, eps: number): Scalar => () => {
  let m = 0;
  let v = 0;
  let vMax = 0;
  return (g) => {
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    vMax = Math.max(vMax, v); // Reddi et al. 2018, Algorithm 2 (no bias correction)
    return (lr * m) / (sqrt(vMax) + eps);
  };
};

const adadeltaRef = (rho: number, eps: number, lr: number): Scalar => () => {
  let eg2 = 0;
  let edx2 = 0;
  return (g) => {
    eg2 = rho * eg2 + (1 - rho) * g * g; // Zeiler 2012, Algorithm 1
    const dx = (g * sqrt(edx2 + eps)) / sqrt(eg2 + eps);
    edx2 = rho * edx2 + (1 - rho) * dx * dx;
    return lr * dx;
  };
};

const rpropRef = (lr: number, etaMinus: number, etaPlus: number, lo: number, hi: number): Scalar => () => {
  let prev = 0;
  let size = lr;
  return (g) => {
    const s = sign(g * prev); // Rprop⁻ (Riedmiller & Braun 1993; Igel & Hüsken 2000)
    let gk = g;
    if (s > 0) size = Math.min(Math.max(size * etaPlus, lo), hi);
    else if (s < 0) {
      size = Math.min(Math.max(size * etaMinus, lo), hi);
      gk = 0;
    }
    prev = gk;
    return sign(gk) * size;
  };
};

const oadamRef = (lr: number, b1: number, b2: number, eps: number): Scalar => () => {
  const dir = adamDirection(b1, b2, eps);
  let before = 0;
  return (g) => {
    const a = lr * dir(g); // Daskalakis et al. 2018: 2·(this Adam step) − (the previous one)
    const step = 2 * a - before;
    before = a;
    return step;
  };
};

const signDecayRef = (lambda: number): Scalar => () => (g, x) => g + lambda * sign(x);

const adamwRef = (lr: number, b1: number, b2: number, eps: number, decay: number, couple: boolean): Scalar => () => {
  const dir = adamDirection(b1, b2, eps);
  return (g, x) => (couple ? lr * (dir(g) + decay * x) : lr * dir(g) + decay * x);
};

const rmspropRef = (lr: number, rho: number, eps: number, centred: boolean, epsInSqrt: boolean): Scalar => () => {
  let q = 0;
  let l = 0;
  return (g) => {
    q = rho * q + (1 - rho) * g * g;
    l = rho * l + (1 - rho) * g;
    const variance = centred ? Math.max(q - l * l, 0) : q;
    return epsInSqrt ? (lr * g) / sqrt(variance + eps) : (lr * g) / (sqrt(variance) + eps);
  };
};

const adagradRef = (lr: number, eps: number, acc0: number): Scalar => () => {
  let acc = acc0;
  return (g) => {
    acc += g * g;
    return (lr * g) / (sqrt(acc) + eps);
  };
};

/** LAMB acts on a whole tensor: Adam's direction plus decay, rescaled by ‖x‖/‖u‖ (You et al. 2020, Algorithm 2). */
function lambRef(lr: number, b1: number, b2: number, eps: number, decay: number) {
  return (x0: number[], grads: number[][]): number[][] => {
    const dirs = x0.map(() => adamDirection(b1, b2, eps));
    let x = [...x0];
    return grads.map((g) => {
      const u = g.map((gi, i) => dirs[i](gi) + decay * x[i]);
      const xNorm = Math.hypot(...x);
      const uNorm = Math.hypot(...u);
      const ratio = xNorm > 0 && uNorm > 0 ? xNorm / uNorm : 1;
      x = x.map((xi, i) => xi - lr * ratio * u[i]);
      return x;
    });
  };
}

// ---------------------------------------------------------------------------------------------------------------

export interface TorchCase {
  /** A `torch.optim` class. */
  readonly optimiser: string;
  readonly kwargs: Record<string, unknown>;
  /** Maps torch's trajectory to what this rule should produce (AMSGrad: torch bias-corrects). */
  readonly convert?: (x: number[][]) => number[][];
  /** Relative tolerance (the operations are the same but not in the same order). */
  readonly tol: number;
}

export interface Subject {
  readonly name: string;
  readonly make: () => AnyRule;
  readonly ref: (x0: number[], grads: number[][]) => number[][];
  readonly torch?: TorchCase;
  /** State fields with a declared domain, and a value outside it. */
  readonly outside?: Readonly<Record<string, number>>;
  readonly invalid?: readonly (() => AnyRule)[];
}

/** The steps of a trajectory (x_{t−1} − x_t), which the AMSGrad conversion rescales. */
function rescaleSteps(x0: number[], xs: number[][], factor: (t: number) => number): number[][] {
  const out: number[][] = [];
  let before = x0;
  let mine = x0;
  xs.forEach((x, k) => {
    const f = factor(k + 1);
    mine = x.map((xi, i) => mine[i] - (before[i] - xi) * f);
    out.push(mine);
    before = x;
  });
  return out;
}

export const TINY = 1e-30; // an ε that cannot matter: where torch puts ε elsewhere, both are then the same formula

export const SUBJECTS: Subject[] = [
  {
    name: 'Lion',
    make: () => Lion(0.01, 0.9, 0.99),
    ref: elementwise(lionRef(0.01, 0.9, 0.99, 0)),
    invalid: [() => Lion(-1), () => Lion(0.1, 1), () => Lion(0.1, 0.9, -0.1), () => Lion(0.1, 0.9, 0.99, -1)],
  },
  { name: 'Lion with decay', make: () => Lion(0.01, 0.9, 0.99, 0.3), ref: elementwise(lionRef(0.01, 0.9, 0.99, 0.3)) },
  {
    name: 'NAdam',
    make: () => NAdam(0.01),
    ref: elementwise(nadamRef(0.01, 0.9, 0.999, 1e-8)),
    // torch's μₜ = β₁(1 − ½·0.96^(ψt)) is β₁ for ψ → ∞: 0.96^(1e300 t) is exactly 0.
    torch: { optimiser: 'NAdam', kwargs: { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, momentum_decay: 1e300 }, tol: 1e-13 },
    outside: { v: -1, beta1t: 1, beta2t: -0.5 },
    invalid: [() => NAdam(0.01, 1), () => NAdam(0.01, 0.9, 0.999, 0)],
  },
  {
    name: 'RAdam (threshold 5, as torch)',
    make: () => RAdam(0.01, 0.9, 0.999, TINY, 5),
    ref: elementwise(radamRef(0.01, 0.9, 0.999, TINY, 5)),
    torch: { optimiser: 'RAdam', kwargs: { lr: 0.01, betas: [0.9, 0.999], eps: TINY }, tol: 1e-13 },
    outside: { v: -1, t: 0, beta1t: 1 },
    invalid: [() => RAdam(0.01, 0.9, 0.999, 1e-8, 3.9), () => RAdam(0.01, 0.9, 0.999, 1e-8, Number.NaN)],
  },
  { name: 'RAdam (threshold 4, the paper)', make: () => RAdam(0.01, 0.9, 0.99), ref: elementwise(radamRef(0.01, 0.9, 0.99, 1e-8, 4)) },
  {
    name: 'AdaBelief',
    make: () => AdaBelief(0.01),
    ref: elementwise(adabeliefRef(0.01, 0.9, 0.999, 1e-16)),
    outside: { s: -1e-3, beta2t: 1 },
    invalid: [() => AdaBelief(0.01, 0.9, 0.999, 0)],
  },
  {
    name: 'Yogi',
    make: () => Yogi(),
    ref: elementwise(yogiRef(0.01, 0.9, 0.999, 1e-3, 1e-6)),
    outside: { v: -1 },
    invalid: [() => Yogi(0.01, 0.9, 0.999, 1e-3, -1)],
  },
  { name: 'Yogi with a zero start', make: () => Yogi(0.05, 0.8, 0.99, 1e-4, 0), ref: elementwise(yogiRef(0.05, 0.8, 0.99, 1e-4, 0)) },
  {
    name: 'AdaMax',
    make: () => AdaMax(0.01, 0.9, 0.999, TINY),
    ref: elementwise(adamaxRef(0.01, 0.9, 0.999, TINY)),
    torch: { optimiser: 'Adamax', kwargs: { lr: 0.01, betas: [0.9, 0.999], eps: TINY }, tol: 1e-13 },
    outside: { u: -1, beta1t: 2 },
    invalid: [() => AdaMax(0.01, -0.1)],
  },
  {
    name: 'AMSGrad',
    make: () => AMSGrad(0.01, 0.9, 0.999, TINY),
    ref: elementwise(amsgradRef(0.01, 0.9, 0.999, TINY)),
    // torch bias-corrects: its step at update t is this rule's times √(1 − β₂ᵗ)/(1 − β₁ᵗ).
    torch: {
      optimiser: 'Adam',
      kwargs: { lr: 0.01, betas: [0.9, 0.999], eps: TINY, amsgrad: true },
      convert: (xs) => rescaleSteps(X0, xs, (t) => (1 - 0.9 ** t) / sqrt(1 - 0.999 ** t)),
      tol: 1e-13,
    },
    outside: { v: -1, vmax: -1 },
    invalid: [() => AMSGrad(0.01, 0.9, 1)],
  },
  {
    name: 'AdaDelta',
    make: () => AdaDelta(0.9, 1e-6),
    ref: elementwise(adadeltaRef(0.9, 1e-6, 1)),
    torch: { optimiser: 'Adadelta', kwargs: { lr: 1, rho: 0.9, eps: 1e-6 }, tol: 1e-13 },
    outside: { acc: -1, deltaAcc: -1 },
    invalid: [() => AdaDelta(1), () => AdaDelta(0.9, 0), () => AdaDelta(0.9, 1e-6, -1)],
  },
  {
    name: 'AdaDelta with a rate',
    make: () => AdaDelta(0.95, 1e-6, 0.5),
    ref: elementwise(adadeltaRef(0.95, 1e-6, 0.5)),
    torch: { optimiser: 'Adadelta', kwargs: { lr: 0.5, rho: 0.95, eps: 1e-6 }, tol: 1e-13 },
  },
  {
    name: 'Rprop',
    make: () => Rprop(0.01),
    ref: elementwise(rpropRef(0.01, 0.5, 1.2, 1e-6, 50)),
    torch: { optimiser: 'Rprop', kwargs: { lr: 0.01, etas: [0.5, 1.2], step_sizes: [1e-6, 50] }, tol: 1e-14 },
    outside: { stepSizes: 0 },
    invalid: [() => Rprop(0), () => Rprop(0.01, 0), () => Rprop(0.01, 0.5, 0.9), () => setup(Rprop(0.01, 0.5, 1.2, 1, 0.5), Tensor.from([1])) as never],
  },
  {
    name: 'Rprop at its bounds',
    make: () => Rprop(0.01, 0.3, 1.5, 5e-3, 0.02),
    ref: elementwise(rpropRef(0.01, 0.3, 1.5, 5e-3, 0.02)),
    torch: { optimiser: 'Rprop', kwargs: { lr: 0.01, etas: [0.3, 1.5], step_sizes: [5e-3, 0.02] }, tol: 1e-14 },
  },
  {
    name: 'OAdam',
    make: () => OAdam(0.01),
    ref: elementwise(oadamRef(0.01, 0.5, 0.9, 1e-8)),
    outside: { v: -1, beta1t: 1 },
    invalid: [() => OAdam(Number.POSITIVE_INFINITY)],
  },
  { name: 'SignDecay', make: () => SignDecay(0.05), ref: elementwise(signDecayRef(0.05)), invalid: [() => SignDecay(-1)] },
  {
    name: 'LAMB',
    make: () => LAMB(0.01),
    ref: lambRef(0.01, 0.9, 0.999, 1e-6, 0),
    outside: { v: -1, beta2t: 1 },
    invalid: [() => LAMB(0.01, 0.9, 0.999, 1e-6, -0.1)],
  },
  { name: 'LAMB with decay', make: () => LAMB(0.02, 0.8, 0.99, 1e-6, 0.1), ref: lambRef(0.02, 0.8, 0.99, 1e-6, 0.1) },
  {
    name: 'AdamW (couple = true, as torch)',
    make: () => AdamW(0.01, 0.9, 0.999, 1e-8, 0.1),
    ref: elementwise(adamwRef(0.01, 0.9, 0.999, 1e-8, 0.1, true)),
    torch: { optimiser: 'AdamW', kwargs: { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.1 }, tol: 1e-13 },
  },
  {
    name: 'AdamW (couple = false)',
    make: () => AdamW(0.01, 0.9, 0.999, 1e-8, 0.02, { couple: false }),
    ref: elementwise(adamwRef(0.01, 0.9, 0.999, 1e-8, 0.02, false)),
  },
  {
    name: 'RMSProp centred (as torch)',
    make: () => RMSProp(0.01, 0.9, 1e-8, { centred: true }),
    ref: elementwise(rmspropRef(0.01, 0.9, 1e-8, true, false)),
    torch: { optimiser: 'RMSprop', kwargs: { lr: 0.01, alpha: 0.9, eps: 1e-8, centered: true }, tol: 1e-13 },
  },
  {
    name: 'RMSProp, ε inside the root',
    make: () => RMSProp(0.01, 0.9, 1e-3, { epsInSqrt: true }),
    ref: elementwise(rmspropRef(0.01, 0.9, 1e-3, false, true)),
  },
  {
    name: 'RMSProp centred, ε inside the root',
    make: () => RMSProp(0.01, 0.9, 1e-3, { centred: true, epsInSqrt: true }),
    ref: elementwise(rmspropRef(0.01, 0.9, 1e-3, true, true)),
  },
  {
    name: 'AdaGrad with an initial accumulator (as torch)',
    make: () => AdaGrad(0.1, 1e-10, 0.5),
    ref: elementwise(adagradRef(0.1, 1e-10, 0.5)),
    torch: { optimiser: 'Adagrad', kwargs: { lr: 0.1, eps: 1e-10, initial_accumulator_value: 0.5 }, tol: 1e-13 },
    invalid: [() => AdaGrad(0.1, 1e-8, -1)],
  },
  { name: 'AdaGrad (accumulator from ε, Optimisers.jl)', make: () => AdaGrad(0.1), ref: elementwise(adagradRef(0.1, 1e-8, 1e-8)) },
];

/** The rule's trajectory on one tensor: x after each of the updates. */
export function trajectory(rule: AnyRule, x0: number[], grads: number[][]): number[][] {
  let opt = setup(rule, Tensor.from(x0));
  let x: Params = Tensor.from(x0);
  return grads.map((g) => {
    [opt, x] = update(opt, x, Tensor.from(g));
    return Array.from((x as Tensor).data);
  });
}

/** The largest |a − b| / max(|b|, 1) over two trajectories. */
export function relativeError(a: number[][], b: number[][]): number {
  let worst = 0;
  for (let t = 0; t < b.length; t++) for (let i = 0; i < b[t].length; i++) worst = Math.max(worst, Math.abs(a[t][i] - b[t][i]) / Math.max(Math.abs(b[t][i]), 1));
  return worst;
}

