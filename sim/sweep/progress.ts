// The progress line of a sweep on stderr: runs done of total, runs per second, time left and errors.
// Redrawn in place on a terminal (at most ten times a second), one line every few seconds otherwise.
// Knows nothing of what the runs are.

export interface ProgressOptions {
  /** Label at the start of the line, e.g. the sweep name. */
  label: string;
  /** Runs to do in total, including those already done before this process started. */
  total: number;
  /** Runs already done (resumed); they do not count toward the rate. */
  done: number;
  enabled: boolean;
  /** Redraw in place (a terminal) rather than print a new line each time. */
  inPlace: boolean;
  write: (text: string) => void;
  now?: () => number;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const mmss = `${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

export class Progress {
  private readonly start: number;
  private readonly resumed: number;
  private last = -Infinity;
  private drawn = false;
  private readonly now: () => number;

  constructor(private readonly opts: ProgressOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.start = this.now();
    this.resumed = opts.done;
    // Off a terminal the first line waits for a rate worth printing.
    if (!opts.inPlace) this.last = this.start;
  }

  /** Runs per second in this process. */
  rate(done: number): number {
    const elapsed = (this.now() - this.start) / 1000;
    return elapsed > 0 ? (done - this.resumed) / elapsed : 0;
  }

  line(done: number, errors: number): string {
    const { label, total } = this.opts;
    const rate = this.rate(done);
    const eta = rate > 0 ? (total - done) / rate : Infinity;
    const pct = total > 0 ? ((100 * done) / total).toFixed(1) : '100.0';
    return `${label}: ${done}/${total} runs (${pct}%)  ${rate.toFixed(1)} runs/s  ETA ${clock(eta)}  errors ${errors}`;
  }

  update(done: number, errors: number, force = false): void {
    if (!this.opts.enabled) return;
    const t = this.now();
    if (!force && t - this.last < (this.opts.inPlace ? 100 : 5000)) return;
    this.last = t;
    this.drawn = true;
    this.opts.write(this.opts.inPlace ? `\r${this.line(done, errors)}\x1b[K` : `${this.line(done, errors)}\n`);
  }

  /** Draws the final state and ends the line (off a terminal, only after earlier lines: a short sweep prints none). */
  finish(done: number, errors: number): void {
    if (!this.opts.enabled || (!this.opts.inPlace && !this.drawn)) return;
    this.update(done, errors, true);
    if (this.opts.inPlace && this.drawn) this.opts.write('\n');
  }
}
