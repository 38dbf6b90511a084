// Errors a user can cause (bad file, unknown parameter, impossible value) and the one-line
// message each prints. The CLI maps UserError to exit code 2; anything else is a bug.

/**
 * A mistake in the user's input: names the file (or flag) and the field path. One error can carry
 * the other mistakes found in the same file (`others`), so that a file's problems are all reported
 * at once, each on its own line.
 */
export class UserError extends Error {
  /** Further mistakes found in the same input, reported after this one. */
  others: readonly UserError[] = [];

  /** One error for a non-empty list of mistakes: the first, carrying the rest (theirs flattened in). */
  static all(errors: readonly UserError[]): UserError {
    const flat = errors.flatMap((e) => [e, ...e.others]);
    const first = new UserError(flat[0].source, flat[0].field, flat[0].detail);
    first.others = flat
      .slice(1)
      .filter((e, i, a) => a.findIndex((o) => o.message === e.message) === i && e.message !== first.message);
    return first;
  }

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

/**
 * Runs `f`; a UserError it throws is added to `errors` and undefined returned, so that checking
 * can go on and every mistake of a file be reported at once. Anything else is rethrown.
 */
export function attempt<T>(errors: UserError[], f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    errors.push(e);
    return undefined;
  }
}
