// The sweep journal: finished runs survive a reopen, a line cut short by a kill is dropped, and a
// journal of another plan is refused.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../sim/core/errors.js';
import { Journal, type RunRecord } from '../../sim/sweep/sweep-journal.js';
import { tempDir } from '../helpers/sweep-helpers.js';

const header = { sweep_hash: 'abc', shard: null, runs: 4 };
const slotOf = (i: number) => (i >= 0 && i < 4 ? i : -1);
const ok = (runIndex: number, x: number): RunRecord => ({ runIndex, status: 'ok', error: '', stats: [x, 0.1 + x] });

describe('Journal', () => {
  it('reads back the runs it recorded, by position, after a reopen', () => {
    const path = join(tempDir(), 'j.jsonl');
    const j = Journal.create(path, header);
    j.append(2, ok(2, 5));
    j.append(0, { runIndex: 0, status: 'error', error: 'boom, "quoted"', stats: null });
    j.close();
    const again = Journal.resume(path, header, slotOf);
    expect([again.done, again.errors]).toEqual([2, 1]);
    expect([0, 1, 2, 3].map((k) => again.has(k))).toEqual([true, false, true, false]);
    expect(again.read(2)).toEqual(ok(2, 5));
    expect(again.read(0)).toEqual({ runIndex: 0, status: 'error', error: 'boom, "quoted"', stats: null });
  });

  it('drops a last line cut short and appends after the last whole one', () => {
    const path = join(tempDir(), 'j.jsonl');
    const j = Journal.create(path, header);
    j.append(1, ok(1, 1));
    j.close();
    appendFileSync(path, '{"i":3,"s":[1,');
    const again = Journal.resume(path, header, slotOf);
    expect(again.done).toBe(1);
    again.append(3, ok(3, 3));
    again.close();
    expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(3);
    expect(Journal.resume(path, header, slotOf).read(3)).toEqual(ok(3, 3));
  });

  it('refuses the journal of another plan or shard', () => {
    const path = join(tempDir(), 'j.jsonl');
    Journal.create(path, header).close();
    expect(() => Journal.resume(path, { ...header, sweep_hash: 'def' }, slotOf)).toThrow(
      /belongs to a different sweep/,
    );
    expect(() => Journal.resume(path, { ...header, shard: '1/2' }, slotOf)).toThrow(/pass the same --shard/);
  });

  it('refuses a journal with an unreadable line in the middle', () => {
    const path = join(tempDir(), 'j.jsonl');
    Journal.create(path, header).close();
    appendFileSync(path, 'garbage\n{"i":1,"s":[1,2]}\n');
    expect(() => Journal.resume(path, header, slotOf)).toThrow(UserError);
    expect(() => Journal.resume(path, header, slotOf)).toThrow(/line 2: unreadable journal entry/);
  });
});
