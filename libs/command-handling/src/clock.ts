/**
 * Where a caller reads the time it puts in a command's `metadata.now`: the system clock in production, a fixed or
 * stepped one in tests. The write path itself reads no clock.
 */
export type Clock = Readonly<{ now: () => Date }>;

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved: for tests and for running the billing clock "as of" an instant. */
export const fixedClock = (instant: Date | string): Clock & { set: (next: Date | string) => void } => {
  let current = new Date(instant);
  return {
    now: () => new Date(current),
    set: (next) => {
      current = new Date(next);
    },
  };
};
