// Errors a user can cause (bad file, unknown parameter, impossible value) and the one-line
// message each prints. The CLI maps UserError to exit code 2; anything else is a bug.

/** A mistake in the user's input: names the file (or flag) and the field path. */
export class UserError extends Error {
  constructor(
    /** The file or command-line flag the mistake is in. */
    readonly source: string,
    /** Dotted field path inside the source, or '' when the whole source is wrong. */
    readonly field: string,
    /** What was expected or what is wrong. */
    readonly detail: string,
  ) {
    super(field ? `${source}: ${field}: ${detail}` : `${source}: ${detail}`);
    this.name = 'UserError';
  }
}

/** Raised when value conservation (design contract 4) or another invariant breaks. */
export class InvariantError extends Error {
  constructor(
    readonly step: number,
    readonly seed: number,
    detail: string,
  ) {
    super(`invariant violated at step ${step} (seed ${seed}): ${detail}`);
    this.name = 'InvariantError';
  }
}

/** Formats a path of keys and indices the way users write them: `shocks[2].kind`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}
