import type { Clock } from '../ports/clock';

/**
 * Real time, shifted: it keeps ticking (so retries and timers behave), and can jump to a chosen
 * instant, which lets the demo and tests replay an incident on its own day.
 */
export class SteerableClock implements Clock {
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
}
