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
export type { TensorJSON, NonFiniteToken } from './tensor-json.js';
export { ArrayValue, type ArrayInput, type NestedArray, type Value, type Result } from './value.js';
export { asValue } from './convert.js';
export * from './errors.js';
export type { Shape } from './shape.js';
export { broadcastShapes, sizeOf } from './shape-api.js';
export { MAX_SIZE, MAX_RANK, MAX_ARRAY_LENGTH, MAX_TREE_DEPTH, MAX_TREE_NODES } from './limits.js';
export { ConvergenceError, EigenvalueDomainError, NotDifferentiableError } from './linalg/errors.js';
export {
  type Tree,
  type TreeDef,
  isTreeNode,
  treeFlatten,
  treeUnflatten,
  treeLeaves,
  treePaths,
  treeDefEqual,
  treeMap,
  joinPath,
  treeFlattenWithPath,
  treeMapWithPath,
  describeDiff,
} from './tree.js';
export { jvp, derivative, type JvpOptions, type OutputOf, type AuxOf } from './ad/forward.js';
export { vjp, grad, valueAndGrad, linearize, type GradOptions, type VjpOptions } from './ad/reverse.js';
export { jacfwd, jacobian, jacrev, type JacobianOptions } from './ad/jacobian.js';
export { hessian, hvp } from './ad/higher.js';
export { customJvp, customVjp, type CustomJvpOptions, type CustomVjpRule, type InputTree } from './ad/custom.js';
export { ClosedOverTracerError, CustomRuleError, type CustomRole } from './ad/errors.js';
export type { Argnums } from './ad/options.js';
export { primalValue, Tracer } from './ad/trace.js';
export type { Primitive, MaybeValue } from './ad/primitive.js';
export { definePrimitive, bind } from './ad/user-primitive.js';
export * as random from './random/index.js';
export { BackendUnavailableError } from './backend/errors.js';
export { type BackendName, dense, getBackend, setBackend, wasmReady } from './backend/select.js';
export type { DenseKernels } from './backend/kernels.js';
