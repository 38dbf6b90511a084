// The `cascade reference` command handler: builds the reference pages' inputs from the model's
// declarations (the config schema's parameter docs, the statistics and column registry) and writes every page of REFERENCE_PAGES into
// the directory, each atomically (a temporary file renamed over the old one), touching nothing else
// there. The pages themselves are made in reports/reference.ts.
import { join, relative } from 'node:path';
import { REFERENCE_PAGES, type ReferenceInputs } from '../../reports/reference.js';
import { writeTextAtomic } from '../../reports/atomic-write.js';
import { ensureDir } from '../../reports/write-dir.js';
import { parameterDocs } from '../config/index.js';
import { RUN_STATISTICS, TIMELINE_COLUMNS } from '../engine.js';
import { UserError } from '../core/errors.js';

export interface ReferenceArgs {
  out?: string;
}

/** The directory the committed reference lives in (relative to the repository root). */
export const REFERENCE_DIR = join('docs', 'reference');

/** The inputs of every reference page, from the model's declarations. */
export function referenceInputs(): ReferenceInputs {
  return { parameters: parameterDocs(), timeline: TIMELINE_COLUMNS, statistics: RUN_STATISTICS };
}

/** Writes one file atomically: a temporary sibling renamed over it (reports/atomic-write.ts). */
function writeAtomic(file: string, text: string): void {
  writeTextAtomic(file, text);
}

export function referenceCommand(args: ReferenceArgs): void {
  // yargs turns `--out` without a value into ''.
  if (args.out !== undefined && String(args.out).trim() === '')
    throw new UserError('--out', '', 'expected a directory');
  const dir = args.out ?? REFERENCE_DIR;
  ensureDir(dir);
  const inputs = referenceInputs();
  for (const page of REFERENCE_PAGES) {
    const file = join(dir, page.file);
    writeAtomic(file, page.render(inputs));
    const rel = relative(process.cwd(), file);
    process.stdout.write(`wrote ${rel && !rel.startsWith('..') ? rel : file}\n`);
  }
}
