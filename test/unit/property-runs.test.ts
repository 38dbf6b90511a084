// test/helpers/property-runs.ts: CASCADE_PROPERTY_RUNS multiplies a property's run count.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../helpers/property-runs.js';

/** How many cases fast-check runs under `env`. */
function casesRun(base: number, env: NodeJS.ProcessEnv): number {
  let cases = 0;
  fc.assert(
    fc.property(fc.nat(), () => {
      cases++;
    }),
    { seed: 1, numRuns: propertyRuns(base, env) },
  );
  return cases;
}

describe('propertyRuns', () => {
  it('keeps the base count by default and multiplies it by CASCADE_PROPERTY_RUNS', () => {
    expect(propertyRuns(40, {})).toBe(40);
    expect(propertyRuns(40, { CASCADE_PROPERTY_RUNS: '' })).toBe(40);
    expect(propertyRuns(40, { CASCADE_PROPERTY_RUNS: '1' })).toBe(40);
    expect(propertyRuns(40, { CASCADE_PROPERTY_RUNS: '100' })).toBe(4000);
  });

  it('changes the number of cases fast-check runs', () => {
    expect(casesRun(7, {})).toBe(7);
    expect(casesRun(7, { CASCADE_PROPERTY_RUNS: '3' })).toBe(21);
  });

  it('refuses a multiplier that is not a positive integer', () => {
    for (const bad of ['0', '-2', '1.5', 'lots'])
      expect(() => propertyRuns(5, { CASCADE_PROPERTY_RUNS: bad })).toThrow('CASCADE_PROPERTY_RUNS');
  });
});
