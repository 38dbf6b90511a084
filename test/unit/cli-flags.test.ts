// sim/cli/flags.ts: decimal integer flags, and flag values that begin with '-'.
import { describe, expect, it } from 'vitest';
import { intFlag, joinDashValues } from '../../sim/cli/flags.js';

describe('intFlag', () => {
  it('takes decimal integers inside the range and leaves an absent flag undefined', () => {
    expect(intFlag('--n', '42', 1, 100)).toBe(42);
    expect(intFlag('--n', '007', 1, 100)).toBe(7);
    expect(intFlag('--n', undefined, 1, 100)).toBeUndefined();
  });
  for (const bad of ['', ' ', '0x10', '1e3', '2.0', '-1', '+3', '101', '0', '9007199254740993'])
    it(`refuses '${bad}' naming the flag`, () => {
      expect(() => intFlag('--n', bad, 1, 100)).toThrow(`--n: expected an integer from 1 to 100, got '${bad}'`);
    });
});

describe('joinDashValues', () => {
  const flags = new Set(['--shard', '--seed']);
  it("joins a value flag with a following word that begins with a single '-'", () => {
    expect(joinDashValues(['sweep', 'x', '--shard', '-1/3'], flags)).toEqual(['sweep', 'x', '--shard=-1/3']);
    expect(joinDashValues(['--seed', '-5', '--resume'], flags)).toEqual(['--seed=-5', '--resume']);
  });
  it('leaves flags, other words and boolean flags alone', () => {
    const argv = ['--shard', '--resume', '--progress', '-x', '--seed', '7', '--shard', '-'];
    expect(joinDashValues(argv, flags)).toEqual(argv);
  });
});
