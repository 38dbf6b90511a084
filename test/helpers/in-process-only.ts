// Setup file of the unit tier (vitest.config.ts): its tests run in process only, so starting a child
// process (the built CLI, or anything else) or a worker thread throws, naming the tier to move the
// test to. The cli tier builds dist/ and may do both.
import { vi } from 'vitest';

function refuse(what: string): () => never {
  return () => {
    throw new Error(`the unit tier runs in process only: ${what} is refused here; put this test in test/cli/`);
  };
}

vi.mock('node:child_process', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:child_process')>();
  const names = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;
  return { ...original, ...Object.fromEntries(names.map((n) => [n, refuse(`child_process.${n}`)])) };
});

vi.mock('node:worker_threads', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:worker_threads')>();
  return {
    ...original,
    Worker: class {
      constructor() {
        refuse('a worker thread')();
      }
    },
  };
});
