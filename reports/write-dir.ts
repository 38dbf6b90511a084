// Writes a set of files as one output directory, atomically: everything goes into a temporary
// sibling directory that is renamed into place, so an interrupted run never leaves a directory
// that looks complete.
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../sim/errors.js';

export function writeOutputDir(dir: string, files: Record<string, string>): void {
  const target = resolve(dir);
  if (existsSync(target) && !statSync(target).isDirectory())
    throw new UserError('--out', '', `${dir} exists and is not a directory`);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(`${tmp}/${name}`, text);
    if (existsSync(target)) {
      const old = `${target}.old-${process.pid}`;
      renameSync(target, old);
      renameSync(tmp, target);
      rmSync(old, { recursive: true, force: true });
    } else renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
