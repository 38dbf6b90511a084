// Every file the tool writes is complete or absent: a short write is continued, and a full disk
// (injected by mocking node:fs's writeSync) leaves neither the target nor a temporary file, raises a
// UserError naming the path, and keeps the sweep journal readable for --resume.
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunRecord } from '../../sim/sweep/sweep-journal.js';
import { tempDir } from '../helpers/sweep-helpers.js';

// The unit tier shares one module graph between files (isolate: false): the modules under test are
// imported afresh here so that they see the mocked node:fs.
let writeNewFile: typeof import('../../reports/atomic-write.js').writeNewFile;
let writeJsonAtomic: typeof import('../../reports/sweep-output.js').writeJsonAtomic;
let writeFileAtomic: typeof import('../../reports/sweep-output.js').writeFileAtomic;
let writeOutputDir: typeof import('../../reports/write-dir.js').writeOutputDir;
let UserError: typeof import('../../sim/core/errors.js').UserError;
let Journal: typeof import('../../sim/sweep/sweep-journal.js').Journal;
beforeAll(async () => {
  vi.resetModules();
  ({ writeNewFile } = await import('../../reports/atomic-write.js'));
  ({ writeJsonAtomic, writeFileAtomic } = await import('../../reports/sweep-output.js'));
  ({ writeOutputDir } = await import('../../reports/write-dir.js'));
  ({ UserError } = await import('../../sim/core/errors.js'));
  ({ Journal } = await import('../../sim/sweep/sweep-journal.js'));
});

/** How the mocked writeSync behaves: pass through, write at most 7 bytes a call, or fail. */
const disk = vi.hoisted(() => ({ mode: 'real' as 'real' | 'short' | 'full', calls: 0 }));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const writeSync = (fd: number, data: string | Uint8Array, ...rest: (number | null | undefined)[]): number => {
    if (disk.mode === 'real') return (real.writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
    disk.calls++;
    if (disk.mode === 'full')
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    const offset = typeof data === 'string' ? 0 : (rest[0] ?? 0);
    const length = typeof data === 'string' ? buf.length : (rest[1] ?? buf.length - offset);
    const position = typeof data === 'string' ? rest[0] : rest[2];
    return real.writeSync(fd, buf, offset, Math.min(7, length), position ?? null);
  };
  return { ...real, default: { ...real, writeSync }, writeSync };
});

afterEach(() => {
  disk.mode = 'real';
  disk.calls = 0;
});

const text = 'run,status\n' + Array.from({ length: 40 }, (_, i) => `${i},ok\n`).join('');

describe('writeFileAtomic', () => {
  it('continues a short write until every byte is in the file', () => {
    const path = join(tempDir(), 'runs.csv');
    disk.mode = 'short';
    writeFileAtomic(path, (w) => w(text));
    disk.mode = 'real';
    expect(disk.calls).toBeGreaterThan(1);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('on a full disk leaves no file at the target and no temporary file, and names the path', () => {
    const dir = tempDir();
    const path = join(dir, 'runs.csv');
    disk.mode = 'full';
    let err: unknown;
    try {
      writeFileAtomic(path, (w) => w(text));
    } catch (e) {
      err = e;
    }
    disk.mode = 'real';
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).toMatch(/no space left.*ENOSPC/);
    expect((err as Error).message.split('\n')).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('on a full disk keeps the previous complete file at the target untouched', () => {
    const dir = tempDir();
    const path = join(dir, 'manifest.json');
    writeFileSync(path, '{"old": true}\n');
    disk.mode = 'full';
    expect(() => writeJsonAtomic(path, { new: true })).toThrow(UserError);
    disk.mode = 'real';
    expect(readFileSync(path, 'utf8')).toBe('{"old": true}\n');
    expect(readdirSync(dir)).toEqual(['manifest.json']);
  });
});

describe('writeOutputDir', () => {
  it('on a full disk leaves no output directory and no temporary one', () => {
    const parent = tempDir();
    disk.mode = 'full';
    expect(() => writeOutputDir(join(parent, 'out'), { 'a.csv': text, 'b.json': '{}' })).toThrow(UserError);
    disk.mode = 'real';
    expect(readdirSync(parent)).toEqual([]);
  });
});

describe('Journal on a full disk', () => {
  const header = { sweep_hash: 'abc', shard: null, runs: 4 };
  const slotOf = (i: number) => (i >= 0 && i < 4 ? i : -1);
  const ok = (runIndex: number): RunRecord => ({ runIndex, status: 'ok', error: '', stats: [runIndex, 0.5] });

  it('raises a UserError naming the journal and keeps every run recorded before, for a resume', () => {
    const path = join(tempDir(), 'runs.journal.jsonl');
    const j = Journal.create(path, header);
    j.append(0, ok(0));
    disk.mode = 'full';
    expect(() => j.append(1, ok(1))).toThrow(new RegExp(`^${path.replace(/[.]/g, '[.]')}: cannot write: no space`));
    disk.mode = 'real';
    j.close();
    const again = Journal.resume(path, header, slotOf);
    expect([again.done, again.has(0), again.has(1)]).toEqual([1, true, false]);
    again.append(1, ok(1));
    expect(again.read(1)).toEqual(ok(1));
    again.close();
  });

  it('continues a short append until the whole line is in the journal', () => {
    const path = join(tempDir(), 'runs.journal.jsonl');
    disk.mode = 'short';
    const j = Journal.create(path, header);
    j.append(2, ok(2));
    j.close();
    disk.mode = 'real';
    expect(Journal.resume(path, header, slotOf).read(2)).toEqual(ok(2));
    expect(existsSync(path)).toBe(true);
  });
});

describe('a symbolic link at a name being created', () => {
  it('is refused with a UserError naming it, and the file it points to is unchanged', () => {
    const dir = tempDir();
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    const link = join(dir, 'runs.csv.tmp-1');
    symlinkSync(victim, link);
    expect(() => writeNewFile(link, text)).toThrow(new RegExp(`^${link.replace(/[.]/g, '[.]')}: cannot write: `));
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });

  it('at the journal path is refused when a sweep starts one', () => {
    const dir = tempDir();
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    const link = join(dir, 'runs.journal.jsonl');
    symlinkSync(victim, link);
    expect(() => Journal.create(link, { sweep_hash: 'abc', shard: null, runs: 1 })).toThrow(/symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });
});
