// Timers, injected beside Clock: the effect runner, its claim renewals and the escalation poller
// wait through this, so tests steer time (src/sandbox/steered-time.ts) instead of sleeping on it.

/** Stops what `after` or `every` set up; calling it twice is harmless. */
export type Cancel = () => void;

/**
 * `run` may return a promise: a steered scheduler waits for it before it moves time on, so what a
 * timer started is finished before the next timer fires; the system scheduler does not wait.
 */
export type Scheduled = () => void | Promise<unknown>;

export interface Scheduler {
  /** Runs `run` once, `ms` from now. */
  after(ms: number, run: Scheduled): Cancel;
  /** Runs `run` every `ms` until cancelled. */
  every(ms: number, run: Scheduled): Cancel;
}

/** Node timers hold at most ~24.8 days. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Real timers that do not keep the process alive (shutdown does not wait for a poll). */
export const systemScheduler: Scheduler = {
  after(ms, run) {
    const timer = setTimeout(() => void run(), Math.min(Math.max(0, ms), MAX_TIMER_MS));
    timer.unref();
    return () => clearTimeout(timer);
  },
  every(ms, run) {
    const timer = setInterval(() => void run(), Math.min(Math.max(1, ms), MAX_TIMER_MS));
    timer.unref();
    return () => clearInterval(timer);
  },
};
