/**
 * Signatures of core's transforms: forward and reverse mode, their options, the functions they return, user rules
 * (`customJvp`, `customVjp`) and primitives (`definePrimitive`, `bind`). A user function returning garbage must be
 * met with a typed error; NaN data propagates through derivatives as through the maths.
 * @module
 */
import * as core from '@natgrad/core';
import { Tensor, type Value, ops } from '@natgrad/core';
import { bad } from '../../harness/hostile.js';
import { type ExportSpec, apply, call, covered, stage } from '../../harness/entry.js';
import { array, bool, fn, int, list, options, slot, axis } from '../../harness/slots.js';
import type { Expect, Slot } from '../../harness/types.js';
import { tensor } from '../../harness/values.js';

const x3 = (name = 'x') => array(name, { shape: [3], badShapes: [[4]] });
/** The argument of a function a transform returned: any shape works (the function is elementwise or a sum). */
const anyX = () => array('x', { shape: [3], anyShape: true });
const primals = () => list('primals', x3(), 1, { holes: 'any' });
const tangent = (name = 't') => array(name, { shape: [3], badShapes: [[4]], seed: 2 });

/** Results a transformed function must not return. */
const garbage: readonly (readonly [string, unknown, Expect?])[] = [
  ['a string', 'abc'],
  ['a symbol', Symbol('fuzz')],
  ['a Date', new Date(0)],
  ['NaN', NaN, 'ieee'],
];
const scalarGarbage = [...garbage, ['a vector', Tensor.from([1, 2])] as const, ['undefined', undefined] as const];

const elementwise = () => fn('f', () => (x: Value) => ops.sin(x), { garbage });
/**
 * The valid callbacks hand their argument to `ops.sin`. The transforms pass argument trees through unchanged (as
 * JAX does), so an argument that is a valid tree but no array (`undefined`, `{}`, a list of tensors) reaches sin,
 * whose typed error names sin: the right answer, so sin is a name those errors may use.
 */
const CALLBACK_OPS = ['sin'];

/** customJvp/customVjp callbacks the later stage never runs (jvp applies the rule, grad fwd and bwd): not observable. */
const unrunF = {
  'async callback (returns a Promise)': 'any',
  'callback returning a string': 'any',
  'callback returning a symbol': 'any',
  'callback returning a Date': 'any',
} as const;
const scalarFn = () => fn('f', () => (x: Value) => ops.sum(ops.sin(x)), { garbage: scalarGarbage });
const scalarToScalar = () => fn('f', () => (x: Value) => ops.mul(x, x), { garbage });

const gradOptions = () =>
  options('options', {
    argnums: axis('argnums', { rank: 1, list: true, valid: 0 }),
    hasAux: bool('hasAux', { valid: false }),
  }, { optional: true });

const chunkOptions = () => options('options', { chunkSize: int('chunkSize', { valid: 2, min: 1 }) }, { optional: true });

/** A primitive made with `definePrimitive` for `bind`: elementwise doubling. */
const doubling = core.definePrimitive({
  name: 'fuzzDouble',
  impl: ([x]) => new Tensor(x.data.map((v) => 2 * v), x.shape),
  jvp: ([t]) => ops.mul(t!, 2),
  vjp: (ct) => [ops.mul(ct, 2)],
});

const primitiveSpec = () =>
  options('def', {
    name: slot('name', () => 'fuzzPrim', [bad('number', () => 5, 'reject', 'type'), bad('empty string', () => '', 'any', 'domain')]),
    impl: fn('impl', () => ([x]: Tensor[]) => new Tensor(x.data.slice(), x.shape), { garbage: [['a string', 'abc'], ['a plain array', [1, 2]], ['undefined', undefined]] }),
  }, { valid: () => ({ name: 'fuzzPrim', impl: ([x]: Tensor[]) => new Tensor(x.data.slice(), x.shape) }), required: ['name', 'impl'] });

const primitive: Slot = slot('prim', () => doubling, [
  bad('null', () => null, 'reject', 'type'),
  bad('string', () => 'exp', 'reject', 'type'),
  bad('object without impl', () => ({ name: 'x' }), 'reject', 'type'),
  bad('impl returning a string', () => ({ name: 'x', impl: () => 'abc' }), 'reject', 'callback'),
]);

