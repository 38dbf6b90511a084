// sim/sweep/out-lock.ts: acquire, refuse while held, take over a stale lock (its pid is gone), release.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../sim/core/errors.js';
import { acquireOutLock, LOCK_FILE, pidAlive, readLock, withOutLock } from '../../sim/sweep/out-lock.js';

const opts = { releaseOnExit: false, command: 'cascade sweep test', stderr: () => undefined };

function temp(): string {
  return mkdtempSync(join(tmpdir(), 'cascade-lock-'));
}

/** No process has this pid: it is above Linux's largest pid_max (2^22) (the cli tier uses a reaped child's). */
function deadPid(): number {
  return 2_000_000_000;
}

describe('acquireOutLock', () => {
  it('creates the directory and a lock file holding the pid, the command line and the start time', () => {
    const dir = join(temp(), 'new', 'out');
    const lock = acquireOutLock(dir, opts);
    expect(lock.file).toBe(join(dir, LOCK_FILE));
    const info = JSON.parse(readFileSync(lock.file, 'utf8')) as Record<string, unknown>;
    expect(info.pid).toBe(process.pid);
    expect(info.command).toBe('cascade sweep test');
    expect(Number.isNaN(Date.parse(String(info.started)))).toBe(false);
    lock.release();
    // The directories it made are removed again when nothing was written into them.
    expect(existsSync(join(dir, '..'))).toBe(false);
  });

  it('keeps a directory it made once something was written into it', () => {
    const dir = join(temp(), 'out');
    const lock = acquireOutLock(dir, opts);
    writeFileSync(join(dir, 'runs.csv'), '');
    lock.release();
    expect(existsSync(join(dir, 'runs.csv'))).toBe(true);
    expect(existsSync(lock.file)).toBe(false);
  });

  it('refuses a held lock with a UserError naming the flag, the pid and the command', () => {
    const dir = temp();
    const lock = acquireOutLock(dir, opts);
    let err: unknown;
    try {
      acquireOutLock(dir, { ...opts, command: 'cascade check other' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).source).toBe('--out');
    expect((err as Error).message).toContain(`pid ${process.pid}`);
    expect((err as Error).message).toContain('cascade sweep test');
    // The refusal leaves the holder's lock alone.
    expect(readLock(lock.file)?.pid).toBe(process.pid);
    lock.release();
  });

  it('refuses a lock being written (not yet parseable): not provably stale', () => {
    const dir = temp();
    writeFileSync(join(dir, LOCK_FILE), '');
    expect(() => acquireOutLock(dir, opts)).toThrow(UserError);
  });

  it('takes over a stale lock whose pid is gone, saying so in one line', () => {
    const dir = temp();
    const pid = deadPid();
    expect(pidAlive(pid)).toBe(false);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, command: 'old', started: 'then', token: 'x' }));
    const said: string[] = [];
    const lock = acquireOutLock(dir, { ...opts, stderr: (t) => said.push(t) });
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(`pid ${pid}`);
    expect(said[0].trimEnd().split('\n')).toHaveLength(1);
    expect(readLock(lock.file)?.pid).toBe(process.pid);
    lock.release();
    expect(existsSync(lock.file)).toBe(false);
  });

  it('release removes the lock, is idempotent, and leaves a later holder’s lock alone', () => {
    const dir = temp();
    const lock = acquireOutLock(dir, opts);
    lock.release();
    expect(existsSync(lock.file)).toBe(false);
    const next = acquireOutLock(dir, opts);
    lock.release();
    expect(existsSync(next.file)).toBe(true);
    next.release();
    expect(existsSync(next.file)).toBe(false);
  });

  it('withOutLock releases when the body throws', async () => {
    const dir = temp();
    await expect(
      withOutLock(
        dir,
        () => {
          throw new Error('boom');
        },
        opts,
      ),
    ).rejects.toThrow('boom');
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('registers no exit or signal listeners with releaseOnExit false, and removes them on release otherwise', () => {
    const before = process.listenerCount('SIGINT');
    const lock = acquireOutLock(temp(), { ...opts, releaseOnExit: true });
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    lock.release();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});

describe('pidAlive', () => {
  it('is true for this process and false for a pid no process has', () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(deadPid())).toBe(false);
  });
});
