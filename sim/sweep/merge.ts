// Joins the output directories of a sharded sweep (`cascade sweep --shard k/N`) into the files one
// machine would have written: runs.csv with every run in run order, cells.csv, and a manifest. Refuses
// shards of different sweeps, a missing or repeated shard, an unfinished shard, or a runs.csv that
// does not match its plan. Reads shard files line by line; runs nothing.
import { parseCsvLine } from '../../reports/csv-read.js';
import { checkOutPath, ensureDir, removeCreatedDirs } from '../../reports/write-dir.js';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  fileSha256,
  runsHeader,
  runsLine,
  writeJsonAtomic,
  resultFiles,
  writeSweepFiles,
  type CellRow,
  type OutputFormat,
} from '../../reports/sweep-output.js';
import { stringify } from 'csv-stringify/sync';
import { UserError } from '../core/errors.js';
import { readLines, type Line } from './line-reader.js';
import { defaultOutDir, JOURNAL_FILE, MANIFEST_FORMAT, removeEarlierSweepFiles } from './sweep.js';
import type { RunRecord } from './sweep-journal.js';
import { PLAN_LOCATOR, shardSize, type PlanMeta, type Shard } from './sweep-plan.js';

// The one CSV parser lives in reports/csv-read.ts; re-exported for the importers of this module.
export { parseCsvLine };

export interface MergeOutcome {
  /** 0 when every run is ok, 1 when any run errored. */
  exitCode: number;
  outDir: string;
  meta: PlanMeta;
  cells: CellRow[];
  runs: number;
  errors: number;
}

interface ShardDir {
  dir: string;
  shard: Shard;
  manifest: Record<string, unknown>;
}

function readShardDir(dir: string): ShardDir {
  const file = join(dir, 'manifest.json');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(dir, '', 'no such directory');
  if (!existsSync(file)) {
    const unfinished = existsSync(join(dir, JOURNAL_FILE));
    throw new UserError(
      dir,
      '',
      unfinished
        ? 'the shard did not finish (it has a journal but no manifest.json): complete it with --resume first'
        : 'no manifest.json: not the output directory of a sweep shard',
    );
  }
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new UserError(file, '', `invalid JSON: ${(e as Error).message}`);
  }
  if (manifest.format !== MANIFEST_FORMAT || manifest.complete !== true || typeof manifest.sweep_hash !== 'string')
    throw new UserError(file, '', `not a complete cascade sweep manifest (expected format ${MANIFEST_FORMAT})`);
  const shard = manifest.shard as Shard | null;
  if (!shard) throw new UserError(dir, '', 'is a whole sweep, not a shard (run shards with --shard k/N)');
  return { dir, shard, manifest };
}

