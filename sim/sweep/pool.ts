// A worker_threads pool that feeds tasks from an iterator to N threads, a few in flight per thread,
// and hands each outcome to a callback as it arrives. Tasks, results and errors cross threads as
// plain data (structured clone) through the typed messages below. Knows nothing of what the tasks
// compute; decides nothing about ordering (the caller orders by its own keys).
import { parentPort, Worker } from 'node:worker_threads';

/** An error as plain data: name, message and the error's own primitive fields (e.g. `step`, `seed`). */
export interface PlainError {
  name: string;
  message: string;
  fields: Record<string, string | number | boolean>;
}

export type TaskOutcome<R> = { ok: true; value: R } | { ok: false; error: PlainError };

/** Main thread -> worker. */
export type ToWorker<T> = { kind: 'task'; id: number; task: T };

/** Worker -> main thread. */
export type FromWorker<R> = { kind: 'done'; id: number; value: R } | { kind: 'failed'; id: number; error: PlainError };

export interface PoolOptions<T, R> {
  /** Absolute path of the compiled worker module (it calls `serveTasks`). */
  workerFile: string;
  /** Number of threads; at least 1. */
  threads: number;
  /** Passed to every worker once, as `workerData` (structured clone). */
  workerData: unknown;
  /** Tasks, pulled lazily: only a few per thread are ever taken ahead, so memory stays flat. */
  tasks: Iterator<T>;
  /** Called in the main thread for each task as it settles; return 'stop' to end the pool early. */
  onSettled: (task: T, outcome: TaskOutcome<R>) => void | 'stop';
  /** Aborting ends the pool: no new tasks, in-flight ones dropped, threads terminated. */
  signal?: AbortSignal;
  /** Tasks queued per thread, so a thread never idles while the main thread reads its last result. Default 2. */
  inFlightPerThread?: number;
}

/** How the pool ended: every task settled, a callback asked to stop, or the signal aborted it. */
export type PoolEnd = 'done' | 'stopped' | 'aborted';

/** Turns any thrown value into a PlainError (a worker must not post an Error's prototype chain). */
export function toPlainError(e: unknown): PlainError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e), fields: {} };
  const fields: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(e)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') fields[k] = v;
  }
  return { name: e.name, message: e.message, fields };
}

/** Runs all tasks on a pool of worker threads; resolves when the pool ends, rejects if a thread dies. */
export function runPool<T, R>(opts: PoolOptions<T, R>): Promise<PoolEnd> {
  const perThread = opts.inFlightPerThread ?? 2;
  if (!Number.isInteger(opts.threads) || opts.threads < 1)
    throw new RangeError(`threads must be >= 1, got ${opts.threads}`);
  return new Promise<PoolEnd>((resolveEnd, rejectEnd) => {
    const workers: Worker[] = [];
    const inFlight = new Map<Worker, Map<number, T>>();
    let nextId = 0;
    let exhausted = false;
    let finished = false;

    const finish = (end: PoolEnd | Error): void => {
      if (finished) return;
      finished = true;
      opts.signal?.removeEventListener('abort', onAbort);
      void Promise.all(workers.map((w) => w.terminate())).then(() =>
        end instanceof Error ? rejectEnd(end) : resolveEnd(end),
      );
    };
    const onAbort = (): void => finish('aborted');

    const feed = (w: Worker): void => {
      const mine = inFlight.get(w)!;
      while (!finished && !exhausted && mine.size < perThread) {
        let next: IteratorResult<T>;
        try {
          next = opts.tasks.next();
        } catch (e) {
          return finish(e instanceof Error ? e : new Error(String(e)));
        }
        if (next.done) {
          exhausted = true;
          break;
        }
        const id = nextId++;
        mine.set(id, next.value);
        w.postMessage({ kind: 'task', id, task: next.value } satisfies ToWorker<T>);
      }
      if (exhausted && [...inFlight.values()].every((m) => m.size === 0)) finish('done');
    };

    if (opts.signal?.aborted) return resolveEnd('aborted');
    opts.signal?.addEventListener('abort', onAbort);
    for (let t = 0; t < opts.threads; t++) {
      const w = new Worker(opts.workerFile, { workerData: opts.workerData });
      workers.push(w);
      inFlight.set(w, new Map());
      w.on('message', (msg: FromWorker<R>) => {
        if (finished) return;
        const mine = inFlight.get(w)!;
        const task = mine.get(msg.id);
        if (task === undefined) return finish(new Error(`worker thread ${t} answered unknown task ${msg.id}`));
        mine.delete(msg.id);
        let verdict: void | 'stop';
        try {
          verdict = opts.onSettled(
            task,
            msg.kind === 'done' ? { ok: true, value: msg.value } : { ok: false, error: msg.error },
          );
        } catch (e) {
          return finish(e instanceof Error ? e : new Error(String(e)));
        }
        if (verdict === 'stop') return finish('stopped');
        feed(w);
      });
      w.on('error', (e) => finish(new Error(`worker thread ${t} died: ${e.message}`)));
      w.on('exit', (code) => {
        if (!finished) finish(new Error(`worker thread ${t} exited unexpectedly (code ${code})`));
      });
    }
    for (const w of workers) feed(w);
    if (nextId === 0 && exhausted) finish('done');
  });
}

/**
 * Worker side: answers every task message with the handler's value, or with the error it threw as
 * plain data. Call once at the top of a worker module.
 */
export function serveTasks<T, R>(handler: (task: T) => R): void {
  if (!parentPort) throw new Error('serveTasks must run in a worker thread');
  const port = parentPort;
  port.on('message', (msg: ToWorker<T>) => {
    let reply: FromWorker<R>;
    try {
      reply = { kind: 'done', id: msg.id, value: handler(msg.task) };
    } catch (e) {
      reply = { kind: 'failed', id: msg.id, error: toPlainError(e) };
    }
    port.postMessage(reply);
  });
}
