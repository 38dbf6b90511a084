// Writes a run's output files into a directory so that an interrupted run never leaves a directory
// that looks complete: a new directory is built under a temporary sibling name and renamed into
// place; in an existing directory only this run's own files are replaced (the old copies are
// removed first, the new ones written under temporary names and renamed in order, the last file
// last), and nothing else in the directory is touched.
import { existsSync, mkdirSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, parse, resolve } from 'node:path';
import { UserError } from '../sim/core/errors.js';
import { checkRegularFile, WRITE_CAUSES, writeError, writeNewFile } from './atomic-write.js';

/**
 * Refuses an empty output path (it would mean the current directory, whose files a sweep replaces)
 * and the root directory, with one line naming `flag`. An absent flag (undefined) is fine.
 */
export function checkOutPath(out: string | undefined, flag = '--out'): void {
  if (out === undefined) return;
  if (String(out).trim() === '')
    throw new UserError(flag, '', 'expected a directory, got an empty value (that would be the current directory)');
  const full = resolve(out);
  if (full === parse(full).root) throw new UserError(flag, '', `refusing the root directory ${full} as an output`);
}

/**
 * Creates a directory (and its parents); a path that cannot be one is a UserError naming `flag`.
 * Returns the first directory it created (undefined when `dir` already existed).
 */
export function ensureDir(dir: string, flag = '--out'): string | undefined {
  try {
    return mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    const cause = WRITE_CAUSES[code];
    throw new UserError(
      flag,
      '',
      `cannot create directory ${dir}: ${cause ? `${cause} (${code})` : `${code}: is a parent a file, or read-only?`}`,
    );
  }
}

/** Removes `dir` and its parents up to `first` (what ensureDir created), each only while it is empty. */
export function removeCreatedDirs(dir: string, first: string | undefined): void {
  if (first === undefined) return;
  const stop = resolve(first);
  for (let d = resolve(dir); ; d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
    if (d === stop || d === dirname(d)) return;
  }
}

export function writeOutputDir(dir: string, files: Record<string, string>): void {
  checkOutPath(dir);
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new UserError('--out', '', `${dir} exists and is not a directory`);
    const names = Object.keys(files);
    // A link at one of our names is refused rather than replaced or written through.
    for (const name of names) checkRegularFile(join(target, name));
    for (const name of names) rmSync(join(target, name), { force: true });
    const tmp = (name: string) => join(target, `${name}.tmp-${process.pid}`);
    const made: string[] = [];
    try {
      for (const name of names) {
        writeNewFile(tmp(name), files[name]);
        made.push(name);
      }
      for (const name of names) renameSync(tmp(name), join(target, name));
    } catch (e) {
      for (const name of made) rmSync(tmp(name), { force: true });
      throw writeError(join(target, names[made.length] ?? ''), e);
    }
    return;
  }
  ensureDir(dirname(target));
  const tmp = `${target}.tmp-${process.pid}`;
  try {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp);
  } catch (e) {
    throw writeError(target, e);
  }
  try {
    for (const [name, text] of Object.entries(files)) writeNewFile(join(tmp, name), text);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw writeError(target, e);
  }
}
