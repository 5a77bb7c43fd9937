// What Intl itself says about an instant in a zone, computed here with formatters of the test's own
// (nothing from src/), and instants around a zone's offset changes: the reference the cached-offset
// fast path (domain/time-format, postmortem/zone-clock) is compared with. Shared by both tests.

import { prng } from '../../support/seeded-random';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Zones with DST north and south, a 30-minute DST shift, a half-hour zone, and no DST at all. */
export const REFERENCE_ZONES = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Africa/Nairobi'] as const;

/** The host zones the comparisons run under: the fast path must not depend on the host's zone. */
export const HOST_ZONES = ['UTC', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'] as const;

export interface IntlReading {
  /** "March 3, 2023" */
  date: string;
  /** "1:15 PM" */
  clock: string;
  /** "2023-03-03" */
  isoDay: string;
  /** Seconds ahead of UTC (local mean time, before standard zones, has seconds). */
  offsetSeconds: number;
}

const readers = new Map<string, { long: Intl.DateTimeFormat; iso: Intl.DateTimeFormat; offset: Intl.DateTimeFormat }>();

function reader(timeZone: string) {
  let r = readers.get(timeZone);
  if (!r) {
    r = {
      long: new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', hourCycle: 'h12' }),
      iso: new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
      offset: new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }),
    };
    readers.set(timeZone, r);
  }
  return r;
}

/** Seconds ahead of UTC, from Intl's "GMT+05:30", "GMT-03:30", "GMT+02:27:16" or "GMT". */
export function intlOffsetSeconds(ms: number, timeZone: string): number {
  const name =
    reader(timeZone)
      .offset.formatToParts(ms)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(name);
  if (!match) throw new Error(`unexpected offset name ${JSON.stringify(name)} for ${timeZone}`);
  if (!match[1]) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0);
  return match[1] === '-' ? -seconds : seconds;
}

export function intlReading(ms: number, timeZone: string): IntlReading {
  const r = reader(timeZone);
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of r.long.formatToParts(ms)) parts[part.type] = part.value;
  return {
    date: `${parts.month} ${parts.day}, ${parts.year}`,
    clock: `${parts.hour}:${parts.minute} ${parts.dayPeriod}`,
    isoDay: r.iso.format(ms),
    offsetSeconds: intlOffsetSeconds(ms, timeZone),
  };
}

/** The instants in [from, to) where the zone's offset changes, found every `step` then bisected to the millisecond. */
export function offsetChanges(timeZone: string, from: number, to: number, step: number): number[] {
  const changes: number[] = [];
  let before = intlOffsetSeconds(from, timeZone);
  for (let t = from; t < to; t += step) {
    const after = intlOffsetSeconds(t + step, timeZone);
    if (after !== before) {
      // The first millisecond with a different offset: offset(lo) = before, offset(hi) ≠ before.
      let [lo, hi] = [t, t + step];
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (intlOffsetSeconds(mid, timeZone) === before) lo = mid;
        else hi = mid;
      }
      changes.push(hi);
    }
    before = after;
  }
  return changes;
}

export { prng };

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

export interface ZoneSample {
  zone: string;
  /** Where the offset changes, in the ranges scanned. */
  changes: number[];
  /** Instants to compare at: around every change, on the 15-minute buckets around it, and spread over the years. */
  instants: number[];
}

const BUCKET = 15 * MINUTE;
/** Offsets each side of a change: the millisecond, the second, the minute, the bucket, the hours around it. */
const AROUND = [0, 1, 999, 1000, 59_999, MINUTE, 14 * MINUTE, BUCKET, 30 * MINUTE, HOUR, 2 * HOUR + 1, 26 * HOUR];

/**
 * Changes in two ranges: 1850–1950 (local mean time with offsets in seconds, changes at odd seconds
 * inside a 15-minute bucket, wartime DST) scanned weekly, and 2015–2030 scanned daily; then
 * instants around each change and `spread` seeded instants from 1850 to 2100.
 */
export function zoneSample(zone: string, seed: number, spread = 300): ZoneSample {
  const changes = [...offsetChanges(zone, Date.UTC(1850, 0, 1), Date.UTC(1950, 0, 1), 7 * DAY), ...offsetChanges(zone, Date.UTC(2015, 0, 1), Date.UTC(2030, 0, 1), DAY)];
  const random = prng(seed);
  const instants: number[] = [];
  for (const change of changes) {
    for (const d of AROUND) instants.push(change - d, change + d);
    const bucket = Math.floor(change / BUCKET) * BUCKET;
    instants.push(bucket - 1, bucket, bucket + BUCKET - 1, bucket + BUCKET);
    for (let i = 0; i < 8; i++) instants.push(change + Math.floor((random() - 0.5) * 6 * HOUR));
  }
  const [start, end] = [Date.UTC(1850, 0, 1), Date.UTC(2100, 0, 1)];
  for (let i = 0; i < spread; i++) instants.push(start + Math.floor(random() * (end - start)));
  return { zone, changes, instants };
}

/** Runs `body` with the process's zone (what host-local Dates use) set to `zone`, then restores it. */
export function withHostZone<T>(zone: string, body: () => T): T {
  const saved = process.env.TZ;
  process.env.TZ = zone;
  try {
    return body();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}
