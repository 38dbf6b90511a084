// `cascade check` run as a user runs it, on a small venue: a budget that holds exits 0, halving the
// maintenance margin fails it (exit 1, the failing cell named), a malformed budget exits 2 with one
// line; against a baseline the halved margin is a regression and a changed description is not, with
// the same check.json on every rerun; the JUnit XML is well-formed and counts what the table counts;
// under GitHub Actions failures become annotations and a step summary.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../../reports/check-eval.js';
import { cascade, tableCounts, tableRows, writeGateRepo } from '../helpers/check-helpers.js';
import { tempDir } from '../helpers/sweep-helpers.js';
import { parseXml } from '../helpers/xml-check.js';

interface CheckDoc {
  format: string;
  verdict: 'pass' | 'fail';
  checks: Check[];
  summary: { checks: number; passed: number; failed: number };
}

const BUDGETS = ['p_insolvent <= 0.55', '{ scenario: gate-crash, budget: "bad_debt_p99_usd <= 1e7" }'];
const FEE = 'protocol.liquidationFeeRate';

const root = tempDir('cascade-check-');
const dir = (name: string): string => join(root, name);
const readDoc = (out: string): CheckDoc => JSON.parse(readFileSync(join(out, 'check.json'), 'utf8')) as CheckDoc;

/** The main-branch venue (maintenance margin 0.04), checked once: the baseline of the later tests. */
let main: ReturnType<typeof cascade>;
beforeAll(() => {
  const sweep = writeGateRepo(dir('main'), { mmr: 0.04, budgets: BUDGETS });
  main = cascade(['check', sweep, '--out', dir('main-out'), '--threads', '2', '--junit', dir('main-out/junit.xml')]);
});

describe('budgets', () => {
  it('that hold exit 0 with a pass verdict in check.json', () => {
    expect(main.stderr).toBe('');
    expect(main.status).toBe(0);
    const doc = readDoc(dir('main-out'));
    expect(doc.format).toBe('cascade-check/1');
    expect(doc.verdict).toBe('pass');
    // Two budgets: the first on both cells, the second scoped to gate-crash (both cells too).
    expect(doc.checks.map((c) => `${c.kind} ${c.metric} ${c.cell[FEE]} ${c.verdict}`)).toEqual([
      'budget p_insolvent_hi 0.015 pass',
      'budget p_insolvent_hi 0.02 pass',
      'budget bad_debt_p99_usd 0.015 pass',
      'budget bad_debt_p99_usd 0.02 pass',
    ]);
    expect(doc.summary).toEqual({ checks: 4, passed: 4, failed: 0 });
    expect(main.stdout).toMatch(/^check: 4 checks, 4 passed, 0 failed, 0 info: PASS$/m);
  });

  it('fail with exit 1 when the maintenance margin is halved, naming the failing cell and its parameters', () => {
    const sweep = writeGateRepo(dir('loose'), { mmr: 0.02, budgets: BUDGETS });
    const res = cascade(['check', sweep, '--out', dir('loose-out'), '--threads', '2']);
    expect(res.status).toBe(1);
    const doc = readDoc(dir('loose-out'));
    expect(doc.verdict).toBe('fail');
    const failed = doc.checks.filter((c) => c.verdict === 'fail');
    // At 0.02 the 0.015-fee cell is far over the budget (P(insolvent) about 0.75); the other may be too.
    expect(failed.map((c) => c.cell[FEE])).toContain(0.015);
    const cell = failed.find((c) => c.cell[FEE] === 0.015)!;
    expect(cell).toMatchObject({
      kind: 'budget',
      scenario: 'gate-crash',
      metric: 'p_insolvent_hi',
      op: '<=',
      bound: 0.55,
    });
    expect(cell.value).toBeGreaterThan(0.55);
    expect(res.stdout).toMatch(/^Failed \(\d+\):$/m);
    expect(res.stdout).toContain(`budget gate-crash (${FEE}=0.015): p_insolvent <= 0.55: p_insolvent_hi = `);
    expect(res.stdout).toMatch(/^check: 4 checks, \d passed, [1-4] failed, 0 info: FAIL$/m);
  });

  it('that is malformed exits 2 with one line naming the file and the budget, and runs nothing', () => {
    const sweep = writeGateRepo(dir('bad'), { mmr: 0.04, budgets: ['p_insolvent =< 0.55'] });
    const res = cascade(['check', sweep, '--out', dir('bad-out')]);
    expect(res.status).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/^cascade: error: .*sweep\.yaml: budgets\[0\]: malformed budget 'p_insolvent =< 0\.55'/);
    expect(existsSync(dir('bad-out'))).toBe(false);
  });

  it('naming an unknown metric exits 2 listing the cells.csv metrics', () => {
    const sweep = writeGateRepo(dir('unknown'), { mmr: 0.04, budgets: ['p_insolvency <= 0.5'] });
    const res = cascade(['check', sweep, '--out', dir('unknown-out')]);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/budgets\[0\]: unknown metric 'p_insolvency' .*p_insolvent_hi/);
  });

  it('read from a results directory whose manifest names a column cells.csv lacks exit 2', () => {
    cpSync(dir('main-out'), dir('edited'), { recursive: true });
    const file = join(dir('edited'), 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    manifest.budgets[0].metric = 'no_such_column';
    writeFileSync(file, JSON.stringify(manifest));
    const res = cascade(['check', dir('edited')]);
    expect(res.status).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/manifest\.json: budgets\[0\]: unknown metric 'no_such_column'/);
  });
});

