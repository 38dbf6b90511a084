// The fault drill (`npm run drill`, issue 13): drives the built CLI as a user's shell would, through the
// faults a sweep meets in the field (kill -9 and --resume, a full disk, a read-only directory, planted
// symlinks, two sweeps into one directory, a stale lock, hostile input files), and prints a table of
// attempts tried / survived and runs.csv rows lost / duplicated against an uninterrupted reference.
// A script that prints figures, not a test; exit code 1 when any drill did not survive. Everything
// happens in a temporary directory (and, as root, on small tmpfs mounts inside it), removed at the end.
// Usage: node dist/bench/drill.js
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allSurvived, type DrillRow, formatTable, hasStackTrace } from './drill-lib.js';

import {
  CLI,
  TOTAL_RUNS,
  SWEEP_YAML,
  HOSTILE_TIMEOUT_MS,
  FIFO_TIMEOUT_MS,
  SWEEP_TIMEOUT_MS,
  Attempt,
  live,
  failures,
  start,
  cli,
  journaledRuns,
  waitForRuns,
  firstLine,
  describeExit,
  Reference,
  compare,
  completeLooking,
  refusal,
  row,
  skipped,
  isRoot,
  sh,
  mountTmpfs,
  unmountAll,
  setTmpRoot,
} from './drill-proc.js';

class Drill {
  readonly sweepFile: string;
  ref: Reference = { runs: '', cells: '' };
  private n = 0;

  constructor(readonly dir: string) {
    this.sweepFile = join(dir, 'drill-sweep.yaml');
    writeFileSync(this.sweepFile, SWEEP_YAML);
  }

  /** A fresh output directory path (not created). */
  out(name: string): string {
    return join(this.dir, `${String(++this.n).padStart(2, '0')}-${name}`);
  }

  sweepArgs(out: string, ...more: string[]): string[] {
    return ['sweep', this.sweepFile, '--out', out, '--no-progress', '--threads', '2', ...more];
  }

  async reference(): Promise<void> {
    const out = this.out('reference');
    const r = await cli(this.sweepArgs(out), this.dir);
    if (r.code !== 0) throw new Error(`the reference sweep failed (${describeExit(r)}): ${firstLine(r.stderr)}`);
    this.ref = {
      runs: readFileSync(join(out, 'runs.csv'), 'utf8'),
      cells: readFileSync(join(out, 'cells.csv'), 'utf8'),
    };
  }

  /** Drill 1, one point: kill -9 once `fraction` of the runs are journaled, then --resume. */
  async killAndResume(fraction: number): Promise<Attempt> {
    const label = `${Math.round(fraction * 100)}%`;
    const out = this.out(`kill-${label.slice(0, -1)}`);
    const s = start(this.sweepArgs(out), this.dir, SWEEP_TIMEOUT_MS);
    const reached = await waitForRuns(out, Math.ceil(fraction * TOTAL_RUNS), s);
    if (!reached) {
      const r = await s.done;
      return { ok: false, label, note: `the sweep ended (${describeExit(r)}) before the kill`, detail: r.stderr };
    }
    s.child.kill('SIGKILL');
    await s.done;
    const atKill = journaledRuns(out);
    const early = completeLooking(out);
    if (early.length > 0) return { ok: false, label, note: `${early.join(', ')} present after the kill` };
    return { ...(await this.resume(out)), label, note: String(atKill) };
  }

  /** `--resume` into `out`, compared with the reference; the note is the comparison's. */
  async resume(out: string): Promise<Attempt> {
    const r = await cli(this.sweepArgs(out, '--resume'), this.dir);
    const c = compare(out, this.ref);
    if (r.code !== 0 || hasStackTrace(r.stderr))
      return {
        ...c,
        ok: false,
        note: `resume ${describeExit(r)}${hasStackTrace(r.stderr) ? ', stack trace' : ''}`,
        detail: r.stderr,
      };
    return c;
  }

