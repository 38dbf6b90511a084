// Shared by the input-validation tests: catching the UserError a loader throws, and a YAML file whose
// aliases expand without bound (billion laughs).
import { UserError } from '../../sim/core/errors.js';

/** The UserError `fn` throws; any other outcome fails the test. */
export function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

/** YAML of six levels of nine aliases each (9^6 nodes once expanded): the alias bomb. */
export function billionLaughsYaml(): string {
  const rows = ['a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]'];
  const names = ['a', 'b', 'c', 'd', 'e', 'f'];
  for (let k = 1; k < names.length; k++)
    rows.push(
      `${names[k]}: &${names[k]} [${Array(9)
        .fill(`*${names[k - 1]}`)
        .join(', ')}]`,
    );
  return rows.join('\n') + '\n';
}
