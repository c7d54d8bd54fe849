/**
 * `@natgrad/core`: float64 tensors, forward-mode AD with dual numbers, reverse mode, and linear algebra with
 * derivative rules.
 * @packageDocumentation
 * @module \@natgrad/core
 */
import * as ops from './ops/index.js';
import { installOps } from './value.js';

installOps(ops);

export { ops };
export * from './ops/index.js';
export { Tensor } from './tensor.js';
export { ArrayValue, type ArrayInput, type NestedArray, type Value, type Result } from './value.js';
export { asValue } from './convert.js';
export type { IndexSpec } from './primitives/slice.js';
export * from './errors.js';
export { ConvergenceError, EigenvalueDomainError, NotDifferentiableError } from './linalg/errors.js';
export { type Shape, broadcastShapes, sizeOf } from './shape.js';
export * from './tree.js';
export { jvp, derivative, jacobian, type JacobianOptions } from './ad/forward.js';
export { vjp, grad, valueAndGrad, jacrev, linearize, type GradOptions } from './ad/reverse.js';
export { hessian, hvp } from './ad/higher.js';
export { customJvp, customVjp, type CustomVjpRule } from './ad/custom.js';
export { primalValue, Tracer } from './ad/trace.js';
export { definePrimitive, type Primitive, type MaybeValue } from './ad/primitive.js';
export { bind } from './ad/trace.js';
export * as random from './random/index.js';
export { BackendUnavailableError } from './backend/errors.js';
export { type BackendName, getBackend, setBackend, wasmReady } from './backend/select.js';
