// Result fingerprints: SHA-256 of summary.json and timeline.csv of every built-in scenario at
// seeds 1-3, and of the default sweep's runs.csv and cells.csv at 20 replicates, made through the
// built CLI exactly as a user would. `--write FILE` records them; `--check FILE` (the default mode)
// re-makes them and exits 1 naming every file whose bytes changed. A refactor that must not move a
// result keeps this list unchanged; a change of results on purpose re-records it in the same commit.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: { cascade: string } };
const cli = join(root, pkg.bin.cascade);
const SEEDS = [1, 2, 3];

function cascade(args: string[]): void {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cascade ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function fingerprints(): Record<string, string> {
  const out: Record<string, string> = {};
  const tmp = mkdtempSync(join(tmpdir(), 'cascade-hashes-'));
  try {
    const builtins = readdirSync(join(root, 'scenarios', 'builtin'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => basename(f, '.yaml'))
      .sort();
    for (const name of builtins)
      for (const seed of SEEDS) {
        const dir = join(tmp, `${name}-${seed}`);
        cascade(['run', name, '--seed', String(seed), '--out', dir, '--quiet']);
        out[`run ${name} seed ${seed} summary.json`] = sha(join(dir, 'summary.json'));
        out[`run ${name} seed ${seed} timeline.csv`] = sha(join(dir, 'timeline.csv'));
      }
    const dir = join(tmp, 'sweep-default');
    cascade(['sweep', 'default', '--replicates', '20', '--out', dir, '--no-progress']);
    out['sweep default x20 runs.csv'] = sha(join(dir, 'runs.csv'));
    out['sweep default x20 cells.csv'] = sha(join(dir, 'cells.csv'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

function main(argv: string[]): number {
  const write = argv.indexOf('--write');
  const check = argv.indexOf('--check');
  const file = resolve(argv[(write >= 0 ? write : check) + 1] ?? join(root, 'test', 'golden', 'result-hashes.json'));
  const now = fingerprints();
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

process.exitCode = main(process.argv.slice(2));
