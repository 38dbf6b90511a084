// The CSV line parser `cascade merge` reads shards with (the command itself is in test/cli/merge.test.ts).
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { parseCsvLine } from '../../sim/sweep/merge.js';

describe('parseCsvLine', () => {
  it('reads back what csv-stringify writes, quotes and commas included', () => {
    const fields = ['1', 'a,b', 'say "hi"', '', 'x'];
    expect(parseCsvLine(stringify([fields]).trimEnd())).toEqual(fields);
  });
});
