// The headline of a sweep is measured after the insurance fund: a sweep over the fund's size on a
// crash shows different P(insolvent) / uncovered / VaR95 rows and different heatmap values per fund
// size, although the pre-fund bad debt is the same; a P(insolvent) budget that cannot pass at the
// replicates warns before the run; `cascade report --metric` refuses an unknown column.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { smallWorldSets } from '../helpers/small-world.js';
import { cli, read, tempDir } from '../helpers/sweep-helpers.js';

function fundSweep(dir: string): string {
  const file = join(dir, 'fund.yaml');
  writeFileSync(
    file,
    [
      'name: fund',
      'description: Insurance fund size on a flash crash.',
      'scenarios:',
      '  - flash-crash',
      'set:',
      ...smallWorldSets(300, 800)
        .filter((s) => !s.startsWith('protocol.insuranceFundUsd'))
        .map((s) => `  - ${s}`),
      'grid:',
      '  protocol.insuranceFundUsd: [0, 5000000, 50000000]',
      'replicates: 4',
      'seed: 3',
      'budgets:',
      '  - p_insolvent <= 0.1',
      '',
    ].join('\n'),
  );
  return file;
}

describe('a sweep over the insurance fund size', () => {
  const dir = tempDir('cascade-headline-');
  const out = join(dir, 'out');
  const res = cli(['sweep', fundSweep(dir), '--out', out, '--threads', '2', '--report']);

  it('completes', () => {
    expect(res.status, res.stderr).toBe(0);
  });

  it('prints headline rows that differ by fund size, with VaR95 and LaR95 columns', () => {
    const lines = res.stdout.split('\n');
    const header = lines.find((l) => l.startsWith('scenario'))!;
    expect(header).toMatch(/P\(insolvent\) \[95% CI\]\s+uncovered mean\s+VaR95\s+LaR95\s+pre-fund mean/);
    const rows = lines.filter((l) => l.startsWith('flash-crash'));
    expect(rows).toHaveLength(3);
    // The headline part of each row: from P(insolvent) to VaR95.
    const start = header.indexOf('P(insolvent)');
    const end = header.indexOf('VaR95') + 'VaR95'.length;
    const headline = rows.map((r) => r.slice(start, end));
    expect(headline[0]).not.toBe(headline[1]);
    expect(res.stdout).toContain('VaR95 = uncovered_bad_debt_p95_usd, LaR95 = liquidated_notional_p95_usd');
  });

  it('shows different heatmap values of VaR95 per fund size, on axes in USD', () => {
    const html = read(out, 'report.html');
    const values = [
      ...html.matchAll(/data-metric="uncovered_bad_debt_p95_usd" data-x="([^"]*)" data-y="" data-value="([^"]*)"/g),
    ].map((m) => [m[1], m[2]]);
    expect(values.map((v) => v[0])).toEqual(['0', '5000000', '50000000']);
    expect(Number(values[0][1])).toBeGreaterThan(Number(values[2][1]));
    expect(html).toContain('>$5M<');
  });

  it('warns on stderr that the budget cannot pass with 4 replicates and says how many it needs', () => {
    expect(res.stderr).toContain(
      "cascade: warning: budget 'p_insolvent <= 0.1' cannot pass with 4 replicates (the 95% upper bound at 0 of 4 is 0.490); it needs at least 35",
    );
  });

  it('refuses an unknown --metric with one line naming the flag and the valid columns, exit 2', () => {
    const r = cli(['report', out, '--metric', 'nope', '--out', join(dir, 'x.html')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--metric: 'nope' is not a cells\.csv column .*valid: .*uncovered_bad_debt_p95_usd/);
  });
});