/** The customVjp rule `{ fwd, bwd }`. */
const vjpRule = () =>
  options('rule', {
    fwd: fn('fwd', () => (x: Value) => [ops.sin(x), x], { garbage: [['a string', 'abc'], ['a one-element array', [1]], ['undefined', undefined]] }),
    bwd: fn('bwd', () => (x: Value, ct: Value) => [ops.mul(ct, ops.cos(x))], { garbage: [['a string', 'abc'], ['a wrong-shaped cotangent', [Tensor.zeros([4])]], ['undefined', undefined]] }),
  }, { valid: () => ({ fwd: (x: Value) => [ops.sin(x), x], bwd: (x: Value, ct: Value) => [ops.mul(ct, ops.cos(x))] }), required: ['fwd', 'bwd'], strict: false });

/** Core's transforms, by export name. */
export const adTable: Readonly<Record<string, ExportSpec>> = {
  jacobian: covered('the same function as jacfwd (its ForwardDiff name), fuzzed there', () =>
    core.jacobian === core.jacfwd ? [] : ['is not jacfwd'],
  ),
  jvp: [call('jvp', core.jvp, [elementwise(), primals(), list('tangents', tangent(), 1)])],
  derivative: [call('derivative', core.derivative, [scalarToScalar(), array('x', { shape: [], range: [0.5, 2], badShapes: [[2]], expect: { 'scalar 7': 'any' } })])],
  jacfwd: [call('jacfwd', core.jacfwd, [elementwise(), chunkOptions()], { then: [apply([anyX()])], names: CALLBACK_OPS })],
  vjp: [
    call('vjp', core.vjp, [elementwise(), primals()], {
      then: [stage([array('cotangent', { shape: [3], badShapes: [[4]], seed: 3 })], ([, pullback], [ct]) => pullback(ct))],
      names: CALLBACK_OPS,
    }),
  ],
  grad: [call('grad', core.grad, [scalarFn(), gradOptions()], { then: [apply([anyX()])], names: CALLBACK_OPS })],
  valueAndGrad: [call('valueAndGrad', core.valueAndGrad, [scalarFn(), gradOptions()], { then: [apply([anyX()])], names: ['grad', ...CALLBACK_OPS] })],
  jacrev: [call('jacrev', core.jacrev, [elementwise()], { then: [apply([anyX()])], names: CALLBACK_OPS })],
  linearize: [
    call('linearize', core.linearize, [elementwise(), primals()], {
      then: [stage([tangent()], ([, jvpFn], [t]) => jvpFn(t))],
      names: CALLBACK_OPS,
    }),
  ],
  hessian: [call('hessian', core.hessian, [scalarFn(), chunkOptions()], { then: [apply([anyX()])], names: CALLBACK_OPS })],
  hvp: [call('hvp', core.hvp, [scalarFn(), x3(), tangent('v')])],
  customJvp: [
    call('customJvp', core.customJvp, [
      fn('f', () => (x: Value) => ops.sin(x), { garbage, expect: unrunF }),
      fn('rule', () => ([x]: Value[], [t]: Value[]) => [ops.sin(x), ops.mul(t, ops.cos(x))], { garbage: [['a string', 'abc'], ['a one-element array', [1]], ['undefined', undefined]] }),
    ], { then: [stage([x3()], (g: (x: Value) => Value, [x]) => core.jvp(g, [x], [Tensor.ones([3])]))], names: ['jvp'] }),
  ],
  customVjp: [
    call('customVjp', core.customVjp, [fn('f', () => (x: Value) => ops.sin(x), { garbage, expect: unrunF }), vjpRule()], {
      then: [stage([anyX()], (g: (x: Value) => Value, [x]) => core.grad((v: Value) => ops.sum(g(v)))(x))],
      names: ['grad', ...CALLBACK_OPS],
    }),
  ],
  definePrimitive: [
    call('definePrimitive', core.definePrimitive, [primitiveSpec()], {
      then: [stage([], (prim: core.Primitive) => core.bind(prim, [tensor([3])], undefined))],
      names: ['bind', 'fuzzPrim'],
    }),
  ],
  bind: [call('bind', core.bind, [primitive, list('inputs', array('x', { shape: [3], anyShape: true }), 1), slot('params', () => undefined, [])])],
};
