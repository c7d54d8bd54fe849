/** Compile-time API: interfaces as parameter types (issue 10.14), checked with the TypeScript compiler under strict. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { typecheck } from '../../../test/readme/typecheck.js';

describe('parameter types', () => {
  it('an interface works with setup, update, train, load and TrainState; non-value leaves are compile errors', () => {
    const code = readFileSync(new URL('./types/interface-params.fixture.ts', import.meta.url), 'utf8');
    // the fixture's expected errors must still be errors (an unused directive is reported), the rest must compile
    expect(typecheck([{ name: 'interface-params.ts', code }])).toEqual([]);
  });
});