describe('regression against a baseline', () => {
  it('catches a halved maintenance margin (exit 1) with the exact McNemar test and the paired bootstrap', () => {
    const sweep = writeGateRepo(dir('halved'), { mmr: 0.02 });
    const res = cascade(['check', sweep, '--baseline', dir('main-out'), '--out', dir('halved-out'), '--threads', '2']);
    expect(res.status).toBe(1);
    const doc = readDoc(dir('halved-out'));
    expect(doc.checks.every((c) => c.kind === 'regression')).toBe(true);
    const insolvency = doc.checks.find((c) => c.metric === 'p_insolvent' && c.cell[FEE] === 0.015)!;
    expect(insolvency.verdict).toBe('fail');
    expect(insolvency.value!).toBeGreaterThan(insolvency.baseline!);
    expect(insolvency.p_value!).toBeLessThan(0.05);
    expect(doc.checks.find((c) => c.metric === 'bad_debt_mean_usd' && c.cell[FEE] === 0.015)!.verdict).toBe('fail');
    expect(res.stdout).toContain(`regression gate-crash (${FEE}=0.015): P(insolvent) `);
  });

  it('passes a change with no risk effect (a changed description), and gives the same check.json on a rerun', () => {
    const sweep = writeGateRepo(dir('words'), { mmr: 0.04, budgets: BUDGETS, description: 'Reworded, same risk.' });
    const args = ['check', sweep, '--baseline', dir('main-out'), '--threads', '2'];
    const first = cascade([...args, '--out', dir('words-out'), '--junit', dir('words-out/junit.xml')]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const doc = readDoc(dir('words-out'));
    const regressions = doc.checks.filter((c) => c.kind === 'regression');
    expect(regressions).toHaveLength(8);
    for (const c of regressions) {
      expect(c.verdict).toBe('pass');
      expect(c.value).toBe(c.baseline);
    }
    const again = cascade([...args, '--out', dir('words-again'), '--junit', dir('words-again/junit.xml')]);
    expect(again.status).toBe(0);
    expect(readFileSync(join(dir('words-again'), 'check.json'), 'utf8')).toBe(
      readFileSync(join(dir('words-out'), 'check.json'), 'utf8'),
    );
    expect(readFileSync(join(dir('words-again'), 'junit.xml'), 'utf8')).toBe(
      readFileSync(join(dir('words-out'), 'junit.xml'), 'utf8'),
    );
  });

  it('on a finished results directory gives the same check.json as running the sweep', () => {
    const res = cascade(['check', dir('words-out'), '--baseline', dir('main-out'), '--out', dir('words-dir')]);
    expect(res.status).toBe(0);
    expect(readFileSync(join(dir('words-dir'), 'check.json'), 'utf8')).toBe(
      readFileSync(join(dir('words-out'), 'check.json'), 'utf8'),
    );
  });

  it('refuses a baseline that is not a sweep directory, or that the sweep would overwrite, with exit 2', () => {
    const missing = cascade(['check', dir('words-out'), '--baseline', dir('nowhere')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^cascade: error: --baseline: .*nowhere: no such directory/);
    const sweep = join(dir('words'), 'risk', 'sweep.yaml');
    const before = readFileSync(join(dir('main-out'), 'runs.csv'), 'utf8');
    const same = cascade(['check', sweep, '--baseline', dir('main-out'), '--out', dir('main-out')]);
    expect(same.status).toBe(2);
    expect(same.stderr).toMatch(/--out: .* is the --baseline directory/);
    expect(readFileSync(join(dir('main-out'), 'runs.csv'), 'utf8')).toBe(before);
    const alpha = cascade(['check', dir('words-out'), '--alpha', '1.5']);
    expect(alpha.status).toBe(2);
    expect(alpha.stderr).toMatch(/--alpha: expected a number between 0 and 1/);
  });
});

describe('CI outputs', () => {
  it('JUnit XML is well-formed and its counts match the table', () => {
    for (const [out, res] of [
      ['main-out', main],
      [
        'words-out',
        cascade([
          'check',
          dir('words-out'),
          '--baseline',
          dir('main-out'),
          '--out',
          dir('words-junit'),
          '--junit',
          dir('words-junit/j.xml'),
        ]),
      ],
    ] as const) {
      const file = out === 'main-out' ? join(dir(out), 'junit.xml') : join(dir('words-junit'), 'j.xml');
      const xml = parseXml(readFileSync(file, 'utf8'));
      const counts = tableCounts(res.stdout);
      expect(tableRows(res.stdout)).toHaveLength(counts.checks);
      expect(xml.attrs).toMatchObject({
        tests: String(counts.checks),
        failures: String(counts.failed),
        skipped: String(counts.info),
      });
      expect(xml.children.flatMap((s) => s.children)).toHaveLength(counts.checks);
    }
  });

  it('JUnit XML of a failing check carries one failure per failed check', () => {
    const res = cascade([
      'check',
      dir('halved-out'),
      '--baseline',
      dir('main-out'),
      '--out',
      dir('halved-junit'),
      '--junit',
      dir('halved-junit/junit.xml'),
    ]);
    expect(res.status).toBe(1);
    const xml = parseXml(readFileSync(join(dir('halved-junit'), 'junit.xml'), 'utf8'));
    const failures = xml.children.flatMap((s) => s.children).filter((c) => c.children[0]?.name === 'failure');
    expect(failures).toHaveLength(tableCounts(res.stdout).failed);
    expect(xml.attrs.failures).toBe(String(failures.length));
  });

  it('under GitHub Actions prints an ::error annotation per failed check and appends a markdown summary', () => {
    const summary = join(root, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    const res = cascade(['check', dir('halved-out'), '--baseline', dir('main-out'), '--out', dir('halved-gh')], {
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(res.status).toBe(1);
    const errors = res.stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(errors).toHaveLength(tableCounts(res.stdout).failed);
    expect(errors[0]).toMatch(/^::error title=cascade check%3A regression [a-z_0-9]+ failed::gate-crash \(/);
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('# earlier step\n### cascade check: FAIL\n')).toBe(true);
    expect(md).toMatch(/\| \*\*FAIL\*\* \| regression \| gate-crash \(protocol\.liquidationFeeRate=0\.015\) \|/);
  });

  it('prints no annotations outside GitHub Actions', () => {
    const res = cascade(['check', dir('halved-out'), '--baseline', dir('main-out'), '--out', dir('halved-plain')]);
    expect(res.stdout).not.toMatch(/^::/m);
  });
});

describe('an attack budget', () => {
  it('p_attack_profitable <= 0.05 fails (exit 1) for the undefended bad-debt farmer and passes under an OI cap that stops it', () => {
    const write = (name: string, set: string) => {
      const file = join(root, `${name}.yaml`);
      writeFileSync(
        file,
        [
          `name: ${name}`,
          'description: the bad-debt farmer against an attack budget',
          'scenarios:',
          '  - bad-debt-farm',
          ...(set ? ['set:', `  ${set}`] : []),
          'replicates: 4',
          'seed: 1',
          'budgets:',
          '  - p_attack_profitable <= 0.05',
          '',
        ].join('\n'),
      );
      return file;
    };
    const open = cascade(['check', write('farm-open', ''), '--out', dir('farm-open-out'), '--threads', '2']);
    expect(open.status).toBe(1);
    const failed = readDoc(dir('farm-open-out')).checks.filter((c) => c.verdict === 'fail');
    expect(failed.map((c) => c.metric)).toEqual(['p_attack_profitable']);
    const capped = cascade([
      'check',
      write('farm-capped', 'breakers.openInterest.maxPerSideUsd: 20000000'),
      '--out',
      dir('farm-capped-out'),
      '--threads',
      '2',
    ]);
    expect(capped.status).toBe(0);
    expect(readDoc(dir('farm-capped-out')).verdict).toBe('pass');
  });
});
