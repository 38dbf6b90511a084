// The fault drill's process and file helpers (bench/drill.ts): spawning the CLI with a timeout and a memory
// watch, the journal's progress, comparing outputs with the reference, tmpfs mounts. No drill of its own.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../scenarios/load.js';
import { diffRows, type DrillRow, failureNote, oneLineProblem } from './drill-lib.js';

export const CLI = join(packageRoot(), 'dist', 'sim', 'cli', 'main.js');
/** Runs in the drill's sweep: 1 scenario x 3 cells x 40 replicates. */
export const TOTAL_RUNS = 120;
/** The drill's sweep: small worlds, so a whole sweep takes a few seconds on 2 cores. */
export const SWEEP_YAML = [
  'name: drill',
  'description: The fault drill sweep (bench/drill.ts), small worlds so that it takes a few seconds.',
  'scenarios:',
  '  - flash-crash',
  'set:',
  '  agents.traders.count: 200',
  '  run.steps: 700',
  'grid:',
  '  protocol.maintenanceMarginRate: [0.02, 0.03, 0.04]',
  `replicates: ${TOTAL_RUNS / 3}`,
  'seed: 1',
  '',
].join('\n');
/** A hostile input that has not failed within this time has hung (or is expanding without bound). */
export const HOSTILE_TIMEOUT_MS = 20_000;
/** A FIFO nobody writes to: a reader blocks for ever, so the guard is shorter. */
export const FIFO_TIMEOUT_MS = 10_000;
/** A sweep that has not finished by then is stuck. */
export const SWEEP_TIMEOUT_MS = 90_000;
/** Resident memory a refusal may reach (MB): a hostile file must be refused, not expanded. */
export const MEMORY_LIMIT_MB = 1024;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
  /** Highest VmRSS seen while it ran (MB; 0 where /proc is not readable). */
  peakRssMb: number;
}

export interface Started {
  child: ChildProcess;
  done: Promise<CliResult>;
}

/** The outcome of one attempt: whether it survived, rows lost / duplicated where they apply, a note. */
export interface Attempt {
  ok: boolean;
  lost?: number;
  duplicated?: number;
  note: string;
  /** What the attempt was (e.g. 'validate'), named in the note when it fails. */
  label?: string;
  /** The command's stderr, printed after the table when the attempt did not survive. */
  detail?: string;
}

export const live = new Set<ChildProcess>();
/** What did not survive, with the stderr seen: printed on stderr after the table. */
export const failures: string[] = [];
/** The drill's temporary directory, written as $TMP in the table. */
let tmpRoot = '';

/** Names the drill's temporary directory, shown as $TMP in notes. */
export function setTmpRoot(dir: string): void {
  tmpRoot = dir;
}
export const mounts: string[] = [];

export function rssMb(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Starts a command (the CLI unless `file` is given) in `cwd`, killed with SIGKILL after `timeoutMs`. */
export function start(args: string[], cwd: string, timeoutMs: number, file: string = process.execPath): Started {
  const t0 = Date.now();
  const argv = file === process.execPath ? [CLI, ...args] : args;
  const child = spawn(file, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  let peak = 0;
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const poll = setInterval(() => {
    if (child.pid !== undefined) peak = Math.max(peak, rssMb(child.pid));
  }, 50);
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const done = new Promise<CliResult>((resolve) => {
    child.on('error', (e) => {
      stderr += `drill: could not start ${file}: ${e.message}\n`;
    });
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, signal, stdout, stderr, timedOut, ms: Date.now() - t0, peakRssMb: Math.round(peak) });
    });
  });
  return { child, done };
}

