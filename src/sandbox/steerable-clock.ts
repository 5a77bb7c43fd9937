import type { Clock } from '../ports/clock';
import { systemScheduler, type Cancel, type Scheduled, type Scheduler } from '../ports/scheduler';

/**
 * Real time, shifted: it keeps ticking (so retries and timers behave), and can jump to a chosen
 * instant, which lets the demo and tests replay an incident on its own day.
 */
export class SteerableClock implements Clock, Scheduler {
  private offsetMs = 0;

  constructor(startAt?: number) {
    if (startAt !== undefined) this.jumpTo(startAt);
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  jumpTo(ms: number): void {
    this.offsetMs = ms - Date.now();
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** The bot's timers run on this clock's time: real timers, as it keeps ticking. */
  after(ms: number, run: Scheduled): Cancel {
    return systemScheduler.after(ms, run);
  }

  every(ms: number, run: Scheduled): Cancel {
    return systemScheduler.every(ms, run);
  }

  /** Lets `ms` of this clock's time go by (real time here); `settle` is for clocks whose timers it fires. */
  async wait(ms: number, _settle?: () => Promise<unknown>): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}
