// What `cascade check` shows and writes about its checks: the aligned table for the terminal (with
// the failing cells named by their parameters and a summary line), check.json, GitHub Actions
// annotations and the markdown summary for GITHUB_STEP_SUMMARY. Text only: no file I/O, no clock,
// so the same checks always give the same bytes.
import { describeCell, num, type Check } from './check-eval.js';
import { labelledColumn } from './headline.js';

export const CHECK_FORMAT = 'cascade-check/1';

export interface CheckSummary {
  checks: number;
  passed: number;
  failed: number;
  /** Checks reported for information (neither pass nor fail): checks - passed - failed. */
  info: number;
  verdict: 'pass' | 'fail';
}

export function summarize(checks: readonly Check[]): CheckSummary {
  const passed = checks.filter((c) => c.verdict === 'pass').length;
  const failed = checks.filter((c) => c.verdict === 'fail').length;
  return {
    checks: checks.length,
    passed,
    failed,
    info: checks.length - passed - failed,
    verdict: failed > 0 ? 'fail' : 'pass',
  };
}

/** The check.json document (format cascade-check/1). */
export function checkJson(checks: readonly Check[]): string {
  const s = summarize(checks);
  const doc = {
    format: CHECK_FORMAT,
    verdict: s.verdict,
    // Keys in the documented order, whatever order the checks were built in.
    checks: checks.map((c) => ({
      kind: c.kind,
      scenario: c.scenario,
      cell: c.cell,
      metric: c.metric,
      op: c.op,
      bound: c.bound,
      value: c.value,
      baseline: c.baseline,
      p_value: c.p_value,
      verdict: c.verdict,
      message: c.message,
    })),
    summary: { checks: s.checks, passed: s.passed, failed: s.failed },
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** The one-line summary that closes the table. */
export function summaryLine(checks: readonly Check[]): string {
  const s = summarize(checks);
  return `check: ${s.checks} checks, ${s.passed} passed, ${s.failed} failed, ${s.info} info: ${s.verdict.toUpperCase()}`;
}

/** Grid paths of the checks' cells in order of appearance, with short headers (last segment unless ambiguous). */
function paramColumns(checks: readonly Check[]): { path: string; header: string }[] {
  const paths: string[] = [];
  for (const c of checks) for (const p of Object.keys(c.cell)) if (!paths.includes(p)) paths.push(p);
  const last = paths.map((p) => p.split('.').pop() ?? p);
  return paths.map((path, i) => ({ path, header: last.filter((l) => l === last[i]).length > 1 ? path : last[i] }));
}

const VERDICT_TEXT = { pass: 'pass', fail: 'FAIL', info: 'info' } as const;

/**
 * The metric as the tables show it: the cells.csv column with its headline label (VaR95, LaR95) or
 * "before the insurance fund" for bad_debt_*, so a budget on pre-fund bad debt is not read as a loss.
 */
function metricText(c: Check): string {
  return c.kind === 'missing' ? c.metric : labelledColumn(c.metric);
}

/** bound or baseline of a check, as the table shows it. */
function reference(c: Check): string {
  if (c.bound !== null) return `${c.op} ${num(c.bound)}`;
  if (c.baseline !== null) return `was ${num(c.baseline)}`;
  return '';
}

/**
 * The table of every check (verdict, kind, scenario, the cell's parameters, metric, value, bound or
 * baseline, p-value), then each failed check on its own line naming the cell with its parameters,
 * then the summary line.
 */
export function checkTable(checks: readonly Check[], title: string, opts: { failuresOnly?: boolean } = {}): string {
  // --failures-only: the table holds the failed checks only; the summary line still counts them all.
  const shown = opts.failuresOnly ? checks.filter((c) => c.verdict === 'fail') : checks;
  const params = paramColumns(shown);
  const header = [
    'verdict',
    'kind',
    'scenario',
    ...params.map((p) => p.header),
    'metric',
    'value',
    'bound/baseline',
    'p',
  ];
  const rows = shown.map((c) => [
    VERDICT_TEXT[c.verdict],
    c.kind,
    c.scenario === '' ? '(sweep)' : c.scenario,
    ...params.map((p) => (p.path in c.cell ? String(c.cell[p.path]) : '')),
    metricText(c),
    c.value === null ? '-' : num(c.value),
    reference(c),
    c.p_value === null ? '' : num(c.p_value),
  ]);
  const left = 3 + params.length + 1;
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const fmt = (cells: string[]): string =>
    cells
      .map((s, k) => (k < left ? s.padEnd(widths[k]) : s.padStart(widths[k])))
      .join('  ')
      .trimEnd();
  const out = [title, ''];
  if (shown.length) out.push(fmt(header), ...rows.map(fmt));
  else if (checks.length) out.push('  (no check failed)');
  else out.push('  (no checks: the sweep has no budgets and no --baseline was given)');
  const failed = checks.filter((c) => c.verdict === 'fail');
  if (failed.length) {
    out.push('', `Failed (${failed.length}):`);
    for (const c of failed) out.push(`  ${c.kind} ${describeCell(c.scenario, c.cell)}: ${c.message}`);
  }
  out.push('', summaryLine(checks));
  return out.join('\n') + '\n';
}

/** Escapes the message of a GitHub Actions workflow command. */
function ghData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property (title, file) of a GitHub Actions workflow command. */
function ghProperty(text: string): string {
  return ghData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * `::error` lines for failed checks and `::notice` lines for info checks, which GitHub Actions turns
 * into annotations on the run (and on `file`, the sweep file, when given).
 */
export function githubAnnotations(checks: readonly Check[], file: string | null): string {
  const lines: string[] = [];
  for (const c of checks) {
    if (c.verdict === 'pass') continue;
    const level = c.verdict === 'fail' ? 'error' : 'notice';
    const props = [
      `title=${ghProperty(`cascade check: ${c.kind} ${c.metric} ${c.verdict === 'fail' ? 'failed' : ''}`.trim())}`,
    ];
    if (file) props.unshift(`file=${ghProperty(file)}`);
    lines.push(`::${level} ${props.join(',')}::${ghData(`${describeCell(c.scenario, c.cell)}: ${c.message}`)}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

function mdCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function mdTable(checks: readonly Check[]): string[] {
  return [
    '| verdict | kind | cell | metric | value | bound / baseline | p | message |',
    '|---|---|---|---|--:|--:|--:|---|',
    ...checks.map(
      (c) =>
        `| ${[
          c.verdict === 'fail' ? '**FAIL**' : c.verdict,
          c.kind,
          describeCell(c.scenario, c.cell),
          c.kind === 'missing' ? `\`${c.metric}\`` : `\`${c.metric}\`${metricText(c).slice(c.metric.length)}`,
          c.value === null ? '-' : num(c.value),
          reference(c),
          c.p_value === null ? '' : num(c.p_value),
          c.message,
        ]
          .map(mdCell)
          .join(' | ')} |`,
    ),
  ];
}

/** The markdown summary for GITHUB_STEP_SUMMARY: verdict, counts, failed checks, then every check folded. */
export function markdownSummary(checks: readonly Check[], context: string): string {
  const s = summarize(checks);
  const failed = checks.filter((c) => c.verdict === 'fail');
  const out = [
    `### cascade check: ${s.verdict === 'fail' ? 'FAIL' : 'pass'}`,
    '',
    `${s.checks} checks: ${s.passed} passed, ${s.failed} failed, ${s.info} info. ${mdCell(context)}`,
    '',
  ];
  if (failed.length) out.push(`#### Failed checks`, '', ...mdTable(failed), '');
  if (checks.length)
    out.push(`<details><summary>All ${checks.length} checks</summary>`, '', ...mdTable(checks), '', '</details>', '');
  return out.join('\n') + '\n';
}
