// Householder QR in place (LAPACK dgeqr2) and the formation of Q (dorg2r): the algorithm of src/backend/js/geqrf.ts
// and orgqr.ts, each reflector applied to the trailing columns as row axpys in f64x2 (wᵀ = vᵀ·A₂, A₂ −= τ·v·wᵀ).
import { alloc, release } from './arena';
import { axpyRow, powerOfTwoScale } from './rows';

@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}

/** A (m×n, row stride `lda`) ← reflectors below the diagonal and R on and above it; τ into `tau`. */
export function geqrf(m: i32, n: i32, a: usize, lda: i32, tau: usize): void {
  const k = min(m, n);
  if (k == 0) return;
  const sa = <usize>lda << 3;
  let big: f64 = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) big = max(big, Math.abs(load<f64>(at(a + <usize>i * sa, j))));
  const scale = powerOfTwoScale(big);
  if (scale != 1) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    const q = at(a + <usize>i * sa, j);
    store<f64>(q, load<f64>(q) * scale);
  }
  const mark = alloc(<usize>n << 3);
  const w = mark;
  for (let c = 0; c < k; c++) {
    const diag = at(a + <usize>c * sa, c);
    const alpha = load<f64>(diag);
    let xnorm2: f64 = 0;
    for (let i = c + 1; i < m; i++) {
      const x = load<f64>(diag + <usize>(i - c) * sa);
      xnorm2 += x * x;
    }
    if (xnorm2 == 0) {
      store<f64>(at(tau, c), 0);
      continue;
    }
    const norm = Math.sqrt(alpha * alpha + xnorm2);
    const beta = alpha >= 0 ? -norm : norm;
    const t = (beta - alpha) / beta;
    const inv = 1 / (alpha - beta);
    for (let i = c + 1; i < m; i++) {
      const q = diag + <usize>(i - c) * sa;
      store<f64>(q, load<f64>(q) * inv);
    }
    store<f64>(diag, beta);
    store<f64>(at(tau, c), t);
    applyReflector(m, c, n - c - 1, a, sa, t, w);
  }
  release(mark);
  if (scale != 1) for (let i = 0; i < k; i++) for (let j = i; j < n; j++) {
    const q = at(a + <usize>i * sa, j);
    store<f64>(q, load<f64>(q) / scale);
  }
}

/**
 * A₂ ← (I − τ·v·vᵀ)·A₂ for the reflector stored in column c (v[c] = 1, v[i] = A[i][c] below) and A₂ the rows c..
 * of the `width` columns right of c; `w` is scratch for `width` values.
 */
function applyReflector(m: i32, c: i32, width: i32, a: usize, sa: usize, t: f64, w: usize): void {
  if (width == 0) return;
  const r0 = at(a + <usize>c * sa, c + 1);
  for (let j = 0; j < width; j++) store<f64>(at(w, j), load<f64>(at(r0, j)));
  for (let i = c + 1; i < m; i++) {
    const ri = a + <usize>i * sa;
    axpyRow(load<f64>(at(ri, c)), at(ri, c + 1), w, width);
  }
  axpyRow(-t, w, r0, width);
  for (let i = c + 1; i < m; i++) {
    const ri = a + <usize>i * sa;
    axpyRow(-t * load<f64>(at(ri, c)), w, at(ri, c + 1), width);
  }
}

/** The first n columns of Q from the k reflectors in A (m×n, row stride `lda`) and `tau`, in place. */
export function orgqr(m: i32, n: i32, k: i32, a: usize, lda: i32, tau: usize): void {
  if (n == 0) return;
  const sa = <usize>lda << 3;
  for (let i = 0; i < m; i++) for (let j = k; j < n; j++) store<f64>(at(a + <usize>i * sa, j), i == j ? 1.0 : 0.0);
  const mark = alloc(<usize>n << 3);
  for (let c = k - 1; c >= 0; c--) {
    const t = load<f64>(at(tau, c));
    applyReflector(m, c, n - c - 1, a, sa, t, mark);
    for (let i = c + 1; i < m; i++) {
      const q = at(a + <usize>i * sa, c);
      store<f64>(q, load<f64>(q) * -t);
    }
    store<f64>(at(a + <usize>c * sa, c), 1 - t);
    for (let i = 0; i < c; i++) store<f64>(at(a + <usize>i * sa, c), 0);
  }
  release(mark);
}
