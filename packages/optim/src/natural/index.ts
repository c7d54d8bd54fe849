/**
 * `@natgrad/optim/natural`: natural-gradient steps for Gaussian variational parameters, as a plug-in of
 * `@natgrad/optim` — its own entry point, so that an app using `@natgrad/optim` alone does not load
 * `@natgrad/distributions` (a peer dependency needed by this entry only). Importing it registers `NaturalGradient`
 * in the default registry, so `load` can rebuild checkpoints that hold it.
 * @packageDocumentation
 * @module \@natgrad/optim/natural
 */
import { defaultRegistry } from '@natgrad/optim';
import { NaturalGradient } from './natural-gradient.js';

export { NaturalGradient, type NaturalGradientOptions, type NaturalGradientState } from './natural-gradient.js';
export { naturalCoordinates, nativeCoordinates, type Coordinates, type NaturalCoordinatesOptions, type Block } from './coordinates.js';
export { usableGaussian } from './constraint.js';
export { registerParametrisation, parametrisationByName } from './parametrisations.js';

// The one side effect of this entry point (package.json lists it under sideEffects): checkpoints can rebuild it.
defaultRegistry.registerRule(NaturalGradient, { replace: true });
