/**
 * Signatures of `@natgrad/optim/natural`: `NaturalGradient` with its coordinate objects, the `usableGaussian`
 * constraint, and the parametrisation registry checkpoints use.
 * @module
 */
import { Tensor } from '@natgrad/core';
import * as dist from '@natgrad/distributions';
import * as optim from '@natgrad/optim';
import * as natural from '@natgrad/optim/natural';
import { bad, wrongTypes } from '../../harness/hostile.js';
import { type ExportSpec, call, stage } from '../../harness/entry.js';
import { bool, int, options, slot, str } from '../../harness/slots.js';
import { rule } from '../../harness/slots-optim.js';
import { gaussian } from '../../harness/slots-distributions.js';
import type { Slot } from '../../harness/types.js';
import { fresh, rejections } from './definitions.js';
import { stepNames } from './rules.js';

/** A Gaussian block parameter tree `{ q: { mu, L } }` and its gradient, for NaturalGradient. */
const qParams = () => ({ q: gaussian('q', dist.meanCholesky).valid() as Record<string, Tensor> });
const qGrads = () => ({ q: { mu: Tensor.from([0.1, -0.2]), L: Tensor.from([[0.05, 0], [0.01, 0.02]]) } });
/** One natural-gradient update of {@link qParams}: the new parameters. */
const stepQ = stage([], (r: optim.AnyRule) => optim.update(optim.setup(r, qParams()), qParams(), qGrads())[1]);

/** A spec with meanCovariance's maps (a descriptor is not a spec: defineParametrisation refuses its other members). */
const specLike = (name: string) => ({
  name,
  family: 'full' as const,
  coordinates: dist.meanCovariance.coordinates,
  toMoments: dist.meanCovariance.unchecked.toMoments,
  fromMoments: dist.meanCovariance.unchecked.fromMoments,
});
const freshParametrisation = () => dist.defineParametrisation(specLike(fresh('fuzzP')()));

/** A parametrisation argument (meanCholesky unless given). */
const parametrisationArg = (name = 'P', o: { readonly optional?: boolean } = {}): Slot =>
  slot(name, () => dist.meanCholesky, [
    ...wrongTypes(o.optional ? ['undefined'] : []),
    bad('its name "meanCholesky"', () => 'meanCholesky', 'reject', 'type'),
    bad('object with only a name', () => ({ name: 'meanCholesky' }), 'reject', 'type'),
    bad('a diagonal parametrisation (blocks are full)', () => dist.diagonal, 'reject', 'shape'),
    bad('another full one (meanCovariance)', () => dist.meanCovariance, 'any', 'domain'),
    bad('own "__proto__" key (JSON.parse)', () => ({ ...dist.meanCholesky, ...JSON.parse('{"__proto__": {"name": "x"}}') }), 'any', 'hostile'),
  ], o);

/** A coordinates object for NaturalGradient. */
const coordinates = () =>
  slot('coordinates', () => natural.naturalCoordinates(dist.meanCholesky), [
    ...wrongTypes(),
    bad('"natural" (a name, not coordinates)', () => 'natural', 'reject', 'type'),
    bad('{ kind: "natural" } only', () => ({ kind: 'natural' }), 'reject', 'type'),
    bad('native coordinates', () => natural.nativeCoordinates(dist.meanCholesky), 'any', 'domain'),
    bad('riemannian natural coordinates', () => natural.naturalCoordinates(dist.meanCholesky, { riemannian: true }), 'any', 'domain'),
    bad('coordinates of meanCovariance (blocks are meanCholesky)', () => natural.naturalCoordinates(dist.meanCovariance), 'reject', 'shape'),
  ]);

/** `@natgrad/optim/natural`, by export name. */
export const naturalTable: Readonly<Record<string, ExportSpec>> = {
  NaturalGradient: [
    call('NaturalGradient', natural.NaturalGradient, [
      rule('inner', () => optim.Descent(0.5), { applied: true, expect: { 'rule whose step has the wrong shape': 'any', 'rule whose step is NaN': 'any' } }),
      options('options', {
        coordinates: coordinates(),
        maxHalvings: int('maxHalvings', { valid: 3, size: true }),
        maxConsecutiveRejections: rejections(),
      }, { optional: true }),
    ], { then: [stepQ], names: ['NaturalGradient', ...stepNames] }),
  ],
  naturalCoordinates: [
    call('naturalCoordinates', natural.naturalCoordinates, [
      parametrisationArg('P', { optional: true }),
      options('options', { riemannian: bool('riemannian', { valid: false }) }, { optional: true }),
    ], { result: 'none', then: [stage([], (c: natural.Coordinates) => optim.update(optim.setup(natural.NaturalGradient(optim.Descent(0.5), { coordinates: c }), qParams()), qParams(), qGrads())[1])], names: ['NaturalGradient', ...stepNames] }),
  ],
  nativeCoordinates: [
    call('nativeCoordinates', natural.nativeCoordinates, [parametrisationArg('P', { optional: true })], {
      then: [stage([], (c: natural.Coordinates) => optim.update(optim.setup(natural.NaturalGradient(optim.Descent(0.5), { coordinates: c }), qParams()), qParams(), qGrads())[1])],
      names: ['NaturalGradient', ...stepNames],
    }),
  ],
  usableGaussian: [
    call('usableGaussian', natural.usableGaussian, [parametrisationArg()], {
      then: [stage([], (c: optim.Constraint) => optim.update(optim.setup(optim.backtrack(optim.Descent(0.5), c), qParams()), qParams(), qGrads())[1])],
      names: ['Backtrack', 'usableGaussian', ...stepNames],
    }),
  ],
  registerParametrisation: [
    call('registerParametrisation', natural.registerParametrisation, [
      slot('P', freshParametrisation, [
        ...wrongTypes(),
        bad('a built-in descriptor (already known)', () => dist.meanCholesky, 'any', 'domain'),
        bad('another descriptor named "meanCholesky"', () => dist.defineParametrisation(specLike('meanCholesky')), 'reject', 'domain'),
        bad('descriptor named "__proto__"', () => ({ ...dist.meanCovariance, name: '__proto__' }), 'reject', 'hostile'),
        bad('object with only a name', () => ({ name: fresh('fuzzHalf')() }), 'reject', 'type'),
      ]),
    ], { result: 'none' }),
  ],
  parametrisationByName: [call('parametrisationByName', natural.parametrisationByName, [str('name', { valid: 'meanCholesky' })], { result: 'none' })],
};
