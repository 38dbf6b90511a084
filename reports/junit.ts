// JUnit XML for CI systems (GitHub, GitLab, Jenkins, Azure read it): one <testsuite> per scenario
// (checks on the whole sweep in a suite named "(sweep)"), one <testcase> per check, <failure> for a
// failed check and <skipped> for an info check, so that tests = checks, failures = failed checks and
// skipped = info checks, the counts of the table. Text only: no file I/O, no clock (no time attributes).
import { describeCell, num, type Check } from './check-eval.js';

/** Escapes text for XML attribute values and character data; drops characters XML 1.0 forbids. */
export function xmlEscape(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      .replace(/\n/g, '&#10;')
      .replace(/\r/g, '&#13;')
      .replace(/\t/g, '&#9;')
  );
}

/** The name of a check's test case: kind, metric and bound or baseline, and the cell. */
export function testCaseName(c: Check): string {
  const what = c.op !== null ? `${c.metric} ${c.op} ${num(c.bound)}` : c.metric;
  return `${c.kind} ${what}: ${describeCell(c.scenario, c.cell)}`;
}

function counts(checks: readonly Check[]): string {
  const failures = checks.filter((c) => c.verdict === 'fail').length;
  const skipped = checks.filter((c) => c.verdict === 'info').length;
  return `tests="${checks.length}" failures="${failures}" errors="0" skipped="${skipped}"`;
}

/** The JUnit XML document of a list of checks; `name` names the root <testsuites>. */
export function junitXml(checks: readonly Check[], name: string): string {
  const suites = new Map<string, Check[]>();
  for (const c of checks) {
    const suite = c.scenario === '' ? '(sweep)' : c.scenario;
    let list = suites.get(suite);
    if (!list) suites.set(suite, (list = []));
    list.push(c);
  }
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="${xmlEscape(name)}" ${counts(checks)}>`];
  for (const [suite, list] of suites) {
    lines.push(`  <testsuite name="${xmlEscape(suite)}" ${counts(list)}>`);
    for (const c of list) {
      const open = `    <testcase classname="${xmlEscape(`cascade.check.${suite}`)}" name="${xmlEscape(testCaseName(c))}"`;
      if (c.verdict === 'pass') {
        lines.push(`${open}/>`);
        continue;
      }
      lines.push(`${open}>`);
      if (c.verdict === 'fail')
        lines.push(
          `      <failure type="${c.kind}" message="${xmlEscape(c.message)}">${xmlEscape(c.message)}</failure>`,
        );
      else lines.push(`      <skipped message="${xmlEscape(c.message)}"/>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}
