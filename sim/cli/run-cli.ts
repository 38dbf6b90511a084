// The `cascade run` command handler: loads the scenario, resolves its config with the --set
// overrides, runs one seeded simulation, writes timeline.csv and summary.json (and report.html) and
// prints the summary, or with --json one document holding summary.json's content and the files'
// paths. A broken invariant prints the exact replay command (exit 1).
import { join } from 'node:path';
import { writeHtmlReport } from '../../reports/html-report.js';
import { summaryJson, summaryText, timelineCsv } from '../../reports/run-output.js';
import { writeOutputDir } from '../../reports/write-dir.js';
import { loadScenario, resolveConfig } from '../../scenarios/load.js';
import { InvariantError } from '../core/errors.js';
import { CONTAGION_CDP_STATISTICS, FAMILY_STATISTICS, runSimulation } from '../engine.js';
import { packageVersion } from '../sweep/sweep.js';
import { intFlag } from './flags.js';
import { outputFor, where, type OutputFlags } from './output.js';

export interface RunArgs extends OutputFlags {
  scenario?: string;
  seed?: string;
  set?: string[];
  out?: string;
  report?: boolean;
}

export function runCommand(args: RunArgs): number {
  const out = outputFor(args);
  const seed = intFlag('--seed', args.seed ?? '1', 0, 0xffffffff)!;
  const sets = args.set ?? [];
  const { scenario, params } = loadScenario(String(args.scenario));
  const config = resolveConfig(scenario.source, params, sets);
  let result;
  try {
    result = runSimulation({ scenario, config, seed });
  } catch (e) {
    if (!(e instanceof InvariantError)) throw e;
    // The replay command names this run exactly: scenario, seed and every --set given.
    const replay = sets.map((a) => ` --set ${a}`).join('');
    process.stderr.write(
      `cascade: ${e.message}\n  replay: cascade run ${String(args.scenario)} --seed ${e.seed}${replay}\n`,
    );
    return 1;
  }
  const dir = args.out ?? join('out', `${scenario.name}-seed${seed}`);
  const summary = summaryJson(result, config, scenario.source, packageVersion());
  writeOutputDir(dir, { 'timeline.csv': timelineCsv(result), 'summary.json': summary });
  const files = [join(dir, 'timeline.csv'), join(dir, 'summary.json')];
  out.text(summaryText(result) + `\n  wrote ${files.join(', ')}\n`);
  if (args.report) {
    files.push(
      writeHtmlReport(dir, undefined, {
        statistics: 'cdp_insolvent' in result.stats ? CONTAGION_CDP_STATISTICS : FAMILY_STATISTICS[result.family],
      }),
    );
    out.text(`  wrote ${join(dir, 'report.html')}\n`);
  }
  out.doc({ command: 'run', out: where(dir), files: files.map(where), summary: JSON.parse(summary) as unknown });
  return 0;
}
