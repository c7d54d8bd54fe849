// One-sided Jacobi SVD on rows, G = Wᵀ·diag(s)·Y (r×c G, r ≤ c): the algorithm of src/backend/js/gesvj.ts (Hestenes
// rotations, de Rijk's pivoting, Rutishauser's formulas, √c·ε orthogonality threshold, completion of rows of zero
// norm), with the row dot products and rotations in f64x2.
import { alloc, release } from './arena';
import { dotRows, powerOfTwoScale, rotateRows, swapRows } from './rows';

const EPS: f64 = 2.220446049250313e-16;
const MAX_SWEEPS: i32 = 60;
const TINY: f64 = 1.1830521861667747e-271; // 2⁻⁹⁰⁰

/**
 * G (r×c, row stride `ldg`) to Y in place, s (r values, descending) and, with `vectors`, W (r×r, row stride `ldw`).
 * @returns −1, or MAX_SWEEPS when the rows are still not orthogonal.
 */
export function gesvj(vectors: bool, r: i32, c: i32, g: usize, ldg: i32, s: usize, w: usize, ldw: i32): i32 {
  if (r == 0) return -1;
  const sg = <usize>ldg << 3, sw = <usize>ldw << 3;
  let big: f64 = 0;
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) big = max(big, Math.abs(load<f64>(g + <usize>i * sg + (<usize>j << 3))));
  const scale = powerOfTwoScale(big);
  if (scale != 1) for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) {
    const p = g + <usize>i * sg + (<usize>j << 3);
    store<f64>(p, load<f64>(p) * scale);
  }
  if (vectors) for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) store<f64>(w + <usize>i * sw + (<usize>j << 3), i == j ? 1.0 : 0.0);
  const mark = alloc(<usize>r << 3);
  const norms = mark;
  const tol = Math.sqrt(<f64>c) * EPS;
  let converged = false;
  for (let sweep = 0; sweep < MAX_SWEEPS && !converged; sweep++) {
    for (let i = 0; i < r; i++) {
      const gi = g + <usize>i * sg;
      store<f64>(norms + (<usize>i << 3), dotRows(gi, gi, c));
    }
    converged = true;
    for (let p = 0; p < r - 1; p++) {
      let best = p;
      for (let q = p + 1; q < r; q++) if (load<f64>(norms + (<usize>q << 3)) > load<f64>(norms + (<usize>best << 3))) best = q;
      if (best != p) {
        swapRows(g + <usize>p * sg, g + <usize>best * sg, c);
        if (vectors) swapRows(w + <usize>p * sw, w + <usize>best * sw, r);
        const t = load<f64>(norms + (<usize>p << 3));
        store<f64>(norms + (<usize>p << 3), load<f64>(norms + (<usize>best << 3)));
        store<f64>(norms + (<usize>best << 3), t);
      }
      const gp = g + <usize>p * sg;
      for (let q = p + 1; q < r; q++) {
        const alpha = load<f64>(norms + (<usize>p << 3)), beta = load<f64>(norms + (<usize>q << 3));
        if (alpha == 0 || beta == 0) continue;
        const gq = g + <usize>q * sg;
        const gamma = dotRows(gp, gq, c);
        if (!(Math.abs(gamma) > tol * Math.sqrt(alpha) * Math.sqrt(beta))) continue;
        converged = false;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1.0 : -1.0) / (Math.abs(zeta) + Math.hypot(1, zeta));
        const cs = 1 / Math.sqrt(1 + t * t), sn = cs * t;
        rotateRows(gp, gq, c, cs, sn);
        if (vectors) rotateRows(w + <usize>p * sw, w + <usize>q * sw, r, cs, sn);
        store<f64>(norms + (<usize>p << 3), max(0, alpha - t * gamma));
        store<f64>(norms + (<usize>q << 3), beta + t * gamma);
      }
    }
  }
  if (!converged) {
    release(mark);
    return MAX_SWEEPS;
  }
  for (let i = 0; i < r; i++) {
    const gi = g + <usize>i * sg;
    store<f64>(norms + (<usize>i << 3), Math.sqrt(dotRows(gi, gi, c)));
  }
  // selection sort, descending, carrying the rows of G and W
  for (let i = 0; i < r - 1; i++) {
    let k = i;
    for (let j = i + 1; j < r; j++) if (load<f64>(norms + (<usize>j << 3)) > load<f64>(norms + (<usize>k << 3))) k = j;
    if (k == i) continue;
    const t = load<f64>(norms + (<usize>i << 3));
    store<f64>(norms + (<usize>i << 3), load<f64>(norms + (<usize>k << 3)));
    store<f64>(norms + (<usize>k << 3), t);
    swapRows(g + <usize>i * sg, g + <usize>k * sg, c);
    if (vectors) swapRows(w + <usize>i * sw, w + <usize>k * sw, r);
  }
  if (vectors) normaliseRows(r, c, g, sg, norms);
  for (let i = 0; i < r; i++) store<f64>(s + (<usize>i << 3), load<f64>(norms + (<usize>i << 3)) / scale);
  release(mark);
  return -1;
}

/** Rows divided by their norms; rows of zero norm completed (see the JavaScript kernel). */
function normaliseRows(r: i32, c: i32, g: usize, sg: usize, norms: usize): void {
  let rank = 0;
  while (rank < r && load<f64>(norms + (<usize>rank << 3)) > TINY) {
    const row = g + <usize>rank * sg, inv = 1 / load<f64>(norms + (<usize>rank << 3));
    for (let k = 0; k < c; k++) store<f64>(row + (<usize>k << 3), load<f64>(row + (<usize>k << 3)) * inv);
    rank++;
  }
  if (rank == r) return;
  const covered = alloc(<usize>c << 3);
  for (let k = 0; k < c; k++) store<f64>(covered + (<usize>k << 3), 0);
  for (let i = 0; i < rank; i++) {
    const row = g + <usize>i * sg;
    for (let k = 0; k < c; k++) {
      const v = load<f64>(row + (<usize>k << 3));
      store<f64>(covered + (<usize>k << 3), load<f64>(covered + (<usize>k << 3)) + v * v);
    }
  }
  for (let i = rank; i < r; i++) {
    let j = 0;
    for (let k = 1; k < c; k++) if (load<f64>(covered + (<usize>k << 3)) < load<f64>(covered + (<usize>j << 3))) j = k;
    const row = g + <usize>i * sg;
    for (let k = 0; k < c; k++) store<f64>(row + (<usize>k << 3), k == j ? 1.0 : 0.0);
    for (let pass = 0; pass < 2; pass++) {
      for (let l = 0; l < i; l++) {
        const other = g + <usize>l * sg;
        const proj = dotRows(row, other, c);
        for (let k = 0; k < c; k++) store<f64>(row + (<usize>k << 3), load<f64>(row + (<usize>k << 3)) - proj * load<f64>(other + (<usize>k << 3)));
      }
    }
    const inv = 1 / Math.sqrt(dotRows(row, row, c));
    for (let k = 0; k < c; k++) {
      const v = load<f64>(row + (<usize>k << 3)) * inv;
      store<f64>(row + (<usize>k << 3), v);
      store<f64>(covered + (<usize>k << 3), load<f64>(covered + (<usize>k << 3)) + v * v);
    }
  }
}