  async kills(): Promise<DrillRow> {
    const attempts: Attempt[] = [];
    for (const f of [0.3, 0.6, 0.95]) attempts.push(await this.killAndResume(f));
    const at = attempts.map((a) => a.note).join(', ');
    return row(
      'kill -9 at 30/60/95% + --resume',
      attempts,
      true,
      `killed with ${at} of ${TOTAL_RUNS} runs journaled; resumed runs.csv, cells.csv byte-identical`,
    );
  }

  /** Drill 2, one size: --out on a tmpfs of `size`, too small for the sweep; then 16 MB and --resume. */
  async fullDiskAt(size: string): Promise<Attempt[]> {
    const mnt = join(this.dir, `mnt-full-${size}`);
    if (!mountTmpfs(mnt, size)) return [];
    const out = join(mnt, 'out');
    const refused = refusal(await cli(this.sweepArgs(out), this.dir));
    const early = completeLooking(out);
    const journaled = journaledRuns(out);
    const full: Attempt =
      refused.ok && early.length > 0
        ? { ok: false, note: `${early.join(', ')} left on the full disk`, detail: refused.detail }
        : { ...refused, note: `${refused.note}` };
    full.label = `${size} tmpfs`;
    if (!sh('mount', ['-o', 'remount,size=16m', mnt]).ok)
      return [full, { ok: false, label: `${size} tmpfs`, note: 'could not give the tmpfs more space' }];
    const resumed = await this.resume(out);
    const what = /journal/.test(refused.detail ?? '')
      ? 'journal'
      : /runs\.csv|cells\.csv|manifest/.test(refused.detail ?? '')
        ? 'results'
        : 'other';
    full.note = `${full.note} (${what} write, ${journaled} journaled)`;
    return [full, { ...resumed, label: `${size} tmpfs, then 16m` }];
  }

  /** Drill 2: a disk that fills while the journal is written (16 KB) and while the results are (48 KB). */
  async fullDisk(): Promise<DrillRow> {
    const name = 'full disk (ENOSPC) + --resume';
    const attempts = [...(await this.fullDiskAt('16k')), ...(await this.fullDiskAt('48k'))];
    if (attempts.length === 0) return skipped(name, 'skipped (needs root + tmpfs)');
    const [a, , b] = attempts;
    return row(
      name,
      attempts,
      true,
      `16k: ${a?.note}; 48k: ${b?.note}; each resumed byte-identical after a remount to 16m`,
    );
  }

  /** Drill 3: --out in a read-only directory (a read-only tmpfs as root, mode 0555 otherwise). */
  async readOnly(): Promise<DrillRow> {
    const name = 'read-only --out';
    const ro = join(this.dir, 'mnt-ro');
    let how: string;
    if (isRoot()) {
      if (!mountTmpfs(ro, '1m') || !sh('mount', ['-o', 'remount,ro', ro]).ok)
        return skipped(name, 'skipped (root needs a tmpfs to make a read-only directory)');
      how = 'read-only tmpfs';
    } else {
      mkdirSync(ro);
      chmodSync(ro, 0o555);
      how = 'mode 0555';
    }
    const lbl = (label: string, x: Attempt): Attempt => ({ ...x, label });
    const attempts = [
      lbl('sweep --out DIR', refusal(await cli(this.sweepArgs(ro), this.dir))),
      lbl('sweep --out DIR/sub', refusal(await cli(this.sweepArgs(join(ro, 'sub')), this.dir))),
      lbl(
        'run --out DIR/run',
        refusal(await cli(['run', 'calm', '--set', 'run.steps=10', '--out', join(ro, 'run'), '--quiet'], this.dir)),
      ),
    ];
    if (!isRoot()) chmodSync(ro, 0o755);
    return row(name, attempts, false, `${how}; sweep into it and below it, run below it: ${attempts[0].note}`);
  }

