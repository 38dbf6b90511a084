// The journal of a sweep in progress: one JSON line per finished run, appended in the order runs
// finish and handed to the OS at once, so a killed sweep keeps every finished run. A header line ties
// the journal to one plan (sweep hash and shard). Records are then read back by run position, in any
// order, through an offset index (8 + 4 bytes per run), so final files are written in run order without
// holding the runs in memory. Knows nothing of CSV or statistics.
import { closeSync, existsSync, ftruncateSync, readSync, rmSync } from 'node:fs';
import { checkRegularFile, openExisting, openNew, writeAll, writeError } from '../../reports/atomic-write.js';
import { UserError } from '../core/errors.js';
import { readLines } from './line-reader.js';

/** The outcome of one run, as every output file sees it. */
export interface RunRecord {
  runIndex: number;
  status: 'ok' | 'error';
  /** The error message ('' when ok). */
  error: string;
  /** Run statistics in the plan's stat-key order, rounded as printed; null for an error. */
  stats: number[] | null;
}

/** What a journal belongs to: a resume must match all three. */
export interface JournalHeader {
  sweep_hash: string;
  /** `k/N`, or null for the whole sweep. */
  shard: string | null;
  /** Runs in this sweep or shard. */
  runs: number;
}

const FORMAT = 'cascade-sweep-journal/1';

function encode(r: RunRecord): string {
  const body =
    r.status === 'ok'
      ? { i: r.runIndex, s: r.stats!.map((x) => (Number.isFinite(x) ? x : String(x))) }
      : { i: r.runIndex, e: r.error };
  return JSON.stringify(body) + '\n';
}

function decode(text: string): RunRecord | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (v === null || typeof v !== 'object') return null;
  const o = v as { i?: unknown; s?: unknown; e?: unknown };
  if (!Number.isInteger(o.i)) return null;
  if (typeof o.e === 'string') return { runIndex: o.i as number, status: 'error', error: o.e, stats: null };
  if (!Array.isArray(o.s)) return null;
  const stats = o.s.map((x) => (typeof x === 'number' ? x : Number(x)));
  return { runIndex: o.i as number, status: 'ok', error: '', stats };
}

export class Journal {
  private readonly offsets: Float64Array;
  private readonly lengths: Uint32Array;
  private doneCount = 0;
  private errorCount = 0;

  private constructor(
    readonly path: string,
    private fd: number,
    private size: number,
    slots: number,
  ) {
    this.offsets = new Float64Array(slots).fill(-1);
    this.lengths = new Uint32Array(slots);
  }

  /**
   * Starts an empty journal (replacing a regular file at `path`; a symbolic link or anything else
   * there is refused, never written through).
   */
  static create(path: string, header: JournalHeader): Journal {
    if (checkRegularFile(path)) rmSync(path);
    const fd = openNew(path);
    const line = Buffer.from(JSON.stringify({ journal: FORMAT, ...header }) + '\n');
    try {
      writeAll(fd, line, 0, path);
    } catch (e) {
      closeSync(fd);
      rmSync(path, { force: true });
      throw writeError(path, e);
    }
    return new Journal(path, fd, line.length, header.runs);
  }

  /**
   * Reopens a journal to continue it. Throws a UserError when it belongs to another plan or shard,
   * or holds an unreadable line; drops a last line cut short by a kill. `slotOf` maps a run index to
   * its position in this sweep or shard (-1 when the run is not part of it).
   */
  static resume(path: string, header: JournalHeader, slotOf: (runIndex: number) => number): Journal {
    checkRegularFile(path);
    let journal: Journal | null = null;
    try {
      journal = Journal.scan(path, header, slotOf, (j) => (journal = j));
    } catch (e) {
      (journal as Journal | null)?.close();
      throw e;
    }
    return journal ?? Journal.create(path, header);
  }

