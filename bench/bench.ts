// Benchmark of single runs: the default flash-crash world (10,000 traders, 1,440 one-minute steps),
// or any built-in named as the first argument (a lending one counts its borrowers, a CDP one its
// vaults, a contagion world its traders and borrowers), run repeatedly in
// one thread after a warm-up; prints runs/s, ms per run and account-steps/s.
// A script that prints figures, not a test: nothing here asserts.
import { loadScenario, resolveConfig } from '../scenarios/load.js';
import { runSimulation } from '../sim/engine.js';

function main(): void {
  const scenarioName = process.argv[2] ?? 'flash-crash';
  const runs = Number(process.argv[3] ?? 30);
  const { scenario, params } = loadScenario(scenarioName);
  const config = resolveConfig(scenario.source, params);
  for (let s = 0; s < 5; s++) runSimulation({ scenario, config, seed: 1000 + s });
  const times: number[] = [];
  const start = process.hrtime.bigint();
  for (let s = 0; s < runs; s++) {
    const t0 = process.hrtime.bigint();
    runSimulation({ scenario, config, seed: s + 1 });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const totalS = Number(process.hrtime.bigint() - start) / 1e9;
  times.sort((a, b) => a - b);
  const { lending, cdp, contagion } = config;
  const traders = config.agents.traders.count;
  const [accounts, who] = contagion
    ? [traders + (lending?.borrowers.count ?? 0) + (cdp?.vaultOwners.count ?? 0), 'traders, borrowers and vaults']
    : cdp && !lending
      ? [cdp.vaultOwners.count, 'vaults']
      : lending
        ? [lending.borrowers.count, 'borrowers']
        : [traders, 'traders'];
  const steps = config.run.steps;
  const perRun = (totalS * 1000) / runs;
  console.log(`single-run benchmark: ${scenarioName}, ${accounts} ${who} x ${steps} steps, ${runs} runs (1 thread)`);
  console.log(`  runs/s              ${(runs / totalS).toFixed(1)}`);
  console.log(
    `  ms per run          mean ${perRun.toFixed(1)}, median ${times[runs >> 1].toFixed(1)}, min ${times[0].toFixed(1)}`,
  );
  console.log(`  account-steps/s     ${((accounts * steps * runs) / totalS / 1e6).toFixed(1)} M`);
}

main();
