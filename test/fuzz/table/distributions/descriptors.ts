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

/**
 * Entries for every method of the descriptor exported as `name` (only methods it has; unknown ones get none), and
 * for the bare maps of `P.unchecked`: the documented fast path for validated input, so garbage in need not be
 * rejected there (`unchecked` entries), but it must not crash or hang the process, and valid input must work.
 */
export function descriptorEntries(name: string, P: AnyParametrisation): Entry[] {
  const sig = signatures(P);
  const methods = (owner: Record<string, unknown>) => Object.keys(owner).filter((k) => typeof owner[k] === 'function' && k in sig);
  const checked = methods(P as unknown as Record<string, unknown>).map((k) =>
    method(`${name}.${k}`, self(P), k, sig[k], {
      names: [P.name, 'fuzzWhere'],
      result: k === 'validate' ? 'none' : 'scan',
    }),
  );
  const bare = P.unchecked as unknown as Record<string, unknown>;
  const unchecked = methods(bare).map((k) =>
    method(`${name}.unchecked.${k}`, fixed('this', () => bare), k, sig[k], { names: [P.name], unchecked: true }),
  );
  return [...checked, ...unchecked];
}
