// The JUnit XML of `cascade check`: well-formed whatever the messages hold, one suite per scenario,
// one test case per check, and counts (tests, failures, skipped) that add up to the checks.
import { describe, expect, it } from 'vitest';
import type { Check } from '../../reports/check-eval.js';
import { junitXml, xmlEscape } from '../../reports/junit.js';
import { parseXml } from '../helpers/xml-check.js';

function check(over: Partial<Check>): Check {
  return {
    kind: 'budget',
    scenario: 'crash',
    cell: { 'protocol.maintenanceMarginRate': 0.02 },
    metric: 'p_insolvent_hi',
    op: '<=',
    bound: 0.05,
    value: 0.01,
    baseline: null,
    p_value: null,
    verdict: 'pass',
    message: 'ok',
    ...over,
  };
}

const CHECKS: Check[] = [
  check({}),
  check({ verdict: 'fail', value: 0.2, message: 'p_insolvent <= 0.05: 0.2 > 0.05 & "quoted" <tag> \'x\'' }),
  check({ scenario: 'stall', kind: 'regression', op: null, bound: null, metric: 'p_insolvent', verdict: 'fail' }),
  check({ scenario: '', cell: {}, kind: 'missing', metric: 'replicates', verdict: 'info', message: 'a\nb\u0001c' }),
];

describe('the XML checker of these tests', () => {
  it('rejects what is not well-formed', () => {
    for (const bad of [
      '<a><b></a></b>',
      '<a x="1" x="2"/>',
      '<a>1 & 2</a>',
      '<a x="<"/>',
      '<a>&nbsp;</a>',
      '<a/><b/>',
      '<a x=1/>',
      '<a>',
      'text<a/>',
    ])
      expect(() => parseXml(bad), bad).toThrow();
  });

  it('accepts a declaration, attributes, entities and nesting', () => {
    const root = parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a k="&lt;&amp;&#10;"><b>x &gt; y</b><c/></a>\n');
    expect(root.attrs.k).toBe('<&\n');
    expect(root.children.map((c) => c.name)).toEqual(['b', 'c']);
    expect(root.children[0].text).toBe('x > y');
  });
});

describe('junitXml', () => {
  const xml = junitXml(CHECKS, 'cascade check "small" <&>');
  const root = parseXml(xml);

  it('is well-formed, with the special characters of names and messages escaped', () => {
    expect(root.name).toBe('testsuites');
    expect(root.attrs.name).toBe('cascade check "small" <&>');
    const failure = root.children[0].children[1].children[0];
    expect(failure.name).toBe('failure');
    expect(failure.attrs.message).toBe('p_insolvent <= 0.05: 0.2 > 0.05 & "quoted" <tag> \'x\'');
  });

  it('has one suite per scenario and one for sweep-wide checks, with a test case per check', () => {
    expect(root.children.map((s) => s.attrs.name)).toEqual(['crash', 'stall', '(sweep)']);
    const cases = root.children.flatMap((s) => s.children);
    expect(cases).toHaveLength(CHECKS.length);
    expect(cases[0].attrs.name).toBe('budget p_insolvent_hi <= 0.05: crash (protocol.maintenanceMarginRate=0.02)');
    expect(cases[0].attrs.classname).toBe('cascade.check.crash');
  });

  it('counts tests, failures and skipped (info) checks at every level', () => {
    expect(root.attrs).toMatchObject({ tests: '4', failures: '2', errors: '0', skipped: '1' });
    expect(root.children.map((s) => [s.attrs.tests, s.attrs.failures, s.attrs.skipped])).toEqual([
      ['2', '1', '0'],
      ['1', '1', '0'],
      ['1', '0', '1'],
    ]);
    const cases = root.children.flatMap((s) => s.children);
    expect(cases.filter((c) => c.children.some((x) => x.name === 'failure'))).toHaveLength(2);
    expect(cases.filter((c) => c.children.some((x) => x.name === 'skipped'))).toHaveLength(1);
  });

  it('drops characters XML 1.0 cannot carry and keeps line breaks as references', () => {
    expect(xmlEscape('a\nb\u0001c')).toBe('a&#10;bc');
    const skipped = root.children[2].children[0].children[0];
    expect(skipped.attrs.message).toBe('a\nbc');
  });

  it('is a document with no test cases when there are no checks', () => {
    const empty = parseXml(junitXml([], 'none'));
    expect(empty.attrs).toMatchObject({ tests: '0', failures: '0' });
    expect(empty.children).toEqual([]);
  });
});
