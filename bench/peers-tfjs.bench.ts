/**
 * natgrad next to TensorFlow.js (`@tensorflow/tfjs`, CPU backend: pure JavaScript, like natgrad) in the same process:
 * (a) one Adam step on 10⁶ parameters, (b) the gradient of a logistic-regression log-likelihood, N = 10⁴, D = 50.
 * tfjs has no Cholesky, so the Gaussian-specific work (natural gradients) has no tfjs counterpart.
 */
import { Tensor, grad, ops } from '@natgrad/core';
import { Adam, type OptimiserState, type Params, setup, update } from '@natgrad/optim';
import { type BenchSection, formatRatio, formatTime, lcgUniform, time } from './harness.js';

type Tf = typeof import('@tensorflow/tfjs');

async function loadTf(): Promise<Tf | undefined> {
  try {
    const tf = (await import('@tensorflow/tfjs')) as Tf;
    await tf.setBackend('cpu');
    await tf.ready();
    return tf;
  } catch {
    return undefined;
  }
}

function adamRows(tf: Tf): (string | number)[][] {
  const N = 1_000_000;
  const opts = { minTimeMs: 600, samples: 5, warmupMs: 400 };
  const x0 = lcgUniform(N, 1);
  const g0 = lcgUniform(N, 2);

  const x = new Tensor(x0, [N]);
  const g = new Tensor(g0, [N]);
  let opt: OptimiserState = setup(Adam(1e-3), x);
  const ours = time(() => {
    const [o, p] = update(opt, x as Params, g as Params);
    opt = o;
    return p;
  }, opts);

  const v = tf.variable(tf.tensor1d(Float32Array.from(x0)), true, 'adam_x');
  const tg = tf.tensor1d(Float32Array.from(g0));
  const adam = tf.train.adam(1e-3);
  // Gradients by variable name (tfjs 4.22 types the map's values as Variables; any tensor is accepted).
  type Grads = Parameters<typeof adam.applyGradients>[0];
  const peer = time(() => adam.applyGradients({ adam_x: tg } as unknown as Grads), opts);
  // Check that both compute the same step: one step of each from the same start.
  const [, mine] = update(setup(Adam(1e-3), x), x as Params, g as Params) as [OptimiserState, Tensor];
  const fresh = tf.variable(tf.tensor1d(Float32Array.from(x0)), true, 'adam_check');
  tf.train.adam(1e-3).applyGradients({ adam_check: tg } as unknown as Grads);
  const theirs = fresh.dataSync();
  let err = 0;
  for (let i = 0; i < 1000; i++) err = Math.max(err, Math.abs(mine.data[i] - theirs[i]));
  if (!(err < 1e-5)) throw new Error(`tfjs bench: one Adam step differs from tf.train.adam by ${err}`);
  v.dispose();
  fresh.dispose();
  tg.dispose();
  adam.dispose();
  return [
    [
      'Adam step, 10⁶ parameters',
      `${formatTime(ours)} (\`update(opt, x, g)\` with \`Adam(1e-3)\`)`,
      `${formatTime(peer)} (\`tf.train.adam(1e-3).applyGradients\`)`,
      formatRatio(ours / peer),
    ],
  ];
}

