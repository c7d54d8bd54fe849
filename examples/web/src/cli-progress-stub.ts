/**
 * Stand-in for `cli-progress` in the browser bundle. @natgrad/optim imports cli-progress at the top of its module
 * (for `progressBar`, a terminal progress bar); cli-progress extends Node's EventEmitter when it loads, which throws
 * in a browser ("Class extends value … is not a constructor"), and with it the whole of @natgrad/optim. The page
 * never draws a terminal progress bar, so an empty module is enough (vite.config.ts aliases it).
 */
export default {};