  /** Drill 4: a symlink planted where the sweep writes; the file it points to must stay as it was. */
  async symlinks(): Promise<DrillRow> {
    const victim = join(this.dir, 'victim.txt');
    const content = 'a file the sweep must not touch\n';
    const victimIntact = (): boolean => lstatSync(victim).isFile() && readFileSync(victim, 'utf8') === content;
    const planted = async (file: string, resume: boolean): Promise<Attempt> => {
      writeFileSync(victim, content);
      const out = this.out(`symlink-${file}`);
      mkdirSync(out);
      symlinkSync(victim, join(out, file));
      const a = refusal(await cli(this.sweepArgs(out, ...(resume ? ['--resume'] : [])), this.dir));
      const label = `${file}${resume ? ' (--resume)' : ''}`;
      if (!victimIntact()) return { ok: false, label, note: 'the victim file was changed', detail: a.detail };
      return { ...a, label };
    };
    const attempts = [
      await planted('runs.journal.jsonl', false),
      await planted('runs.journal.jsonl', true),
      await planted('runs.csv', false),
    ];
    // Planted while a sweep runs: when it writes runs.csv at the end, the link must not be followed.
    writeFileSync(victim, content);
    const out = this.out('symlink-midway');
    const s = start(this.sweepArgs(out), this.dir, SWEEP_TIMEOUT_MS);
    const label = 'runs.csv planted mid-sweep';
    let midway: string;
    if (!(await waitForRuns(out, 10, s))) {
      const r = await s.done;
      attempts.push({ ok: false, label, note: `the sweep ended (${describeExit(r)}) before the link was planted` });
      midway = 'not planted';
    } else {
      symlinkSync(victim, join(out, 'runs.csv'));
      const r = await s.done;
      const regular = existsSync(join(out, 'runs.csv')) && lstatSync(join(out, 'runs.csv')).isFile();
      if (!victimIntact()) attempts.push({ ok: false, label, note: 'the victim file was changed', detail: r.stderr });
      else if (r.code === 0) {
        const c = compare(out, this.ref);
        attempts.push({ ...c, ok: c.ok && regular, label, note: regular ? c.note : 'runs.csv is still a link' });
        midway = regular ? `link replaced by the file, ${c.note}` : 'link kept';
      } else attempts.push({ ...refusal(r), label });
      midway ??= attempts[attempts.length - 1].note;
    }
    return row(
      'planted symlink (journal, runs.csv)',
      attempts,
      false,
      `victim unchanged each time; planted before: ${attempts[0].note}; planted mid-sweep: ${midway}`,
    );
  }

  /**
   * Drill 5: a second sweep into a directory in use (the first is stopped with SIGSTOP while the second
   * runs, so that it cannot finish first on a slow machine), then a stale lock left by a dead process.
   */
  async concurrent(): Promise<DrillRow> {
    const attempts: Attempt[] = [];
    const out = this.out('concurrent');
    const first = start(this.sweepArgs(out), this.dir, SWEEP_TIMEOUT_MS);
    let refusedWith = '';
    if (!(await waitForRuns(out, 5, first))) {
      const r = await first.done;
      attempts.push({ ok: false, label: 'second', note: `the first sweep ended (${describeExit(r)}) first` });
    } else {
      first.child.kill('SIGSTOP');
      const second = refusal(await cli(this.sweepArgs(out), this.dir));
      first.child.kill('SIGCONT');
      const pid = first.child.pid;
      const named = (second.detail ?? '').includes(`pid ${pid}`);
      refusedWith = second.note;
      attempts.push(
        second.ok && !named
          ? { ...second, ok: false, label: 'second', note: `refused without naming the holder, pid ${pid}` }
          : { ...second, label: 'second', note: `${second.note} naming pid ${pid}` },
      );
    }
    const r = await first.done;
    attempts.push({
      ...(r.code === 0 ? compare(out, this.ref) : { ok: false, note: describeExit(r), detail: r.stderr }),
      label: 'first',
    });

    // A lock whose holder is gone: the pid of a process that has just exited.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const stale = this.out('stale-lock');
    mkdirSync(stale);
    const lock = {
      pid: dead,
      command: 'cascade sweep (a process the drill let exit)',
      started: new Date().toISOString(),
      token: 'drill',
    };
    writeFileSync(join(stale, '.cascade.lock'), JSON.stringify(lock) + '\n');
    const t = await cli(this.sweepArgs(stale), this.dir);
    const said = /stale lock/.test(t.stderr);
    const left = existsSync(join(stale, '.cascade.lock'));
    if (t.code !== 0 || hasStackTrace(t.stderr))
      attempts.push({ ok: false, label: 'stale lock', note: describeExit(t), detail: t.stderr });
    else {
      const ct = compare(stale, this.ref);
      const why = [said ? '' : 'taken over without a note', left ? 'lock left behind' : ''].filter((x) => x !== '');
      attempts.push({ ...ct, ok: ct.ok && why.length === 0, label: 'stale lock', note: [...why, ct.note].join(', ') });
    }
    return row(
      'concurrent sweeps, stale lock',
      attempts,
      true,
      `second: ${refusedWith} naming the holder; first: byte-identical; stale lock of a dead pid taken over, byte-identical`,
    );
  }