export function cli(args: string[], cwd: string, timeoutMs = SWEEP_TIMEOUT_MS): Promise<CliResult> {
  return start(args, cwd, timeoutMs).done;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs finished in a sweep's journal (complete lines after the header line). */
export function journaledRuns(out: string): number {
  try {
    const text = readFileSync(join(out, 'runs.journal.jsonl'), 'utf8');
    let n = 0;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
    return Math.max(0, n - 1);
  } catch {
    return 0;
  }
}

/** Waits until the journal holds at least `runs` runs or the process ends; true when the target was reached first. */
export async function waitForRuns(out: string, runs: number, started: Started): Promise<boolean> {
  let ended = false;
  void started.done.then(() => (ended = true));
  while (!ended) {
    if (journaledRuns(out) >= runs) return true;
    await sleep(5);
  }
  return false;
}

/** A text with the drill's temporary directory written as $TMP. */
export function untmp(text: string): string {
  return tmpRoot === '' ? text : text.split(tmpRoot).join('$TMP');
}

/** The first line of a text, shortened for a table note. */
export function firstLine(text: string): string {
  const line = untmp(text.split(/\r?\n/).find((l) => l.trim().length > 0) ?? '');
  return line.length > 90 ? line.slice(0, 87) + '...' : line;
}

export function describeExit(r: CliResult): string {
  if (r.timedOut) return `no answer within ${Math.round(r.ms / 1000)} s (killed)`;
  return r.signal !== null ? `killed by ${r.signal}` : `exit ${r.code}`;
}

export interface Reference {
  runs: string;
  cells: string;
}

/** Compares a finished sweep's runs.csv and cells.csv with the reference. */
export function compare(out: string, ref: Reference): Attempt {
  const runsFile = join(out, 'runs.csv');
  const cellsFile = join(out, 'cells.csv');
  if (!existsSync(runsFile)) {
    const d = diffRows(ref.runs, '');
    return { ok: false, lost: d.lost, duplicated: 0, note: 'no runs.csv' };
  }
  const runs = readFileSync(runsFile, 'utf8');
  const cells = existsSync(cellsFile) ? readFileSync(cellsFile, 'utf8') : '';
  const d = diffRows(ref.runs, runs);
  const same = runs === ref.runs && cells === ref.cells;
  const what = [
    runs === ref.runs ? '' : 'runs.csv differs',
    cells === ref.cells ? '' : 'cells.csv differs',
    d.foreign > 0 ? `${d.foreign} foreign rows` : '',
  ].filter((s) => s !== '');
  return { ok: same, lost: d.lost, duplicated: d.duplicated, note: same ? 'identical' : what.join(', ') };
}

/** Files that would make an unfinished sweep look complete. */
export function completeLooking(out: string): string[] {
  return ['runs.csv', 'cells.csv', 'manifest.json'].filter((f) => existsSync(join(out, f)));
}

/** A clean refusal: a non-zero exit in time, one line on stderr, no stack trace, memory bounded. */
export function refusal(r: CliResult): Attempt {
  const detail = r.stderr;
  if (r.timedOut || r.code === null)
    return { ok: false, note: `${describeExit(r)}, ${r.peakRssMb} MB resident`, detail };
  if (r.code === 0) return { ok: false, note: 'exit 0 (accepted)', detail: r.stdout.split('\n')[0] + '\n' + detail };
  const problem = oneLineProblem(r.stderr);
  if (problem !== null) return { ok: false, note: `exit ${r.code}, ${problem}`, detail };
  if (r.peakRssMb > MEMORY_LIMIT_MB)
    return { ok: false, note: `exit ${r.code} but ${r.peakRssMb} MB resident`, detail };
  return { ok: true, note: `exit ${r.code}, one line`, detail };
}

export function row(drill: string, attempts: Attempt[], rowsApply: boolean, summary?: string): DrillRow {
  const failed = attempts.filter((a) => !a.ok);
  const sum = (k: 'lost' | 'duplicated'): number | null =>
    rowsApply ? attempts.reduce((s, a) => s + (a[k] ?? 0), 0) : null;
  const named = (a: Attempt): string => (a.label === undefined ? a.note : `${a.label}: ${a.note}`);
  for (const a of failed) {
    const err = untmp((a.detail ?? '').trimEnd());
    failures.push(`${drill}: ${named(a)}` + (err === '' ? '' : '\n' + err.replace(/^/gm, '    ')));
  }
  const uniq = (xs: string[]): string => [...new Set(xs)].join('; ');
  const note = failed.length > 0 ? failureNote(failed) : (summary ?? uniq(attempts.map((a) => a.note)));
  return {
    drill,
    tried: attempts.length,
    survived: attempts.length - failed.length,
    lost: sum('lost'),
    duplicated: sum('duplicated'),
    note,
  };
}

export function skipped(drill: string, note: string): DrillRow {
  return { drill, tried: 0, survived: 0, lost: null, duplicated: null, note, skipped: true };
}

export const isRoot = (): boolean => process.getuid?.() === 0;

export function sh(cmd: string, args: string[]): { ok: boolean; err: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { ok: r.status === 0, err: (r.stderr ?? r.error?.message ?? '').trim() };
}

/** Mounts a tmpfs of `size` at `dir` (created); false when it cannot be done here. */
export function mountTmpfs(dir: string, size: string): boolean {
  if (!isRoot()) return false;
  mkdirSync(dir, { recursive: true });
  if (!sh('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir]).ok) return false;
  mounts.push(dir);
  return true;
}

export function unmountAll(): void {
  while (mounts.length > 0) {
    const dir = mounts.pop() as string;
    if (!sh('umount', [dir]).ok) sh('umount', ['-l', dir]);
  }
}
