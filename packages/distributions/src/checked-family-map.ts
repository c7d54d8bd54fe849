/**
 * A checked version of one exponential-family map: validate the argument as a point of its space, run the map,
 * check the result's structure, shapes and finiteness.
 * @module
 */
import { INTERMEDIATE, result } from './checked-maps.js';
import { computing } from './context.js';
import { checkIn, spaces } from './spaces.js';
import type { GaussianFamily } from './types.js';

type SpaceName = 'moments' | 'natural' | 'expectation';

/** Wraps `map` from space `from` to space `to` of `family`; `label` names its argument in messages. */
export function checkedFamilyMap<A, B>(
  name: string,
  family: GaussianFamily,
  from: SpaceName,
  label: string,
  to: SpaceName,
  map: (x: A) => B,
): (x: A) => B {
  const input = spaces[family][from];
  const output = spaces[family][to].coordinates;
  return (x: A): B => {
    const c = checkIn(input, name, x, label); // before the map runs: it must never see invalid input
    return result(name, computing(name, INTERMEDIATE, () => map(x)), output, c);
  };
}
