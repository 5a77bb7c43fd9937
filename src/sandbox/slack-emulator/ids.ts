import { randomBytes } from 'node:crypto';
import type { EmulatorClock } from './types';

/** Slack-looking ids (`C…`, `F…`, `V…`): a prefix and a counter, so runs are reproducible. */
export class IdFactory {
  private readonly counters = new Map<string, number>();

  next(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}0${n.toString(36).toUpperCase().padStart(8, '0')}`;
  }
}

/**
 * Message timestamps the way Slack writes them (`1700000000.000100`), read from the emulator's
 * clock. They only move forward, so every ts is unique and later messages sort after earlier ones
 * even when the clock stands still (a fake clock in tests) or repeats a millisecond.
 */
export class TsClock {
  private lastMicros = 0;

  constructor(private readonly clock: EmulatorClock) {}

  next(): string {
    const micros = Math.max(Math.floor(this.clock.now() * 1000), this.lastMicros + 1);
    this.lastMicros = micros;
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  /** Epoch seconds, for `created` fields. */
  seconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }
}

/** Trigger ids look like Slack's (`<digits>.<digits>.<hex>`); only the emulator can mint them. */
export function triggerIdFrom(ts: string): string {
  return `${ts.replace('.', '')}.${Math.floor(Math.random() * 1e9)}.${randomBytes(16).toString('hex')}`;
}
