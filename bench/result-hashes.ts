// Result fingerprints: SHA-256 of summary.json and timeline.csv of every built-in scenario at
// seeds 1-3, and of the default sweep's runs.csv and cells.csv at 20 replicates, made through the
// built CLI exactly as a user would. `--write FILE` records them; `--check FILE` (the default mode)
// re-makes them and exits 1 naming every file whose bytes changed. A refactor that must not move a
// result keeps this list unchanged; a change of results on purpose re-records it in the same commit.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: { cascade: string } };
const cli = join(root, pkg.bin.cascade);
const SEEDS = [1, 2, 3];

/** Runs the built CLI; rejects with its stderr when it exits non-zero. */
function cascade(args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0 ? done() : fail(new Error(`cascade ${args.join(' ')} exited ${code}: ${stderr.trim()}`)),
    );
  });
}

/** Runs `jobs` with at most `width` at a time (each run is its own process: the order of runs changes no byte). */
async function pool(jobs: (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) await jobs[next++]();
  };
  await Promise.all(Array.from({ length: Math.max(1, width) }, lane));
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function fingerprints(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const tmp = mkdtempSync(join(tmpdir(), 'cascade-hashes-'));
  try {
    const builtins = readdirSync(join(root, 'scenarios', 'builtin'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => basename(f, '.yaml'))
      .sort();
    const runs = builtins.flatMap((name) => SEEDS.map((seed) => ({ name, seed, dir: join(tmp, `${name}-${seed}`) })));
    // The runs are independent processes: as many at once as there are cores.
    await pool(
      runs.map((r) => () => cascade(['run', r.name, '--seed', String(r.seed), '--out', r.dir, '--quiet'])),
      availableParallelism(),
    );
    // Keys in the order a sequential pass wrote them.
    for (const { name, seed, dir } of runs) {
      out[`run ${name} seed ${seed} summary.json`] = sha(join(dir, 'summary.json'));
      out[`run ${name} seed ${seed} timeline.csv`] = sha(join(dir, 'timeline.csv'));
    }
    const dir = join(tmp, 'sweep-default');
    await cascade(['sweep', 'default', '--replicates', '20', '--out', dir, '--no-progress']);
    out['sweep default x20 runs.csv'] = sha(join(dir, 'runs.csv'));
    out['sweep default x20 cells.csv'] = sha(join(dir, 'cells.csv'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  const write = argv.indexOf('--write');
  const check = argv.indexOf('--check');
  const file = resolve(argv[(write >= 0 ? write : check) + 1] ?? join(root, 'test', 'golden', 'result-hashes.json'));
  const now = await fingerprints();
  if (write >= 0) {
    writeFileSync(file, JSON.stringify(now, null, 2) + '\n');
    console.log(`wrote ${Object.keys(now).length} fingerprints to ${file}`);
    return 0;
  }
  const before = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(now)])].sort();
  const changed = keys.filter((k) => before[k] !== now[k]);
  for (const k of changed)
    console.log(`changed: ${k} (${before[k]?.slice(0, 12) ?? 'absent'} -> ${now[k]?.slice(0, 12) ?? 'absent'})`);
  console.log(`${keys.length - changed.length} of ${keys.length} result files identical`);
  return changed.length ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
