/**
 * Training loops as rxjs streams of immutable states: {@link train} and the operators and helpers around it.
 * @module
 */
export { train, DEFAULT_YIELD_EVERY } from './train.js';
export type { TrainOptions, TrainState, Objective, ObjectiveResult, LossAndGrad, YieldPolicy } from './types.js';
export { TrainingError, type TrainingFailure } from './errors.js';
export { columns, Columns, MAX_ROWS, type Column, type ColumnsOptions, type BatchOf } from './data/columns.js';
export { DataSourceError, type DataSource, type BatchStream } from './data/source.js';
export { stepSizeOf, stepSizesOf, STEP_SIZE_NAMES } from './step-size.js';
export { globalNorm } from './norm.js';
export { untilConverged, type UntilConvergedOptions } from './until-converged.js';
export { every } from './every.js';
export { toAsyncIterable, type ToAsyncIterableOptions } from './to-async-iterable.js';
export {
  summary,
  formatSummary,
  formatDuration,
  formatLoss,
  SummaryAccumulator,
  type TrainSummary,
  type SummaryEnding,
} from './summary.js';
export { lastState } from './last-state.js';
