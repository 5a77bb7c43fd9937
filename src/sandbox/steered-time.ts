import type { Scheduled } from '../ports/scheduler';
import { SteerableClock } from './steerable-clock';

interface Timer {
  seq: number;
  at: number;
  /** Set for `every`: fires again this long after each run. */
  every?: number;
  run: Scheduled;
}

/**
 * Time that moves only when a test moves it, with the timers of the runner, its claim renewals and
 * the escalation poller on it: `pass(ms)` fires each timer due in that span in order, at its own
 * instant, and waits for what it started (the promise it returns) before the next one, so a test of
 * leases or pacing runs in milliseconds and the same way every time. Slack, the store and HTTP stay
 * real: a test waits for them as it would without steered time.
 */
export class SteeredTime extends SteerableClock {
  private current: number;
  private timers: Timer[] = [];
  private seq = 0;

  constructor(startAt: number = Date.now()) {
    super();
    this.current = startAt;
  }

  override now(): number {
    return this.current;
  }

  /** Sets the time without firing anything; timers due by then fire at the next `pass`. */
  override jumpTo(ms: number): void {
    this.current = ms;
  }

  /** As `jumpTo(now + ms)`; `pass` is the one that fires timers. */
  override advance(ms: number): void {
    this.current += ms;
  }

  override after(ms: number, run: Scheduled): () => void {
    return this.add({ seq: this.seq++, at: this.current + Math.max(0, ms), run });
  }

  override every(ms: number, run: Scheduled): () => void {
    const period = Math.max(1, ms);
    return this.add({ seq: this.seq++, at: this.current + period, every: period, run });
  }

  /** Time passes only when moved: waiting is moving it. */
  override wait(ms: number, settle?: () => Promise<unknown>): Promise<void> {
    return this.pass(ms, settle);
  }

  /** How many timers are set (a runner that stopped leaves none). */
  get pending(): number {
    return this.timers.length;
  }

  /**
   * Moves time forward by `ms`, firing every timer due on the way in order of due time (then of
   * setting). After each, waits for its promise, then for `settle` (e.g. the runners' `idle`), then for
   * pending I/O callbacks, so what it set off is done before time moves on.
   */
  async pass(ms: number, settle?: () => Promise<unknown>): Promise<void> {
    const end = this.current + ms;
    for (let next = this.nextDue(end); next; next = this.nextDue(end)) {
      this.current = Math.max(this.current, next.at);
      if (next.every === undefined) this.timers = this.timers.filter((timer) => timer !== next);
      else next.at += next.every;
      await next.run();
      await settle?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.current = end;
  }

  private add(timer: Timer): () => void {
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((other) => other !== timer);
    };
  }

  private nextDue(end: number): Timer | undefined {
    let next: Timer | undefined;
    for (const timer of this.timers) {
      if (timer.at > end) continue;
      if (!next || timer.at < next.at || (timer.at === next.at && timer.seq < next.seq)) next = timer;
    }
    return next;
  }
}
