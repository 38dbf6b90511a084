import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Three tiers, each a vitest project (`npm test` runs them all; `npm run test:unit`, `test:cli` and
// `test:browser` one each):
//   unit    in process only: no child process, no worker thread, no browser, no dist/ (a setup file
//           makes a child process or a worker thread throw);
//   cli     spawns the built CLI (dist/sim/cli/main.js), which runs sweeps on worker threads;
//   browser the HTML reports in headless Chromium, made by the built CLI.
// Only the tiers that run dist/ build it, once per vitest run (test/global-setup.ts).
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Vitest's default leaves one core free, which on a 2-core machine runs the files one at a time;
    // many suites wait on child processes (the CLI), so two workers finish sooner (207 s -> 164 s here).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/helpers/in-process-only.ts'],
          // The files share a worker's module graph (and its warmed-up JIT) instead of importing sim/
          // afresh each; they keep no module state. The tier took 116 s of CPU isolated, 42 s shared.
          isolate: false,
        },
      },
      {
        extends: true,
        test: { name: 'cli', include: ['test/cli/**/*.test.ts'], globalSetup: ['test/global-setup.ts'] },
      },
      {
        extends: true,
        test: { name: 'browser', include: ['test/browser/**/*.test.ts'], globalSetup: ['test/global-setup.ts'] },
      },
    ],
  },
});
