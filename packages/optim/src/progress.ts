/**
 * `@natgrad/optim/progress`: the terminal progress bar for training streams. A separate entry point because it
 * loads `cli-progress`, which needs Node (it extends Node's EventEmitter and uses readline): the main entry stays
 * loadable in browsers.
 * @module @natgrad/optim/progress
 */
export { progressBar, type ProgressBarOptions, type ProgressStream } from './train/progress-bar.js';