  /** Drill 6: one row per hostile input; each attempt must be a clean refusal. */
  async hostile(): Promise<DrillRow[]> {
    const d = this.dir;
    const f = (name: string, text: string): string => {
      writeFileSync(join(d, name), text);
      return join(d, name);
    };
    const replay = f(
      'replay-zero.yaml',
      'name: replay-zero\ndescription: A replay of /dev/zero.\nshocks:\n  - { kind: replay, step: 0, file: /dev/zero }\n',
    );
    const fifo = join(d, 'fifo.yaml');
    const haveFifo = sh('mkfifo', [fifo]).ok;
    let laughs = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (const [k, p] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
      ['g', 'f'],
      ['h', 'g'],
      ['i', 'h'],
    ])
      laughs += `${k}: &${k} [${Array(9).fill(`*${p}`).join(',')}]\n`;
    const laughsFile = f('laughs.yaml', laughs);
    let many = 'name: many-markets\ndescription: Five thousand markets.\nparams:\n  markets:\n';
    for (let i = 0; i < 5000; i++) many += `    m${i}: {}\n`;
    const manyFile = f('many-markets.yaml', many + 'shocks: []\n');
    const proto = f(
      'proto.yaml',
      'name: proto\ndescription: A prototype key in the parameters.\nparams:\n  __proto__: { polluted: true }\nshocks: []\n',
    );
    const out = (n: string): string => join(d, 'hostile-out', n);
    const small = ['--set', 'agents.traders.count=50', '--set', 'run.steps=20'];
    const refuse = async (args: string[], timeoutMs = HOSTILE_TIMEOUT_MS): Promise<Attempt> => {
      return { ...refusal(await cli(args, d, timeoutMs)), label: args[0] };
    };
    const rows: DrillRow[] = [];
    rows.push(
      row(
        'hostile: /dev/zero as scenario / sweep',
        [
          await refuse(['validate', '/dev/zero']),
          await refuse(['run', '/dev/zero', '--out', out('zero')]),
          await refuse(['sweep', '/dev/zero', '--out', out('zero-sweep')]),
        ],
        false,
      ),
    );
    rows.push(
      row(
        'hostile: replay file: /dev/zero',
        [await refuse(['validate', replay]), await refuse(['run', replay, '--out', out('replay')])],
        false,
      ),
    );
    rows.push(
      haveFifo
        ? row(
            'hostile: FIFO as scenario / sweep file',
            [
              await refuse(['validate', fifo], FIFO_TIMEOUT_MS),
              await refuse(['run', fifo, '--out', out('fifo')], FIFO_TIMEOUT_MS),
              await refuse(['sweep', fifo, '--out', out('fifo-sweep')], FIFO_TIMEOUT_MS),
            ],
            false,
          )
        : skipped('hostile: FIFO as scenario / sweep file', 'skipped (mkfifo failed)'),
    );
    rows.push(
      row(
        'hostile: billion laughs YAML',
        [await refuse(['validate', laughsFile]), await refuse(['sweep', laughsFile, '--out', out('laughs')])],
        false,
      ),
    );
    rows.push(
      row(
        `hostile: 5,000 markets (${Math.round(many.length / 1024)} KB)`,
        [await refuse(['validate', manyFile])],
        false,
      ),
    );
    rows.push(
      row(
        'hostile: --set market.initialPriceUsd=1e308',
        [
          await refuse(['run', 'flash-crash', ...small, '--set', 'market.initialPriceUsd=1e308', '--out', out('big')]),
          await refuse(['run', 'flash-crash', ...small, '--set', 'market.initialPriceUsd=1e309', '--out', out('inf')]),
        ],
        false,
      ),
    );
    rows.push(
      row(
        'hostile: params.__proto__',
        [
          await refuse(['validate', proto]),
          await refuse(['run', 'calm', ...small, '--set', '__proto__.polluted=1', '--out', out('proto-set')]),
        ],
        false,
      ),
    );
    rows.push(
      row(
        "hostile: empty --out ''",
        [
          await refuse(['run', 'calm', ...small, '--out', '']),
          await refuse(['sweep', this.sweepFile, '--out', '']),
          await refuse(['merge', join(d, 'nowhere'), '--out', '']),
        ],
        false,
      ),
    );
    const ep = await this.epipe();
    const epNote = `${ep[0].note} through head -1, ${ep[1].note} with the reader gone at once`;
    rows.push(row('hostile: cascade params | head -1 (EPIPE)', ep, false, epNote));
    return rows;
  }

  /** `cascade params | head -1` through a shell, and a reader that closes the pipe before anything is read. */
  async epipe(): Promise<Attempt[]> {
    const quiet = (what: string, code: number | null, stderr: string, timedOut: boolean): Attempt => {
      const label = what;
      if (timedOut) return { ok: false, label, note: 'no answer within the limit (killed)', detail: stderr };
      if (code !== 0 && code !== 141) return { ok: false, label, note: `exit ${code}`, detail: stderr };
      if (stderr.trim() !== '') return { ok: false, label, note: `exit ${code} with stderr`, detail: stderr };
      return { ok: true, label, note: `exit ${code}, quiet` };
    };
    const status = join(this.dir, 'epipe-status');
    const errFile = join(this.dir, 'epipe-stderr');
    const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
    const script = `{ ${q(process.execPath)} ${q(CLI)} params 2>${q(errFile)}; echo $? >${q(status)}; } | head -1 >/dev/null`;
    const shell = await start(['-c', script], this.dir, HOSTILE_TIMEOUT_MS, '/bin/sh').done;
    const code = existsSync(status) ? Number(readFileSync(status, 'utf8').trim()) : null;
    const errText = existsSync(errFile) ? readFileSync(errFile, 'utf8') : '';
    const a = quiet('| head -1', code, errText + (code === null ? shell.stderr : ''), shell.timedOut);

    const closed = start(['params'], this.dir, HOSTILE_TIMEOUT_MS);
    closed.child.stdout?.destroy();
    const r = await closed.done;
    const b = quiet('reader gone at once', r.signal === 'SIGPIPE' ? 141 : r.code, r.stderr, r.timedOut);
    return [a, b];
  }
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'cascade-drill-'));
  setTmpRoot(dir);
  const cleanup = (): void => {
    for (const c of live) c.kill('SIGKILL');
    unmountAll();
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    cleanup();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const d = new Drill(dir);
    const say = (s: string): void =>
      void process.stderr.write(`drill: [${((Date.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${s}\n`);
    say(`reference sweep (${TOTAL_RUNS} runs) in ${dir}`);
    await d.reference();
    const rows: DrillRow[] = [];
    say('kill -9 and --resume');
    rows.push(await d.kills());
    say('full disk');
    rows.push(await d.fullDisk());
    say('read-only directory');
    rows.push(await d.readOnly());
    say('planted symlinks');
    rows.push(await d.symlinks());
    say('concurrent sweeps and a stale lock');
    rows.push(await d.concurrent());
    say('hostile files');
    rows.push(...(await d.hostile()));
    say(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    if (failures.length > 0) say(`not survived:\n${failures.join('\n')}`);
    process.stdout.write(formatTable(rows));
    return allSurvived(rows) ? 0 : 1;
  } finally {
    cleanup();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`drill: error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
