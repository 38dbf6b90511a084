// Writes a run's output files into a directory so that an interrupted run never leaves a directory
// that looks complete: a new directory is built under a temporary sibling name and renamed into
// place; in an existing directory only this run's own files are replaced (the old copies are
// removed first, the new ones written under temporary names and renamed in order, the last file
// last), and nothing else in the directory is touched.
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../sim/core/errors.js';
import { checkRegularFile, writeError, writeNewFile } from './atomic-write.js';

/** Creates a directory (and its parents); a path that cannot be one is a UserError naming `flag`. */
export function ensureDir(dir: string, flag = '--out'): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new UserError(flag, '', `cannot create directory ${dir} (${code}): is a parent a file?`);
  }
}

export function writeOutputDir(dir: string, files: Record<string, string>): void {
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
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    for (const [name, text] of Object.entries(files)) writeNewFile(join(tmp, name), text);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw writeError(target, e);
  }
}
