// The lock on an output directory: one cascade command (sweep, merge, check) writes into a directory at
// a time. The lock is a file, <out>/.cascade.lock, created exclusively (the `wx` flag) and holding the
// holder's pid, command line and start time; it is removed when the command ends, on an error, on
// Ctrl-C / SIGTERM and at process exit. A lock whose pid is no longer alive is stale and is taken over.
// Knows nothing of sweeps: only node built-ins and the error classes.
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { writeError } from '../../reports/atomic-write.js';
import { ensureDir } from '../../reports/write-dir.js';

export const LOCK_FILE = '.cascade.lock';

/** What the lock file holds. */
export interface LockInfo {
  pid: number;
  command: string;
  started: string;
  /** Tells this holder's lock from a later one at the same path. */
  token: string;
}

export interface OutLock {
  /** The lock file's path. */
  readonly file: string;
  /** Removes the lock file (if it is still this holder's); idempotent. */
  release(): void;
}

export interface AcquireOptions {
  /** The flag the directory came from, named in the refusal. Default '--out'. */
  flag?: string;
  /** The command line recorded in the lock. Default process.argv joined. */
  command?: string;
  /** Where the stale-lock takeover is said. Default process.stderr. */
  stderr?: (text: string) => void;
  /** Release on process exit and on SIGINT/SIGTERM. Default true. */
  releaseOnExit?: boolean;
}

/** True when a process with this pid exists (EPERM: it exists, owned by someone else). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** The lock's contents, or null when the file is missing; an unreadable file yields pid 0. */
export function readLock(file: string): LockInfo | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    return {
      pid: typeof v.pid === 'number' ? v.pid : 0,
      command: typeof v.command === 'string' ? v.command : '?',
      started: typeof v.started === 'string' ? v.started : '?',
      token: typeof v.token === 'string' ? v.token : '',
    };
  } catch {
    // Being written by its holder this instant (or damaged): not provably stale.
    return { pid: 0, command: '?', started: '?', token: '' };
  }
}

function tryCreate(file: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw writeError(file, e);
  }
  try {
    writeSync(fd, JSON.stringify(info) + '\n');
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Takes the lock on `dir` (created if missing), or throws a UserError naming the holder. When `dir`
 * exists and is not a directory, returns a no-op lock: the command's own check reports that.
 */
export function acquireOutLock(dir: string, opts: AcquireOptions = {}): OutLock {
  const abs = resolve(dir);
  const file = join(abs, LOCK_FILE);
  if (existsSync(abs) && !statSync(abs).isDirectory()) return { file, release: () => undefined };
  // The directories made here are removed again on release if nothing was written into them: a
  // command refused before it started leaves nothing behind.
  const madeFrom = ensureDir(abs, opts.flag ?? '--out');
  const flag = opts.flag ?? '--out';
  const stderr = opts.stderr ?? ((t: string) => void process.stderr.write(t));
  const info: LockInfo = {
    pid: process.pid,
    command: opts.command ?? process.argv.join(' '),
    started: new Date().toISOString(),
    token: randomUUID(),
  };

  let taken = tryCreate(file, info);
  for (let attempt = 0; !taken && attempt < 3; attempt++) {
    const holder = readLock(file);
    if (holder !== null) {
      if (holder.pid === 0 || pidAlive(holder.pid))
        throw new UserError(
          flag,
          '',
          `${abs} is in use by pid ${holder.pid === 0 ? '?' : holder.pid} (${holder.command}, since ${holder.started}); wait for it to finish or use another directory`,
        );
      stderr(`cascade: taking over the stale lock ${file} of pid ${holder.pid} (no longer running)\n`);
      try {
        unlinkSync(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    taken = tryCreate(file, info);
  }
  if (!taken) throw new UserError(flag, '', `${abs}: could not take the lock ${file}`);

  let released = false;
  const onExit = (): void => release();
  const onSignal = (signal: NodeJS.Signals): void => {
    // With another listener (the sweep's graceful stop), that one decides and the command's own
    // release follows. Alone on the signal, we replaced the default behaviour (exit): release,
    // restore it and re-raise.
    if (process.listeners(signal).some((l) => l !== onSignal)) return;
    release();
    process.kill(process.pid, signal);
  };
  function release(): void {
    if (released) return;
    released = true;
    process.removeListener('exit', onExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    const now = readLock(file);
    if (now !== null && now.token === info.token) {
      try {
        unlinkSync(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    if (madeFrom !== undefined) removeEmptyUpTo(abs, resolve(madeFrom));
  }
  if (opts.releaseOnExit ?? true) {
    process.on('exit', onExit);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  return { file, release };
}

/** Removes `dir` and its parents up to `top` while they are empty. */
function removeEmptyUpTo(dir: string, top: string): void {
  for (let d = dir; ; d = dirname(d)) {
    try {
      if (readdirSync(d).length > 0) return;
      rmdirSync(d);
    } catch {
      return;
    }
    if (d === top || dirname(d) === d) return;
  }
}

/** Runs `body` holding the lock on `dir`; releases it however `body` ends. */
export async function withOutLock<T>(dir: string, body: () => T | Promise<T>, opts?: AcquireOptions): Promise<T> {
  const lock = acquireOutLock(dir, opts);
  try {
    return await body();
  } finally {
    lock.release();
  }
}
