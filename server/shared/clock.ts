// Time is injected: the demo clock runs from the fixture's moment in real time, tests use a manual one.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Puts the clock at `iso` (the control API does this when it loads a fixture). */
  reset(iso: string): void;
}

/** Starts at `iso` and advances in real time, so the fixture's documented moments stay true on a fresh server. */
export function fixtureClock(iso: string, realNow: () => number = Date.now): Clock {
  let offset = Date.parse(iso) - realNow();
  return {
    now: () => realNow() + offset,
    reset(to) {
      offset = Date.parse(to) - realNow();
    },
  };
}

export interface ManualClock extends Clock {
  set(iso: string): void;
  advance(ms: number): void;
}

/** Stands still until told to move. */
export function manualClock(iso: string): ManualClock {
  let current = Date.parse(iso);
  return {
    now: () => current,
    reset(to) {
      current = Date.parse(to);
    },
    set(to) {
      current = Date.parse(to);
    },
    advance(ms) {
      current += ms;
    },
  };
}
