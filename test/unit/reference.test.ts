// The generated reference (docs/reference/): the committed pages are what the generators make now,
// so the docs cannot drift from the schema and the registry (test/cli/reference-cli.test.ts runs the command).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acceptsText, parametersMarkdown, REFERENCE_PAGES } from '../../reports/reference.js';
import { referenceInputs } from '../../sim/cli/reference-cli.js';
import { parameterDocs } from '../../sim/config/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
describe('the reference pages', () => {
  it('are committed as the generators make them now (run `npx cascade reference` after a schema change)', () => {
    const inputs = referenceInputs();
    for (const page of REFERENCE_PAGES) {
      const file = join(ROOT, 'docs', 'reference', page.file);
      const committed = existsSync(file) ? readFileSync(file, 'utf8') : '';
      expect(
        committed === page.render(inputs),
        `docs/reference/${page.file} is out of date: run \`npx cascade reference\` and commit the result`,
      ).toBe(true);
    }
  });

  it('list every parameter path of the config on the parameters page, with its default', () => {
    const page = parametersMarkdown(parameterDocs());
    for (const s of parameterDocs().sections)
      for (const p of s.parameters) expect(page, p.path).toContain(`\`${p.path}\``);
    expect(page).toContain('| `run.steps` | `1440` | integer from 1 to 250000 |');
    expect(page).toContain('### `attackers[]` with `kind: oracle-manipulator`');
    expect(page).toContain('### `markets.<NAME>`');
  });

  it('say in words what a parameter accepts', () => {
    expect(acceptsText({ type: 'number', min: 0, minExclusive: true, max: 1 })).toBe('number > 0 and ≤ 1');
    expect(acceptsText({ type: 'integer', min: 0 })).toBe('integer ≥ 0');
    expect(acceptsText({ type: 'enum', values: ['a', 'b'] })).toBe('one of `a`, `b`');
    expect(acceptsText({ type: 'list', maxItems: 3, items: { type: 'number' } })).toBe('list of at most 3 numbers');
  });

  it('list every timeline column and run statistic on the outputs page, with its description', () => {
    const inputs = referenceInputs();
    const page = REFERENCE_PAGES.find((p) => p.file === 'outputs.md')!.render(inputs);
    for (const c of [...inputs.timeline, ...inputs.statistics]) {
      expect(page, c.name).toContain(`| \`${c.name}\` |`);
      expect(page, c.name).toContain(c.description.replace(/\|/g, '\\|'));
    }
  });
});
