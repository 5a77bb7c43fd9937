// Presenting instants in the team's time zone, the way a postmortem reads: "1:15 PM (EAT)".

import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

export { dayjs };

// --- A zone's offset from UTC, cached ------------------------------------------------------------
//
// Intl is the source of truth (dayjs's .tz() builds a formatter per call and goes through a host-local
// Date, which cannot hold a wall time inside the host's own DST gap), but even a reused formatter
// costs 10–20 µs per `formatToParts`. Offsets change a few times a year, so we ask Intl once per
// 15-minute UTC bucket of a zone: the offset at the bucket's first and last millisecond. When they
// agree the whole bucket has that offset (no zone changes its offset twice within 15 minutes: the
// closest two changes in tzdata are days apart); when they differ a change falls inside, and every
// instant of that bucket is asked of Intl exactly. The wall clock is then `new Date(ms + offset)`
// read with the UTC getters, which never touches the host's zone.

const BUCKET_MS = 15 * 60_000;
/** Buckets kept per zone before the zone's cache starts over (about 100 days of distinct buckets). */
const MAX_BUCKETS = 10_000;
/** The latest instant a Date holds (and minus it, the earliest). */
const MAX_MS = 8.64e15;
/** Closer than this to those limits, `ms + offset` may not be a Date: the fields come from Intl. */
const MAX_SAFE_MS = MAX_MS - 2 * 86_400_000;

/** A zone's wall clock at an instant. */
export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** 0–23 */
  hour: number;
  minute: number;
  /** Offset from UTC, in minutes (rounded, for the rare local-mean-time offset with seconds). */
  offset: number;
}

/** One zone's offsets, cached by bucket, and its wall clock. One instance per zone: `ZoneTime.of`. */
export class ZoneTime {
  private static readonly zones = new Map<string, ZoneTime>();

  /** The shared instance for `timeZone`; a RangeError for a zone Intl does not know, as dayjs's .tz(). */
  static of(timeZone: string): ZoneTime {
    let zone = ZoneTime.zones.get(timeZone);
    if (zone === undefined) {
      zone = new ZoneTime(timeZone);
      ZoneTime.zones.set(timeZone, zone);
    }
    return zone;
  }

  private readonly fields: Intl.DateTimeFormat;
  /** Bucket index → offset in ms, or NaN when the offset changes inside the bucket. */
  private readonly buckets = new Map<number, number>();
  /** The last bucket read, and its entry: consecutive reads usually fall in the same one. */
  private lastBucket = NaN;
  private lastOffset = NaN;

