// Presenting instants in the team's time zone, the way a postmortem reads: "1:15 PM (EAT)".

import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

export { dayjs };

// Intl only names zones by letters in locales that use them ("EAT" needs en-KE, "BST" en-GB, "IST"
// en-IN …). We try a few English locales and keep the first alphabetic abbreviation.
const ABBREVIATION_LOCALES = ['en-US', 'en-GB', 'en-KE', 'en-IN', 'en-AU', 'en-NZ', 'en-ZA', 'en-CA', 'en-IE', 'en-SG'];
const abbreviationCache = new Map<string, string>();

/** Abbreviation of `timeZone` at instant `ms`, e.g. "EAT", "CEST", "UTC"; "GMT+3" when none exists. */
export function zoneAbbreviation(ms: number, timeZone: string): string {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC';
  const offset = dayjs(ms).tz(timeZone).utcOffset();
  const key = `${timeZone}|${offset}`;
  const cached = abbreviationCache.get(key);
  if (cached) return cached;
  let fallback = '';
  for (const locale of ABBREVIATION_LOCALES) {
    const part = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
      .formatToParts(new Date(ms))
      .find((p) => p.type === 'timeZoneName')?.value;
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

/**
 * The wall clock of `timeZone` at `ms`, as a UTC-mode dayjs: for formatting fields only (its offset is
 * not the zone's). dayjs keeps every non-UTC instance as a host-local Date, which cannot hold a time
 * inside the host's own DST gap: a Tokyo 2:30 AM printed as 3:30 AM on a New York machine.
 */
function wallClock(ms: number, timeZone: string): Dayjs {
  return dayjs.utc(ms + dayjs(ms).tz(timeZone).utcOffset() * 60_000);
}

/** "1:15 PM (EAT)" */
export function formatClockTime(ms: number, timeZone: string): string {
  return `${wallClock(ms, timeZone).format('h:mm A')} (${zoneAbbreviation(ms, timeZone)})`;
}

/** "March 3, 2023" */
export function formatDate(ms: number, timeZone: string): string {
  return wallClock(ms, timeZone).format('MMMM D, YYYY');
}

/** "March 3, 2023 1:15 PM (EAT)" */
export function formatDateTime(ms: number, timeZone: string): string {
  return `${wallClock(ms, timeZone).format('MMMM D, YYYY h:mm A')} (${zoneAbbreviation(ms, timeZone)})`;
}

/** "2023-03-03" in the team's zone; used in channel names and titles. */
export function isoDay(ms: number, timeZone: string): string {
  return wallClock(ms, timeZone).format('YYYY-MM-DD');
}

/** True when two instants fall on the same calendar day in the zone. */
export function sameDay(a: number, b: number, timeZone: string): boolean {
  return isoDay(a, timeZone) === isoDay(b, timeZone);
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
