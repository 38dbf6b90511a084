// Shared by the HTML report tests: small results directories made by the compiled CLI (a small
// sweep, a small or full flash-crash run), the CSVs read back, and the data attributes of the
// report's SVG elements pulled out of the HTML text.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsvTable } from '../../reports/csv-read.js';
import { smallWorldSets } from './small-world.js';
import { CLI, ROOT } from './sweep-helpers.js';

export { CLI, ROOT };

export function tempDir(prefix = 'cascade-report-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs the compiled CLI; throws with its stderr when the exit code is not `expect`. */
export function cascade(args: readonly string[], expect = 0): { stdout: string; stderr: string; status: number } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== expect)
    throw new Error(`cascade ${args.join(' ')}: exit ${r.status}, expected ${expect}\n${r.stderr}${r.stdout}`);
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

/** The small world of the report tests: 200 traders, 800 steps (the crash at step 600 and its rebound fit). */
export const SMALL_SETS = smallWorldSets(200, 800);

/**
 * Writes and runs a small sweep: flash-crash and oracle-stall x a 2 x 2 margin/fee grid (plus
 * `extraGrid` lines) x `replicates`, with a budget on each heatmap metric. Returns the output directory.
 */
export function smallSweep(
  dir: string,
  opts: { replicates?: number; extraGrid?: string[]; report?: boolean; name?: string } = {},
): string {
  const file = join(dir, `${opts.name ?? 'report-small'}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${opts.name ?? 'report-small'}`,
      'description: Two crash scenarios over a small margin and fee grid, for the report tests.',
      'scenarios:',
      '  - flash-crash',
      '  - oracle-stall',
      'set:',
      ...SMALL_SETS.map((s) => `  - ${s}`),
      'grid:',
      '  protocol.maintenanceMarginRate: [0.02, 0.04]',
      '  protocol.liquidationFeeRate: [0.005, 0.015]',
      ...(opts.extraGrid ?? []),
      `replicates: ${opts.replicates ?? 10}`,
      'seed: 11',
      'budgets:',
      // One budget every cell passes, one every flash-crash cell breaks, whatever the simulation's figures.
      '  - p_insolvent <= 1',
      '  - { scenario: flash-crash, budget: "bad_debt_p99_usd < 0" }',
      '',
    ].join('\n'),
  );
  const out = join(dir, opts.name ?? 'sweep');
  cascade(['sweep', file, '--out', out, '--threads', '2', '--no-progress', ...(opts.report ? ['--report'] : [])]);
  return out;
}

/** Runs flash-crash (small world unless `full`) into `dir`/`name`, with --report. */
export function flashCrashRun(dir: string, name: string, full = false): string {
  const out = join(dir, name);
  cascade([
    'run',
    'flash-crash',
    '--seed',
    '3',
    ...(full ? [] : SMALL_SETS.flatMap((s) => ['--set', s])),
    '--out',
    out,
    '--quiet',
    '--report',
  ]);
  return out;
}

/** A CSV file as objects keyed by the header, with the exact cell text. */
export function csvObjects(file: string): Record<string, string>[] {
  const t = readCsvTable(file);
  return t.rows.map((r) => Object.fromEntries(t.header.map((h, i) => [h, r[i]])));
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

function unescape(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITIES[e]);
}

/** The attributes of every start tag `<tag ...>` whose class list holds `cls`, in document order. */
export function tagsWithClass(html: string, tag: string, cls: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const re = new RegExp(`<${tag}\\s([^>]*)>`, 'g');
  for (const m of html.matchAll(re)) {
    const attrs: Record<string, string> = {};
    for (const a of m[1].matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]] = unescape(a[2]);
    if ((attrs.class ?? '').split(/\s+/).includes(cls)) out.push(attrs);
  }
  return out;
}

/** The start tag attributes of the element with `id`. */
export function tagWithId(html: string, id: string): Record<string, string> | undefined {
  const m = new RegExp(`<(\\w+)\\s([^>]*\\bid="${id}"[^>]*)>`).exec(html);
  if (!m) return undefined;
  const attrs: Record<string, string> = {};
  for (const a of m[2].matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]] = unescape(a[2]);
  return attrs;
}

/** The SVG element with `id`, as text (from its start tag to its matching `</svg>`). */
export function svgById(html: string, id: string): string {
  const idAt = html.indexOf(` id="${id}"`);
  const at = idAt < 0 ? -1 : html.lastIndexOf('<svg', idAt);
  if (at < 0) throw new Error(`no svg with id ${id}`);
  return html.slice(at, html.indexOf('</svg>', at) + 6);
}