  private constructor(readonly timeZone: string) {
    this.fields = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Milliseconds the zone is ahead of UTC at `ms` (negative west of Greenwich; whole seconds). */
  offsetMs(ms: number): number {
    const bucket = Math.floor(ms / BUCKET_MS);
    let offset: number;
    if (bucket === this.lastBucket) {
      offset = this.lastOffset;
    } else {
      if (!Number.isFinite(ms)) throw new RangeError(`Invalid time value: ${ms}`);
      const cached = this.buckets.get(bucket);
      if (cached === undefined) {
        const start = bucket * BUCKET_MS;
        const first = this.intlOffsetMs(Math.max(start, -MAX_MS));
        offset = first === this.intlOffsetMs(Math.min(start + BUCKET_MS - 1, MAX_MS)) ? first : NaN;
        if (this.buckets.size >= MAX_BUCKETS) this.buckets.clear();
        this.buckets.set(bucket, offset);
      } else {
        offset = cached;
      }
      this.lastBucket = bucket;
      this.lastOffset = offset;
    }
    // A transition inside this bucket: this instant's own offset.
    return Number.isNaN(offset) ? this.intlOffsetMs(ms) : offset;
  }

  /** The wall clock at `ms`: the fields of `ms + offset` read in UTC (never the host's zone). */
  wall(ms: number): WallTime {
    const offsetMs = this.offsetMs(ms);
    if (Math.abs(ms) > MAX_SAFE_MS) return { ...this.intlWall(ms), offset: Math.round(offsetMs / 60_000) };
    const wall = new Date(ms + offsetMs);
    return {
      year: wall.getUTCFullYear(),
      month: wall.getUTCMonth() + 1,
      day: wall.getUTCDate(),
      hour: wall.getUTCHours(),
      minute: wall.getUTCMinutes(),
      offset: Math.round(offsetMs / 60_000),
    };
  }

  /** The offset at `ms` from Intl itself: its wall clock read as UTC, minus `ms` (to the second). */
  private intlOffsetMs(ms: number): number {
    const { year, month, day, hour, minute, second } = this.intlWall(ms);
    const wall = new Date(0);
    // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
    wall.setUTCFullYear(year, month - 1, day);
    wall.setUTCHours(hour, minute, second, 0);
    return wall.getTime() - Math.floor(ms / 1000) * 1000;
  }

  /** The wall clock's fields from Intl (10–20 µs). */
  private intlWall(ms: number): Omit<WallTime, 'offset'> & { second: number } {
    const wall = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
    let bc = false;
    for (const part of this.fields.formatToParts(ms)) {
      if (part.type === 'era') bc = part.value.startsWith('B');
      else if (part.type in wall) wall[part.type as keyof typeof wall] = Number(part.value);
    }
    wall.hour %= 24; // some engines print midnight as 24 even with h23
    if (bc) wall.year = 1 - wall.year; // 1 BC is year 0
    return wall;
  }
}

/** Milliseconds `timeZone` is ahead of UTC at `ms` (negative west of Greenwich). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  return ZoneTime.of(timeZone).offsetMs(ms);
}

/** Minutes `timeZone` is ahead of UTC at `ms`, like dayjs's `utcOffset()`. */
export function zoneOffset(ms: number, timeZone: string): number {
  return Math.round(zoneOffsetMs(ms, timeZone) / 60_000);
}

/** The wall clock of `timeZone` at `ms`. */
export function wallTime(ms: number, timeZone: string): WallTime {
  return ZoneTime.of(timeZone).wall(ms);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "1:15 PM" (dayjs's "h:mm A") */
export function clockText(wall: WallTime): string {
  const { hour, minute } = wall;
  return `${hour % 12 || 12}:${minute < 10 ? '0' : ''}${minute} ${hour < 12 ? 'AM' : 'PM'}`;
}

/** "March 3, 2023" (dayjs's "MMMM D, YYYY") */
export function dateText(wall: WallTime): string {
  return `${MONTHS[wall.month - 1]} ${wall.day}, ${year4(wall.year)}`;
}

/** "2023-03-03" (dayjs's "YYYY-MM-DD") */
export function isoDayText(wall: WallTime): string {
  return `${year4(wall.year)}-${wall.month < 10 ? '0' : ''}${wall.month}-${wall.day < 10 ? '0' : ''}${wall.day}`;
}

function year4(year: number): string {
  return String(year).padStart(4, '0');
}

// --- Abbreviations --------------------------------------------------------------------------------

// Intl only names zones by letters in locales that use them ("EAT" needs en-KE, "BST" en-GB, "IST"
// en-IN …). We try a few English locales and keep the first alphabetic abbreviation.
const ABBREVIATION_LOCALES = ['en-US', 'en-GB', 'en-KE', 'en-IN', 'en-AU', 'en-NZ', 'en-ZA', 'en-CA', 'en-IE', 'en-SG'];
const abbreviationCache = new Map<string, string>();

/** Abbreviation of `timeZone` at instant `ms`, e.g. "EAT", "CEST", "UTC"; "GMT+3" when none exists. */
export function zoneAbbreviation(ms: number, timeZone: string): string {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC';
  const offset = zoneOffset(ms, timeZone);
  const key = `${timeZone}|${offset}`;
  const cached = abbreviationCache.get(key);
  if (cached) return cached;
  let fallback = '';
  for (const locale of ABBREVIATION_LOCALES) {
    const part = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }).formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value;
    if (!part) continue;
    if (/^[A-Z]{2,5}$/.test(part)) {
      abbreviationCache.set(key, part);
      return part;
    }
    fallback ||= part;
  }
  const result = fallback || gmtOffsetLabel(offset);
  abbreviationCache.set(key, result);
  return result;
}

/** "GMT+3", "GMT-3:30", "GMT+5:45": Intl's own style, so every fallback reads alike. */
function gmtOffsetLabel(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const hours = Math.floor(Math.abs(offsetMinutes) / 60);
  const minutes = Math.abs(offsetMinutes) % 60;
  return `GMT${sign}${hours}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}`;
}

// --- Formatting -----------------------------------------------------------------------------------

/** "1:15 PM (EAT)" */
export function formatClockTime(ms: number, timeZone: string): string {
  return `${clockText(wallTime(ms, timeZone))} (${zoneAbbreviation(ms, timeZone)})`;
}

// An instant that is not a time (NaN, ±Infinity, beyond a Date's range): the date functions answer
// "Invalid Date" as dayjs did, where the clock ones throw a RangeError as Intl (and dayjs) did.
const INVALID_DATE = 'Invalid Date';

function isTime(ms: number): boolean {
  return Math.abs(ms) <= MAX_MS; // false for NaN
}

/** "March 3, 2023" */
export function formatDate(ms: number, timeZone: string): string {
  return isTime(ms) ? dateText(wallTime(ms, timeZone)) : INVALID_DATE;
}

/** "March 3, 2023 1:15 PM (EAT)" */
export function formatDateTime(ms: number, timeZone: string): string {
  const wall = wallTime(ms, timeZone);
  return `${dateText(wall)} ${clockText(wall)} (${zoneAbbreviation(ms, timeZone)})`;
}

/** "2023-03-03" in the team's zone; used in channel names and titles. */
export function isoDay(ms: number, timeZone: string): string {
  return isTime(ms) ? isoDayText(wallTime(ms, timeZone)) : INVALID_DATE;
}

/** True when two instants fall on the same calendar day in the zone. */
export function sameDay(a: number, b: number, timeZone: string): boolean {
  if (!isTime(a) || !isTime(b)) return isoDay(a, timeZone) === isoDay(b, timeZone);
  const [x, y] = [wallTime(a, timeZone), wallTime(b, timeZone)];
  return x.year === y.year && x.month === y.month && x.day === y.day;
}

/**
 * Human duration, rounded to the minute: "2 hours", "1 hour 30 minutes", "45 minutes",
 * "less than a minute", "3 days 2 hours".
 */
export function humanizeDuration(ms: number): string {
  const totalMinutes = Math.round(Math.max(0, ms) / 60_000);
  if (totalMinutes === 0) return 'less than a minute';
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (days) parts.push(unit(days, 'day'));
  if (hours) parts.push(unit(hours, 'hour'));
  // Past a day, minutes are noise in a postmortem summary.
  if (minutes && !days) parts.push(unit(minutes, 'minute'));
  return parts.join(' ');
}
