// The run count of every fast-check property test: its base count (today's number) times the
// multiplier in CASCADE_PROPERTY_RUNS (default 1). `npm run test:deep` runs the conservation and
// combination properties with 100; the seeds are fixed, so a failure replays exactly.

/** `base` times the CASCADE_PROPERTY_RUNS multiplier (a positive integer; default 1). */
export function propertyRuns(base: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CASCADE_PROPERTY_RUNS;
  if (raw === undefined || raw.trim() === '') return base;
  const multiplier = Number(raw);
  if (!Number.isInteger(multiplier) || multiplier < 1)
    throw new Error(`CASCADE_PROPERTY_RUNS: expected a positive integer multiplier, got '${raw}'`);
  return base * multiplier;
}
