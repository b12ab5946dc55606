/** Delays between attempts: doubling from `initialDelayMs`, never more than `maxDelayMs`. */
export type Backoff = Readonly<{ initialDelayMs: number; maxDelayMs: number }>;

/**
 * The delay before retry number `attempt` (1 for the first retry): the doubled delay, capped, of which a
 * random part is taken off ("equal jitter": between half and all of it), so that the clients a restart
 * dropped together do not all come back at the same instant, yet none retries at once.
 */
export const backoffDelay = (
  attempt: number,
  backoff: Backoff,
  random: () => number = Math.random,
): number => {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  const ceiling = Math.min(backoff.maxDelayMs, backoff.initialDelayMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
};
