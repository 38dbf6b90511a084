// Global setup of the tiers that run the compiled code (vitest.config.ts: cli, browser): builds dist/
// once per vitest run before their tests. Worker threads on Node 20 load compiled JS only, and the CLI
// tests run the compiled `cascade` binary the way a user does. The unit tier needs no build.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Each project loads this file on its own; the variable keeps a run with both tiers to one build.
const BUILT = 'CASCADE_TEST_DIST_BUILT';

export default function setup(): void {
  if (process.env[BUILT] === '1') return;
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  process.env[BUILT] = '1';
}
