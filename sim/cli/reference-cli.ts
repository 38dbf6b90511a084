// The `cascade reference` command handler: builds the reference pages' inputs from the model's
// declarations (the config schema's parameter docs, the statistics and column registry) and writes every page of REFERENCE_PAGES into
// the directory, each atomically (a temporary file renamed over the old one), touching nothing else
// there. The pages themselves are made in reports/reference.ts.
import { join } from 'node:path';
import { CLI_REFERENCE_FILE, cliMarkdown, REFERENCE_PAGES, type ReferenceInputs } from '../../reports/reference.js';
import { writeTextAtomic } from '../../reports/atomic-write.js';
import { ensureDir } from '../../reports/write-dir.js';
import { parameterDocs } from '../config/index.js';
import {
  CDP_TIMELINE_COLUMNS,
  FAMILY_STATISTICS,
  LENDING_TIMELINE_COLUMNS,
  RUN_STATISTICS,
  TIMELINE_COLUMNS,
} from '../engine.js';
import {
  CDP_WORLD_COLUMNS,
  CDP_WORLD_STATS,
  CONTAGION_CDP_PARTS,
  WORLD_COLUMNS,
  WORLD_STATS,
} from '../contagion/statistics.js';
import { describe } from '../core/registry.js';
import { UserError } from '../core/errors.js';
import { outputFor, where, type OutputFlags } from './output.js';

export interface ReferenceArgs extends OutputFlags {
  out?: string;
}

/** The directory the committed reference lives in (relative to the repository root). */
export const REFERENCE_DIR = join('docs', 'reference');

/** The inputs of every reference page, from the model's declarations. */
export function referenceInputs(): ReferenceInputs {
  return {
    parameters: parameterDocs(),
    timeline: TIMELINE_COLUMNS,
    statistics: RUN_STATISTICS,
    lending: { timeline: LENDING_TIMELINE_COLUMNS, statistics: FAMILY_STATISTICS.lending },
    contagion: {
      // The world's own, then the CDP world's (a config with a cdp section only).
      timeline: describe([...WORLD_COLUMNS, ...CDP_WORLD_COLUMNS]),
      statistics: describe([...WORLD_STATS, ...CDP_WORLD_STATS]),
      parts: CONTAGION_CDP_PARTS.map((p) => p.name),
    },
    cdp: { timeline: CDP_TIMELINE_COLUMNS, statistics: FAMILY_STATISTICS.cdp },
  };
}

/** Writes one file atomically: a temporary sibling renamed over it (reports/atomic-write.ts). */
function writeAtomic(file: string, text: string): void {
  writeTextAtomic(file, text);
}

/** Writes every reference page; `helpTexts` gives each command's --help for the CLI page. */
export async function referenceCommand(
  args: ReferenceArgs,
  helpTexts: () => Promise<{ command: string; help: string }[]>,
): Promise<void> {
  // yargs turns `--out` without a value into ''.
  if (args.out !== undefined && String(args.out).trim() === '')
    throw new UserError('--out', '', 'expected a directory');
  const dir = args.out ?? REFERENCE_DIR;
  ensureDir(dir);
  const inputs = referenceInputs();
  const out = outputFor(args);
  const files: string[] = [];
  const help = await helpTexts();
  const pages = [
    ...REFERENCE_PAGES.map((page) => ({ file: page.file, text: page.render(inputs) })),
    { file: CLI_REFERENCE_FILE, text: cliMarkdown(help) },
  ];
  for (const page of pages) {
    const file = join(dir, page.file);
    writeAtomic(file, page.text);
    files.push(where(file));
    out.text(`wrote ${where(file)}\n`);
  }
  out.doc({ command: 'reference', files });
}
