// The one way the tool writes a file: complete or absent. Text goes to a temporary sibling created
// exclusively (an existing file or link at that name is refused, never written through), every byte is
// written (a short write is continued), the file is fsynced and then renamed over the target (a rename
// replaces a link at the target; it does not follow it). A full disk, a read-only file system or a
// denied permission becomes a UserError naming the path, and the temporary file is removed.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, lstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { UserError } from '../sim/core/errors.js';

/** `fs.writeSync`'s buffer form; a parameter so tests can inject short writes and errors. */
export type WriteFn = (fd: number, buf: Uint8Array, offset: number, length: number, position: number | null) => number;

const defaultWrite: WriteFn = (fd, buf, offset, length, position) => writeSync(fd, buf, offset, length, position);

/** What each errno a user can fix means, for the one-line message. */
export const WRITE_CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'a file or link already exists at this temporary name; remove it',
  ELOOP: 'it is a symbolic link; refusing to write through it',
};

/** Turns an error a user can fix (full disk, read-only, permission) into a UserError naming `path`. */
export function writeError(path: string, e: unknown): unknown {
  if (e instanceof UserError) return e;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const cause = code ? WRITE_CAUSES[code] : undefined;
  return cause ? new UserError(path, '', `cannot write: ${cause} (${code})`) : e;
}

/**
 * Writes all of `buf` to `fd` (at `position`, or at the file position when null), continuing after
 * a short write. A write that makes no progress is an error. `path` names the file in errors.
 */
export function writeAll(
  fd: number,
  buf: Uint8Array,
  position: number | null,
  path: string,
  write: WriteFn = defaultWrite,
): void {
  let done = 0;
  while (done < buf.length) {
    const n = write(fd, buf, done, buf.length - done, position === null ? null : position + done);
    if (!(n > 0)) throw new UserError(path, '', `cannot write: the device accepted no bytes (ENOSPC?)`);
    done += n;
  }
}

/**
 * Refuses a symbolic link or anything but a regular file at `path` (a missing path is fine);
 * returns whether a regular file is there.
 */
export function checkRegularFile(path: string): boolean {
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw writeError(path, e);
  }
  if (st.isSymbolicLink()) throw new UserError(path, '', 'is a symbolic link; refusing to write through it');
  if (!st.isFile()) throw new UserError(path, '', 'is not a regular file; refusing to write to it');
  return true;
}

/** Creates `path` exclusively (never through a link), for reading and writing; returns the fd. */
export function openNew(path: string): number {
  try {
    return openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
  } catch (e) {
    throw writeError(path, e);
  }
}

/** Opens an existing regular file for reading and writing, refusing a link. */
export function openExisting(path: string): number {
  checkRegularFile(path);
  try {
    return openSync(path, constants.O_RDWR | constants.O_NOFOLLOW);
  } catch (e) {
    throw writeError(path, e);
  }
}

/**
 * A file being written through a temporary sibling: bytes go to the temporary file (hashed as they
 * go), `commit` fsyncs it and renames it over the target, `abort` removes it. Until `commit`, the
 * target is untouched; several can be open at once (runs.csv and runs.parquet from one pass).
 */
export class AtomicFile {
  private readonly tmp: string;
  private fd: number | null;
  private readonly hash = createHash('sha256');
  private pending = '';

  constructor(readonly path: string) {
    this.tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    this.fd = openNew(this.tmp);
  }

  /** Appends text (buffered; written in pieces of 64 KiB). */
  text(text: string): void {
    this.pending += text;
    if (this.pending.length >= 1 << 16) this.flushText();
  }

  /** Appends bytes (after any buffered text). */
  bytes(buf: Uint8Array): void {
    this.flushText();
    this.raw(buf);
  }

  /** Completes the file: fsync, close, rename over the target. Returns the sha256 (hex) of its bytes. */
  commit(): string {
    try {
      this.flushText();
      fsyncSync(this.open());
      closeSync(this.open());
      this.fd = null;
      renameSync(this.tmp, this.path);
      return this.hash.digest('hex');
    } catch (e) {
      this.abort();
      throw writeError(this.path, e);
    }
  }

  /** Gives up: the temporary file is closed and removed, the target stays as it was. */
  abort(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = null;
    }
    rmSync(this.tmp, { force: true });
  }

  private open(): number {
    if (this.fd === null) throw new Error(`${this.path}: written after commit or abort`);
    return this.fd;
  }

  private flushText(): void {
    if (!this.pending) return;
    const buf = Buffer.from(this.pending);
    this.pending = '';
    this.raw(buf);
  }

  private raw(buf: Uint8Array): void {
    try {
      writeAll(this.open(), buf, null, this.path);
    } catch (e) {
      throw writeError(this.path, e);
    }
    this.hash.update(buf);
  }
}

/**
 * Writes `path` through a temporary sibling and a rename; `fill` writes the text in pieces.
 * Returns the sha256 (hex) of the bytes written. On any failure neither the target nor the temporary
 * file is changed or left behind.
 */
export function writeFileAtomic(path: string, fill: (write: (text: string) => void) => void): string {
  const file = new AtomicFile(path);
  try {
    fill((text) => file.text(text));
  } catch (e) {
    file.abort();
    throw writeError(path, e);
  }
  return file.commit();
}

/** Writes `text` to `path` atomically (see writeFileAtomic). */
export function writeTextAtomic(path: string, text: string): void {
  writeFileAtomic(path, (write) => write(text));
}

/** Creates `path` (which must not exist) with `text`, complete and fsynced, or not at all. */
export function writeNewFile(path: string, text: string): void {
  const fd = openNew(path);
  try {
    writeAll(fd, Buffer.from(text), null, path);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw writeError(path, e);
  }
  closeSync(fd);
}