  /** Reads the journal's lines into a Journal (handed to `opened` as soon as the header checks out). */
  private static scan(
    path: string,
    header: JournalHeader,
    slotOf: (runIndex: number) => number,
    opened: (j: Journal) => void,
  ): Journal | null {
    let journal: Journal | null = null;
    let lineNo = 0;
    for (const line of readLines(path)) {
      lineNo++;
      if (!line.complete) {
        // Killed in the middle of a write: that run did not finish as far as the journal knows.
        if (journal) ftruncateSync(journal.fd, line.offset);
        break;
      }
      if (!journal) {
        let h: Partial<JournalHeader> & { journal?: unknown };
        try {
          h = JSON.parse(line.text) as typeof h;
        } catch {
          h = {};
        }
        if (h.journal !== FORMAT) throw new UserError(path, 'line 1', 'not a cascade sweep journal');
        if (h.sweep_hash !== header.sweep_hash)
          throw new UserError(
            '--resume',
            '',
            `${path} belongs to a different sweep (plan ${String(h.sweep_hash).slice(0, 12)}, this one ${header.sweep_hash.slice(0, 12)}): the sweep file, --replicates, --seed or the cascade version changed; use another --out, or drop --resume to start over`,
          );
        if (h.shard !== header.shard || h.runs !== header.runs)
          throw new UserError(
            '--resume',
            '',
            `${path} is shard ${h.shard ?? 'none (whole sweep)'}, not ${header.shard ?? 'the whole sweep'}: pass the same --shard as the interrupted sweep`,
          );
        journal = new Journal(path, openExisting(path), line.offset + line.bytes, header.runs);
        opened(journal);
        continue;
      }
      const record = decode(line.text);
      const slot = record ? slotOf(record.runIndex) : -1;
      if (!record || slot < 0)
        throw new UserError(
          path,
          `line ${lineNo}`,
          'unreadable journal entry; delete the output directory to start the sweep over',
        );
      journal.size = line.offset + line.bytes;
      // A run journaled twice (two processes on one directory) counts once: the first entry wins.
      if (journal.offsets[slot] >= 0) continue;
      journal.offsets[slot] = line.offset;
      journal.lengths[slot] = line.bytes;
      journal.doneCount++;
      if (record.status === 'error') journal.errorCount++;
    }
    return journal;
  }

  static exists(path: string): boolean {
    return existsSync(path);
  }

  /** Runs recorded. */
  get done(): number {
    return this.doneCount;
  }

  /** Runs recorded with status error. */
  get errors(): number {
    return this.errorCount;
  }

  has(slot: number): boolean {
    return this.offsets[slot] >= 0;
  }

  /** Appends a finished run; the bytes are in the OS's hands when this returns (they survive a kill). */
  append(slot: number, record: RunRecord): void {
    if (this.has(slot)) return;
    const buf = Buffer.from(encode(record));
    try {
      writeAll(this.fd, buf, this.size, this.path);
    } catch (e) {
      // Drop a line cut short so the journal ends with the last whole run (a resume needs no repair).
      try {
        ftruncateSync(this.fd, this.size);
      } catch {
        // a resume drops an unfinished last line anyway
      }
      throw writeError(this.path, e);
    }
    this.offsets[slot] = this.size;
    this.lengths[slot] = buf.length;
    this.size += buf.length;
    this.doneCount++;
    if (record.status === 'error') this.errorCount++;
  }

  read(slot: number): RunRecord {
    if (!this.has(slot)) throw new Error(`journal ${this.path}: run slot ${slot} is not recorded`);
    const buf = Buffer.allocUnsafe(this.lengths[slot]);
    readSync(this.fd, buf, 0, buf.length, this.offsets[slot]);
    const record = decode(buf.toString('utf8'));
    if (!record) throw new Error(`journal ${this.path}: unreadable entry at byte ${this.offsets[slot]}`);
    return record;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  /** Closes and deletes the journal (after the final files are in place). */
  remove(): void {
    this.close();
    rmSync(this.path, { force: true });
  }
}
