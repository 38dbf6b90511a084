// Benchmark of sweeps: the default sweep with 1 thread and with every thread,
// runs/s of each and the speedup, checking that both wrote the same bytes; then 20,000 short runs
// for the peak resident memory of a sweep process. Each sweep runs in its own `cascade` process, as
// a user runs it. A script that prints figures, not a test: nothing here asserts.
// Usage: node dist/bench/sweep-bench.js [replicates per cell, default 100]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../scenarios/load.js';

interface Figures {
  runs: number;
  runsPerS: number;
  wallS: number;
  peakRssMb: number;
}

const CLI = join(packageRoot(), 'dist', 'sim', 'cli', 'main.js');

function sweep(args: string[], out: string): Figures {
  const res = spawnSync(process.execPath, [CLI, 'sweep', ...args, '--out', out, '--no-progress'], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`cascade sweep ${args.join(' ')} failed (${res.status}): ${res.stderr}`);
  const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  return { runs: m.runs, runsPerS: m.runs_per_s, wallS: m.wall_time_s, peakRssMb: m.peak_rss_mb };
}

function main(): void {
  // 2,700 runs: enough that process and worker start-up weigh little, short enough to run twice.
  const replicates = ['--replicates', process.argv[2] ?? '100'];
  const threads = availableParallelism();
  const dir = mkdtempSync(join(tmpdir(), 'cascade-sweep-bench-'));
  try {
    const one = sweep(['default', ...replicates, '--threads', '1'], join(dir, 't1'));
    const all = sweep(['default', ...replicates, '--threads', String(threads)], join(dir, 'tn'));
    const same = ['runs.csv', 'cells.csv'].every(
      (f) => readFileSync(join(dir, 't1', f), 'utf8') === readFileSync(join(dir, 'tn', f), 'utf8'),
    );
    console.log(`sweep benchmark: default sweep, ${one.runs} runs`);
    console.log(`  1 thread            ${one.runsPerS.toFixed(1)} runs/s (${one.wallS.toFixed(1)} s)`);
    console.log(
      `  ${String(threads).padEnd(2)}threads          ${all.runsPerS.toFixed(1)} runs/s (${all.wallS.toFixed(1)} s)`,
    );
    console.log(
      threads > 1
        ? `  speedup             ${(all.runsPerS / one.runsPerS).toFixed(2)}x on ${threads} threads`
        : '  speedup             n/a (one hardware thread)',
    );
    console.log(`  files identical     ${same ? 'yes' : 'NO: runs.csv or cells.csv differ between thread counts'}`);

    const many = join(dir, 'many.yaml');
    writeFileSync(
      many,
      [
        'name: many-short-runs',
        'scenarios: [calm]',
        'set: { run.steps: 5, agents.traders.count: 20 }',
        'grid:',
        '  protocol.maintenanceMarginRate: [0.02, 0.03, 0.04, 0.05]',
        'replicates: 5000',
        'seed: 3',
      ].join('\n'),
    );
    const short = sweep([many], join(dir, 'many'));
    console.log(
      `  20,000 short runs   peak RSS ${short.peakRssMb} MB (whole process, ${threads} threads), ${short.runsPerS.toFixed(0)} runs/s`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
