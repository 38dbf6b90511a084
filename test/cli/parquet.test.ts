// Issue 14: `--format parquet` writes runs.parquet and cells.parquet beside the CSVs, with the same
// rows and values (read back here with hyparquet, the reader pandas/polars/DuckDB users would not
// need: any parquet reader gives the same table); a merge writes them too, byte-identical to the
// unsharded sweep's; an unknown format is one line naming --format.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsvLine } from '../../sim/sweep/merge.js';
import { cli, tempDir, writeSmallSweep } from '../helpers/sweep-helpers.js';

/** A CSV as header + rows of cells, typed the way parquet holds them (numbers, booleans, null for empty). */
function readCsv(path: string): { header: string[]; rows: unknown[][] } {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const header = parseCsvLine(lines[0]);
  const rows = lines.slice(1).map((l) =>
    parseCsvLine(l).map((v, c) => {
      if (['scenario', 'status', 'error'].includes(header[c])) return v;
      if (v === '') return null;
      if (v === 'true' || v === 'false') return v === 'true';
      return Number(v);
    }),
  );
  return { header, rows };
}

async function readParquet(path: string): Promise<{ header: string[]; rows: unknown[][] }> {
  const buf = readFileSync(path);
  const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const header = parquetMetadata(file)
    .schema.slice(1)
    .map((s) => s.name);
  const objects = await parquetReadObjects({ file });
  const rows = objects.map((o) => header.map((h) => (typeof o[h] === 'bigint' ? Number(o[h]) : o[h])));
  return { header, rows };
}

describe('--format parquet', () => {
  let dir: string;
  let out: string;

  beforeAll(() => {
    dir = tempDir('cascade-parquet-');
    const file = writeSmallSweep(dir, { replicates: 4, extraGrid: ['  protocol.socializeLosses: [true, false]'] });
    out = join(dir, 'out');
    const res = cli(['sweep', file, '--out', out, '--format', 'parquet', '--threads', '2', '--no-progress']);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });

  for (const name of ['runs', 'cells'])
    it(`${name}.parquet holds the same columns, rows and values as ${name}.csv`, async () => {
      const csv = readCsv(join(out, `${name}.csv`));
      const pq = await readParquet(join(out, `${name}.parquet`));
      expect(pq.header).toEqual(csv.header);
      expect(pq.rows.length).toBe(csv.rows.length);
      expect(pq.rows).toEqual(csv.rows);
    });

  it('records the parquet files and their sha256 in the manifest', () => {
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.files).toEqual(expect.arrayContaining(['runs.csv', 'cells.csv', 'runs.parquet', 'cells.parquet']));
    expect(manifest.sha256['runs.parquet']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes byte-identical parquet files from merged shards', () => {
    const file = join(dir, 'small.yaml');
    for (const k of [1, 2])
      expect(
        cli(['sweep', file, '--shard', `${k}/2`, '--out', join(dir, `s${k}`), '--threads', '1', '--no-progress'])
          .status,
      ).toBe(0);
    const merged = join(dir, 'merged');
    const res = cli(['merge', join(dir, 's1'), join(dir, 's2'), '--out', merged, '--format', 'parquet']);
    expect(res.status).toBe(0);
    for (const f of ['runs.parquet', 'cells.parquet'])
      expect(readFileSync(join(merged, f)).equals(readFileSync(join(out, f)))).toBe(true);
  });

  it('refuses an unknown format in one line naming --format, writing nothing', () => {
    const res = cli(['sweep', join(dir, 'small.yaml'), '--out', join(dir, 'bad'), '--format', 'xlsx']);
    expect(res.status).toBe(2);
    expect(res.stderr).toBe("cascade: error: --format: expected one of csv, parquet, got 'xlsx'\n");
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  });
});