/** Checks that `shards` are all N shards of one sweep, each once; returns them ordered by shard index. */
function checkShardSet(shards: ShardDir[]): ShardDir[] {
  const first = shards[0];
  for (const s of shards.slice(1)) {
    if (s.manifest.sweep_hash !== first.manifest.sweep_hash)
      throw new UserError(
        s.dir,
        '',
        `is a shard of a different sweep than ${first.dir} (sweep hash ${String(s.manifest.sweep_hash).slice(0, 12)} vs ${String(first.manifest.sweep_hash).slice(0, 12)})`,
      );
    if (s.shard.count !== first.shard.count)
      throw new UserError(
        s.dir,
        '',
        `is shard ${s.shard.index}/${s.shard.count}, but ${first.dir} is one of ${first.shard.count}`,
      );
  }
  const n = first.shard.count;
  const byIndex = new Map<number, ShardDir>();
  for (const s of shards) {
    const twin = byIndex.get(s.shard.index);
    if (twin) throw new UserError(s.dir, '', `shard ${s.shard.index}/${n} is given twice (also ${twin.dir})`);
    byIndex.set(s.shard.index, s);
  }
  const missing = Array.from({ length: n }, (_, k) => k + 1).filter((k) => !byIndex.has(k));
  if (missing.length)
    throw new UserError(
      'cascade merge',
      '',
      `missing shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${n}`).join(', ')}: merge needs all ${n} shards of the sweep`,
    );
  return Array.from({ length: n }, (_, k) => byIndex.get(k + 1)!);
}

/** Reads runs.csv of every shard in turn, run by run, checking each row against the plan. */
function* mergedRecords(meta: PlanMeta, shards: ShardDir[]): Generator<RunRecord> {
  const n = shards.length;
  const header = stringify([runsHeader(meta)]).replace(/\n$/, '');
  const statStart = 4 + meta.grid.length;
  const readers = shards.map((s) => {
    const file = join(s.dir, 'runs.csv');
    if (!existsSync(file)) throw new UserError(s.dir, '', 'runs.csv is missing');
    const recorded = (s.manifest.sha256 as Record<string, string> | undefined)?.['runs.csv'];
    if (recorded !== fileSha256(file))
      throw new UserError(file, '', 'does not match the sha256 recorded in manifest.json (edited or corrupt)');
    const lines = readLines(file);
    const head = lines.next();
    if (head.done || head.value.text !== header)
      throw new UserError(file, 'line 1', 'header does not match the sweep plan in manifest.json');
    return { file, lines, lineNo: 1 };
  });
  for (let i = 0; i < meta.total_runs; i++) {
    const r = readers[i % n];
    const next: IteratorResult<Line> = r.lines.next();
    r.lineNo++;
    if (next.done) throw new UserError(r.file, '', `ends early: run ${i} is missing`);
    let fields: string[];
    try {
      fields = parseCsvLine(next.value.text);
    } catch (e) {
      throw new UserError(r.file, `line ${r.lineNo}`, `malformed CSV: ${(e as Error).message}`);
    }
    const status = fields[fields.length - 2];
    const record: RunRecord = {
      runIndex: Number(fields[0]),
      status: status === 'ok' ? 'ok' : 'error',
      error: fields[fields.length - 1] ?? '',
      stats: status === 'ok' ? fields.slice(statStart, statStart + meta.stat_keys.length).map(Number) : null,
    };
    // Re-printing the row must give back its exact bytes: anything else means the file is not what this plan wrote.
    if (record.runIndex !== i || runsLine(meta, record, PLAN_LOCATOR) !== next.value.text + '\n')
      throw new UserError(
        r.file,
        `line ${r.lineNo}`,
        `does not match run ${i} of the sweep plan (edited or corrupt file)`,
      );
    yield record;
  }
  for (const r of readers)
    if (!r.lines.next().done) throw new UserError(r.file, '', 'has more rows than its shard of the sweep');
}

/** Merges shard directories into `out` (default out/sweep-<name>). */
export function mergeShards(dirs: readonly string[], out?: string, format: OutputFormat = 'csv'): MergeOutcome {
  if (dirs.length === 0) throw new UserError('cascade merge', '', 'name the shard output directories to merge');
  checkOutPath(out);
  const shards = checkShardSet(dirs.map(readShardDir));
  const meta = shards[0].manifest.plan as PlanMeta;
  for (const s of shards) {
    const expected = shardSize(meta.total_runs, s.shard);
    if (s.manifest.runs !== expected)
      throw new UserError(
        s.dir,
        '',
        `manifest.json records ${String(s.manifest.runs)} runs, shard ${s.shard.index}/${s.shard.count} has ${expected}`,
      );
  }
  const outDir = resolve(out ?? defaultOutDir(meta.name, null));
  if (shards.some((s) => resolve(s.dir) === outDir))
    throw new UserError('--out', '', `${outDir} is one of the shard directories; merge into another directory`);
  if (existsSync(outDir) && !statSync(outDir).isDirectory())
    throw new UserError('--out', '', `${outDir} exists and is not a directory`);
  if (existsSync(outDir)) removeEarlierSweepFiles(outDir);
  const created = ensureDir(outDir);
  try {
    return writeMerged(outDir, meta, shards, format);
  } catch (e) {
    // A failed merge leaves no directory it created: its own partial files go, then the empty dirs.
    if (created !== undefined) {
      for (const f of [...resultFiles(format, true), 'manifest.json']) rmSync(join(outDir, f), { force: true });
      removeCreatedDirs(outDir, created);
    }
    throw e;
  }
}

function writeMerged(outDir: string, meta: PlanMeta, shards: ShardDir[], format: OutputFormat): MergeOutcome {
  const started = performance.now();
  const written = writeSweepFiles(outDir, meta, mergedRecords(meta, shards), true, PLAN_LOCATOR, format);
  const num = (m: Record<string, unknown>, k: string): number => Number(m[k]) || 0;
  const firstManifest = shards[0].manifest;
  writeJsonAtomic(join(outDir, 'manifest.json'), {
    ...firstManifest,
    shard: null,
    files: Object.keys(written.sha256),
    sha256: written.sha256,
    runs: written.runs,
    errors: written.errors,
    // Shards ran side by side: the sweep took as long as the slowest and ran at the sum of their rates.
    threads: shards.reduce((t, s) => t + num(s.manifest, 'threads'), 0),
    wall_time_s: Math.max(...shards.map((s) => num(s.manifest, 'wall_time_s'))),
    runs_executed: shards.reduce((t, s) => t + num(s.manifest, 'runs_executed'), 0),
    runs_resumed: shards.reduce((t, s) => t + num(s.manifest, 'runs_resumed'), 0),
    runs_per_s: Number(shards.reduce((t, s) => t + num(s.manifest, 'runs_per_s'), 0).toFixed(2)),
    peak_rss_mb: Math.max(...shards.map((s) => num(s.manifest, 'peak_rss_mb'))),
    merged_from: shards.map((s) => ({
      shard: `${s.shard.index}/${s.shard.count}`,
      dir: s.dir,
      threads: s.manifest.threads,
      wall_time_s: s.manifest.wall_time_s,
      runs_per_s: s.manifest.runs_per_s,
      peak_rss_mb: s.manifest.peak_rss_mb,
      node_version: s.manifest.node_version,
    })),
    merge_wall_time_s: Number(((performance.now() - started) / 1000).toFixed(3)),
  });
  return {
    exitCode: written.errors > 0 ? 1 : 0,
    outDir,
    meta,
    cells: written.cells ?? [],
    runs: written.runs,
    errors: written.errors,
  };
}
