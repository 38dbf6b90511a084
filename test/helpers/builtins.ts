// The built-in scenarios and sweeps, read from the repository's folders (scenarios/builtin/ and
// scenarios/builtin-sweeps/) rather than listed by hand, so that a test over "every built-in" covers a
// file added or removed without being edited.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const SCENARIOS = join(import.meta.dirname, '..', '..', 'scenarios');

export const BUILTIN_SCENARIO_DIR = join(SCENARIOS, 'builtin');
export const BUILTIN_SWEEP_DIR = join(SCENARIOS, 'builtin-sweeps');

/** The names (file names without .yaml) of the YAML files in `dir`, sorted. */
function yamlNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

export const BUILTIN_SCENARIOS = yamlNames(BUILTIN_SCENARIO_DIR);
export const BUILTIN_SWEEPS = yamlNames(BUILTIN_SWEEP_DIR);
