// sim/sweep/progress.ts: off a terminal (a CI log) a sweep prints a progress line every 5 s, so a
// log shows it is alive; a sweep shorter than that prints none; on a terminal the line is redrawn.
import { describe, expect, it } from 'vitest';
import { Progress } from '../../sim/sweep/progress.js';

function progress(inPlace: boolean) {
  let t = 0;
  const out: string[] = [];
  const p = new Progress({
    label: 'sweep x',
    total: 100,
    done: 0,
    enabled: true,
    inPlace,
    write: (s) => out.push(s),
    now: () => t,
  });
  return { p, out, at: (ms: number) => (t = ms) };
}

describe('Progress off a terminal', () => {
  it('prints a line every 5 s and a closing line after them', () => {
    const { p, out, at } = progress(false);
    at(1000);
    p.update(10, 0);
    at(4999);
    p.update(20, 0);
    expect(out).toEqual([]);
    at(5000);
    p.update(25, 0);
    at(7000);
    p.update(30, 0);
    at(10_000);
    p.update(50, 1);
    expect(out).toHaveLength(2);
    expect(out[0]).toBe('sweep x: 25/100 runs (25.0%)  5.0 runs/s  ETA 00:15  errors 0\n');
    expect(out[1]).toMatch(/^sweep x: 50\/100 runs \(50\.0%\) .* errors 1\n$/);
    at(20_000);
    p.finish(100, 1);
    expect(out).toHaveLength(3);
    expect(out[2]).toMatch(/^sweep x: 100\/100 runs \(100\.0%\)/);
  });

  it('prints nothing for a sweep that ends within 5 s', () => {
    const { p, out, at } = progress(false);
    at(3000);
    p.update(100, 0);
    p.finish(100, 0);
    expect(out).toEqual([]);
  });
});

describe('Progress on a terminal', () => {
  it('redraws the line in place and ends it', () => {
    const { p, out, at } = progress(true);
    at(200);
    p.update(10, 0);
    p.finish(100, 0);
    expect(out[0].startsWith('\r')).toBe(true);
    expect(out.at(-1)).toBe('\n');
  });
});
