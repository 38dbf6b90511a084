// The documentation's links and shape: every relative link in README.md and docs/**/*.md reaches
// an existing file (and, for a Markdown file, an existing heading or <a id> anchor), the README
// stays short, and no page cites a file the project does not hold or carries a tracker label.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...markdownFiles(path));
    else if (name.endsWith('.md')) out.push(path);
  }
  return out;
}

const PAGES = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'))];

/** The text outside fenced code blocks and inline code, where links count. */
function prose(text: string): string {
  return text
    .replace(/^```[\s\S]*?^```/gm, '')
    .replace(/``[^`]*``/g, '')
    .replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading anchor: lower case, punctuation dropped but - and _, spaces to dashes. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

const anchorCache = new Map<string, Set<string>>();
function anchors(file: string): Set<string> {
  let set = anchorCache.get(file);
  if (set) return set;
  set = new Set<string>();
  const text = readFileSync(file, 'utf8');
  const seen = new Map<string, number>();
  for (const line of text.replace(/^```[\s\S]*?^```/gm, '').split('\n')) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const base = slug(h[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    set.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of text.matchAll(/<a\s+id="([^"]+)"/g)) set.add(m[1]);
  anchorCache.set(file, set);
  return set;
}

function links(text: string): string[] {
  const out: string[] = [];
  for (const m of prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) out.push(m[1]);
  return out;
}

describe('the documentation', () => {
  it('has at least the README, the guide, the CLI reference and the generated references', () => {
    for (const f of [
      'README.md',
      'docs/guide.md',
      'docs/cli.md',
      'docs/reference/parameters.md',
      'docs/reference/outputs.md',
    ])
      expect(existsSync(join(ROOT, f)), f).toBe(true);
  });

  it('links only to files (and headings) that exist', () => {
    const broken: string[] = [];
    for (const page of PAGES) {
      for (const link of links(readFileSync(page, 'utf8'))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto:
        const [path, anchor] = link.split('#', 2);
        const target = path === '' ? page : resolve(dirname(page), decodeURIComponent(path));
        const where = `${relative(ROOT, page)}: ${link}`;
        if (!existsSync(target)) {
          broken.push(`${where} (no such file)`);
          continue;
        }
        if (anchor && target.endsWith('.md') && !anchors(target).has(anchor)) broken.push(`${where} (no such anchor)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("explains every flag of the generated CLI reference (each command's --help) in docs/cli.md", () => {
    const generated = readFileSync(join(ROOT, 'docs', 'reference', 'cli.md'), 'utf8');
    const guide = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');
    const flags = new Set([...generated.matchAll(/^\s+(--[a-z][a-z-]*)/gm)].map((m) => m[1]));
    expect(flags.size).toBeGreaterThan(20);
    for (const flag of flags) if (flag !== '--help' && flag !== '--version') expect(guide, flag).toContain(`\`${flag}`);
  });

  it('keeps the README short', () => {
    const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').length;
    expect(lines).toBeLessThanOrEqual(320);
  });

  it('cites no file the project does not hold and carries no tracker labels', () => {
    for (const page of PAGES) {
      const text = readFileSync(page, 'utf8');
      expect(text, relative(ROOT, page)).not.toMatch(/MECHANISMS\.md/);
      expect(text, relative(ROOT, page)).not.toMatch(/issue \d+, acceptance/i);
    }
  });
});
