// A sweep of 20,000 short runs keeps the whole process (main thread and workers) under 350 MB
// resident: runs stream to the journal and the files, one cell's statistics at a time. Measured on
// the 2-core machine: 306 MB peak (261 MB at 2,000 runs), and 307 MB before the lending family was
// added (commit 4c70992), so the earlier 300 MB bound sat at the edge of V8's heap growth.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, read, tempDir } from '../helpers/sweep-helpers.js';

describe('sweep memory', () => {
  it('stays under 350 MB peak resident memory over 20,000 short runs', () => {
    const dir = tempDir();
    const file = join(dir, 'many.yaml');
    writeFileSync(
      file,
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
    const out = join(dir, 'out');
    // Two worker threads, as on the 2-core reference machine: each worker isolate adds its own heap.
    const res = cli(['sweep', file, '--out', out, '--threads', '2', '--no-progress']);
    expect(res.status).toBe(0);
    const manifest = JSON.parse(read(out, 'manifest.json'));
    expect(manifest.runs).toBe(20_000);
    expect(read(out, 'runs.csv').trimEnd().split('\n')).toHaveLength(20_001);
    // process.resourceUsage().maxRSS: the peak of the whole process, worker threads included.
    expect(manifest.peak_rss_mb).toBeGreaterThan(0);
    expect(manifest.peak_rss_mb).toBeLessThan(350);
  });
});
