// The worker thread of a sweep: receives the plan's scenarios and cell configs once (workerData),
// then runs one simulation per task and returns only the run statistics, rounded the way runs.csv
// prints them (so every file and every cell statistic sees exactly the same numbers). Does no I/O
// and returns no timelines: the main thread must stay small however many runs there are.
import { workerData } from 'node:worker_threads';
import { formatNumber } from '../../reports/format.js';
import type { Config } from '../config/index.js';
import { runSimulation, type ResolvedScenario, type RunStats } from '../engine.js';
import { serveTasks } from './pool.js';

/** What every sweep worker receives once. */
export interface SweepWorkerData {
  scenarios: ResolvedScenario[];
  cells: { scenarioIndex: number; config: Config }[];
  /** Statistic names, in the order the result array follows. */
  statKeys: string[];
}

/** One run: its index (for the caller's bookkeeping), cell and seed. */
export interface SweepTask {
  runIndex: number;
  cellIndex: number;
  seed: number;
}

/** Run statistics in `statKeys` order, each rounded to the 12 significant digits of runs.csv. */
export type SweepTaskResult = number[];

const data = workerData as SweepWorkerData;

serveTasks<SweepTask, SweepTaskResult>((task) => {
  const cell = data.cells[task.cellIndex];
  const result = runSimulation({ scenario: data.scenarios[cell.scenarioIndex], config: cell.config, seed: task.seed });
  const stats = result.stats as Record<string, number>;
  return data.statKeys.map((k) => Number(formatNumber(stats[k] as RunStats[keyof RunStats])));
});
