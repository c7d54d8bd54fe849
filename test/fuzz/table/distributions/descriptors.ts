/**
 * Signatures of the methods of the parametrisation descriptors (`meanCholesky.validate`, `natural.fromMoments`, …):
 * the same for every descriptor, built from its family and coordinates. A descriptor method with no signature here
 * fails the completeness check.
 * @module
 */
import * as dist from '@natgrad/distributions';
import type { AnyParametrisation } from '@natgrad/distributions';
import type { Entry, Slot } from '../../harness/types.js';
import { method } from '../../harness/entry.js';
import { fixed, str } from '../../harness/slots.js';
import { direction, gaussian as gaussianSlot } from '../../harness/slots-distributions.js';

const self = (P: AnyParametrisation): Slot => fixed('this', () => P);

/** Descriptors of the moments, natural and expectation coordinates of a family. */
function family(P: AnyParametrisation) {
  return P.family === 'full'
    ? { moments: dist.meanCovariance, natural: dist.natural, expectation: dist.expectation }
    : { moments: dist.diagonal, natural: dist.diagonalNatural, expectation: dist.diagonalExpectation };
}

/** Argument slots of each descriptor method. */
function signatures(P: AnyParametrisation): Readonly<Record<string, readonly Slot[]>> {
  const f = family(P);
  const gaussian = (name: string, p: AnyParametrisation) => gaussianSlot(name, p, { toctou: false });
  return {
    toMoments: [gaussian('q', P)],
    fromMoments: [gaussian('m', f.moments)],
    fromNatural: [gaussian('theta', f.natural)],
    toNatural: [gaussian('q', P)],
    fromExpectation: [gaussian('eta', f.expectation)],
    toExpectation: [gaussian('q', P)],
    toScale: [gaussian('q', P)],
    validate: [gaussian('q', P), str('where', { valid: 'fuzzWhere', optional: true })],
    project: [direction('g', P, { nan: 'ieee' })],
    closedFormNaturalGradient: [gaussian('q', P), direction('dLdEta', f.expectation)],
    closedFormNaturalGradientFromEuclidean: [gaussian('q', P), direction('dLdXi', P)],
  };
}

/** Entries for every method of the descriptor exported as `name` (only methods it has; unknown ones get none). */
export function descriptorEntries(name: string, P: AnyParametrisation): Entry[] {
  const sig = signatures(P);
  return Object.keys(P)
    .filter((k) => typeof (P as unknown as Record<string, unknown>)[k] === 'function' && k in sig)
    .map((k) =>
      method(`${name}.${k}`, self(P), k, sig[k], {
        names: [P.name, 'fuzzWhere'],
        result: k === 'validate' ? 'none' : 'scan',
      }),
    );
}