function logisticRows(tf: Tf): (string | number)[][] {
  const N = 10_000, D = 50;
  const Xd = lcgUniform(N * D, 3);
  const yd = new Float64Array(N);
  const truth = lcgUniform(D, 4);
  for (let n = 0; n < N; n++) {
    let f = 0;
    for (let d = 0; d < D; d++) f += Xd[n * D + d] * truth[d];
    yd[n] = f > 0 ? 1 : 0;
  }
  const w0 = lcgUniform(D, 5).map((v) => 0.1 * v);
  const opts = { minTimeMs: 600, samples: 5, warmupMs: 400 };

  // log p(y | w) = Σₙ log σ(sₙ xₙᵀw) with sₙ = 2yₙ − 1.
  const X = new Tensor(Xd, [N, D]);
  const s = new Tensor(yd.map((y) => 2 * y - 1), [N]);
  const w = new Tensor(w0, [D]);
  const logLik = (v: Tensor) => ops.sum(ops.logSigmoid(ops.mul(s, ops.matmul(X, v))));
  const gOurs = grad(logLik);
  const ours = time(() => gOurs(w), opts);

  const tX = tf.tensor2d(Float32Array.from(Xd), [N, D]);
  const tS = tf.tensor1d(Float32Array.from(s.data));
  const tW = tf.tensor1d(Float32Array.from(w0));
  // log σ(z) as −softplus(−z): tfjs 4.22's own `tf.logSigmoid` fails in its backward pass inside `tf.tidy`.
  const gPeer = tf.grad((v: import('@tensorflow/tfjs').Tensor) =>
    tf.sum(tf.neg(tf.softplus(tf.neg(tf.mul(tS, tf.squeeze(tf.matMul(tX, tf.expandDims(v, 1)), [1])))))),
  );
  const peer = time(() => tf.tidy(() => gPeer(tW).dataSync()), opts);

  const a = (gOurs(w) as Tensor).data;
  const b = tf.tidy(() => gPeer(tW).dataSync());
  let err = 0, scale = 0;
  for (let i = 0; i < D; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(a[i]));
  }
  if (!(err <= 1e-3 * scale)) throw new Error(`tfjs bench: gradients differ (max ${err}, scale ${scale})`);
  tX.dispose();
  tS.dispose();
  tW.dispose();
  return [
    [
      'gradient of a logistic log-likelihood, N = 10⁴, D = 50',
      `${formatTime(ours)} (\`grad\`)`,
      `${formatTime(peer)} (\`tf.grad\`)`,
      formatRatio(ours / peer),
    ],
  ];
}

export default async function (): Promise<BenchSection[]> {
  const tf = await loadTf();
  const description =
    'The same computation in natgrad (**float64**, `Float64Array`) and in TensorFlow.js 4 on its `cpu` backend ' +
    '(**float32**: tfjs has no float64), one after the other in the same process, from the same inputs; the ' +
    'results are checked to agree (to float32 accuracy). Ratio = ours / tfjs (below 1 means natgrad is faster). ' +
    '(a) One Adam step on a single tensor of 10⁶ parameters: natgrad\'s `update` (fused loop, plus its ' +
    'finiteness check and a new parameter tensor — nothing in place) against `tf.train.adam(…).applyGradients` on ' +
    'a `tf.variable` (updated in place). (b) The gradient of Σₙ log σ(sₙ xₙᵀw), X 10⁴ × 50: reverse mode in both ' +
    '(`grad` vs `tf.grad`), including the forward pass.';
  if (!tf) {
    return [{
      title: 'Peers: TensorFlow.js (cpu backend)',
      description,
      headers: ['computation', 'natgrad (float64)', 'tfjs (float32)', 'ours / tfjs'],
      rows: [['—', 'skipped', '`@tensorflow/tfjs` is not installed', '—']],
    }];
  }
  const rows = [...adamRows(tf), ...logisticRows(tf)];
  return [{
    title: 'Peers: TensorFlow.js (cpu backend)',
    description,
    headers: ['computation', 'natgrad (float64)', `tfjs ${tf.version.tfjs} (float32)`, 'ours / tfjs'],
    rows,
    notes: [
      'tfjs has no Cholesky or other factorisation, so the natural-gradient computations (Cholesky, triangular ' +
        'solves and their derivatives) cannot be compared with it; see the PyTorch section for those. ' +
        'tfjs-node (native TensorFlow) or its WebGL/WASM backends would be faster than its `cpu` backend; they are ' +
        'not pure JavaScript and are not measured here. On the tfjs side log σ(z) is written −softplus(−z) ' +
        '(the same function): `tf.logSigmoid`\'s gradient fails inside `tf.tidy` in tfjs 4.22.',
    ],
  }];
}
