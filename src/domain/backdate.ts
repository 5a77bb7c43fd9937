// Backdated notes: postmortems are often reconstructed after the fact, so a note may start with the
// time it happened ("13:15 rolled back", "15m ago paged the DBA"). Clock times are read in the team's
// time zone.
//
// Daylight saving, decided once for every syntax that names a wall-clock time:
// - A wall time that never happened (the spring-forward gap, e.g. 02:30 on 2024-03-10 in New York) is
//   rejected with a message, rather than silently moved: in a postmortem a wrong hour is worse than a
//   question.
// - A wall time that happened twice (fall-back, e.g. 01:30 on 2024-11-03 in New York) is the earlier
//   instant (the first pass, still on summer time).

import { dayjs } from './time-format';

export type BackdatedNote = { ok: true; at: number; text: string; backdated: boolean } | { ok: false; error: string };

export interface BackdateContext {
  /** Epoch ms of "now", passed in so the domain stays clock-free. */
  now: number;
  /** IANA zone the team reads wall-clock times in. */
  timeZone: string;
}

type Failure = { ok: false; error: string };
type Resolved = { ok: true; at: number } | Failure;
type ClockRead = { ok: true; time: ClockTime } | Failure;

interface CivilDate {
  year: number;
  month: number; // 1-12
  day: number;
}

interface ClockTime {
  hour: number; // 0-23
  minute: number;
  second: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** A clock time this close ahead of now is today (clocks drift, people round up), not yesterday. */
const FUTURE_TOLERANCE_MS = MINUTE_MS;

const SYNTAX_HELP =
  'Start the note with a time like `13:15`, `1:15pm`, `15m ago`, `yesterday 23:10` or `2023-03-03 13:15`, ' + 'e.g. `/incident note 13:15 rolled back the deploy`.';
const EMPTY_NOTE_HELP = 'A note needs text, e.g. `/incident note rolled back the deploy`. ' + 'To backdate it, start with a time: `/incident note 13:15 rolled back the deploy`.';

// "13:15", "9:05:30", "1pm", "11 am", "12:30 a.m.". A bare number is not a time ("5 servers down"), so
// the recogniser checks afterwards that minutes or am/pm are present. "13.15" is deliberately not a
// time: it reads as a version number.
const CLOCK = String.raw`(\d{1,2})(?::(\d{2})(?::(\d{2}))?)?(?:\s*([ap])\.?m\.?)?`;
/** The time token must end at the text, a space or a separator: "13:15deploy" is not a time. */
const END_OF_TOKEN = String.raw`(?=$|[\s\-–—:,|])`;
/** What may sit between the time and the note: "13:15 - text", "13:15: text", "13:15 | text". */
const SEPARATOR = /^\s*(?:[-–—:,|]\s*)?/;

interface Recogniser {
  name: string;
  pattern: RegExp;
  /** undefined when the match turns out not to be a time after all; the next recogniser is tried. */
  resolve(match: RegExpExecArray, ctx: BackdateContext): Resolved | undefined;
}

const RECOGNISERS: readonly Recogniser[] = [
  {
    name: 'absolute date and time', // "2023-03-03 13:15", "2023-03-03T13:15"
    pattern: new RegExp(String.raw`^(\d{4})-(\d{2})-(\d{2})(?:T|\s+)${CLOCK}${END_OF_TOKEN}`, 'i'),
    resolve: resolveAbsolute,
  },
  {
    name: 'yesterday at a clock time', // "yesterday 23:10", "yesterday 11:10pm"
    pattern: new RegExp(String.raw`^yesterday\s+(?:at\s+)?${CLOCK}${END_OF_TOKEN}`, 'i'),
    resolve: resolveYesterday,
  },
  {
    name: 'clock time', // "13:15", "1:15pm"
    pattern: new RegExp(String.raw`^${CLOCK}${END_OF_TOKEN}`, 'i'),
    resolve: resolveClock,
  },
  {
    name: 'relative time', // "15m ago", "1 hour ago", "1h30m ago"
    pattern: new RegExp(String.raw`^(?:(\d+)\s*(?:hours?|hrs?|h)(?![a-z]))?\s*(?:(\d+)\s*(?:minutes?|mins?|m)(?![a-z]))?\s+ago${END_OF_TOKEN}`, 'i'),
    resolve: resolveRelative,
  },
];

/**
 * Splits an optional leading time off a note. Without one, the note happened now (`backdated: false`)
 * and the text is returned as typed (trimmed). Errors are user-facing and show the accepted syntax.
 */
export function parseBackdatedNote(text: string, ctx: BackdateContext): BackdatedNote {
  const input = text.trim();
  if (input === '') return { ok: false, error: EMPTY_NOTE_HELP };

  for (const recogniser of RECOGNISERS) {
    const match = recogniser.pattern.exec(input);
    if (!match) continue;
    const resolved = recogniser.resolve(match, ctx);
    if (!resolved) continue;
    if (!resolved.ok) return resolved;
    const note = input.slice(match[0].length).replace(SEPARATOR, '').trim();
    if (note === '') {
      return { ok: false, error: `Add what happened after the time, e.g. \`${match[0]} rolled back the deploy\`.` };
    }
    return { ok: true, at: resolved.at, text: note, backdated: true };
  }
  return { ok: true, at: ctx.now, text: input, backdated: false };
}

// ── Recognisers ────────────────────────────────────────────────────────────────────────────────────

function resolveClock(match: RegExpExecArray, ctx: BackdateContext): Resolved | undefined {
  const clock = readClock(match, 1);
  if (clock === undefined) return undefined;
  if (!clock.ok) return clock;
  const today = civilDateOf(ctx.now, ctx.timeZone);
  const todayAt = wallTimeToInstant(today, clock.time, ctx.timeZone);
  // A time still ahead today means its most recent occurrence: "23:50" typed at 00:10 is last night.
  const dayMeant = todayAt.at > ctx.now + FUTURE_TOLERANCE_MS ? addDays(today, -1) : today;
  return resolveWallTime(dayMeant, clock.time, ctx.timeZone);
}

function resolveYesterday(match: RegExpExecArray, ctx: BackdateContext): Resolved | undefined {
  const clock = readClock(match, 1);
  if (clock === undefined) return undefined;
  if (!clock.ok) return clock;
  const yesterday = addDays(civilDateOf(ctx.now, ctx.timeZone), -1);
  return resolveWallTime(yesterday, clock.time, ctx.timeZone);
}

function resolveAbsolute(match: RegExpExecArray, ctx: BackdateContext): Resolved | undefined {
  const clock = readClock(match, 4);
  if (clock === undefined) return undefined;
  if (!clock.ok) return clock;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (!isValidDate(date)) {
    return { ok: false, error: `${formatCivilDate(date)} is not a calendar date. ${SYNTAX_HELP}` };
  }
  const resolved = resolveWallTime(date, clock.time, ctx.timeZone);
  if (resolved.ok && resolved.at > ctx.now + FUTURE_TOLERANCE_MS) return futureError(match[0]);
  return resolved;
}

function resolveRelative(match: RegExpExecArray, ctx: BackdateContext): Resolved | undefined {
  const [, hours, minutes] = match;
  if (hours === undefined && minutes === undefined) return undefined;
  // Elapsed time is zone-free: no wall clock, so daylight saving cannot affect it.
  return { ok: true, at: ctx.now - Number(hours ?? 0) * HOUR_MS - Number(minutes ?? 0) * MINUTE_MS };
}

function futureError(token: string): Failure {
  return {
    ok: false,
    error: `${token} is in the future; a note can only be backdated. Use a past time, e.g. \`2023-03-03 13:15\` or \`15m ago\`.`,
  };
}

// ── Clock parsing ──────────────────────────────────────────────────────────────────────────────────

/**
 * Reads the CLOCK groups starting at `first`. undefined when there is neither minutes nor am/pm
 * (a bare number); an error when it is clearly meant as a time but impossible ("25:00", "13pm").
 */
function readClock(match: RegExpExecArray, first: number): ClockRead | undefined {
  const [hourText, minuteText, secondText, meridiem] = match.slice(first, first + 4);
  if (hourText === undefined || (minuteText === undefined && meridiem === undefined)) return undefined;
  const hour = Number(hourText);
  const minute = Number(minuteText ?? 0);
  const second = Number(secondText ?? 0);
  const hourValid = meridiem ? hour >= 1 && hour <= 12 : hour <= 23;
  if (!hourValid || minute > 59 || second > 59) {
    const token = match[0].trim();
    return { ok: false, error: `"${token}" is not a valid time. ${SYNTAX_HELP}` };
  }
  return { ok: true, time: { hour: meridiem ? to24Hour(hour, meridiem) : hour, minute, second } };
}

/** 12 am is midnight, 12 pm is noon. */
function to24Hour(hour12: number, meridiem: string): number {
  const isPm = meridiem.toLowerCase() === 'p';
  return (hour12 % 12) + (isPm ? 12 : 0);
}

// ── Calendar and zone arithmetic ───────────────────────────────────────────────────────────────────

/**
 * A Date whose UTC fields are the zone's wall clock at `at`. Built from the offset, not from dayjs's
 * own fields, which are reparsed in the host's zone and can slip across the host's DST gap.
 */
function wallClockAt(at: number, timeZone: string): Date {
  return new Date(at + offsetMinutes(at, timeZone) * MINUTE_MS);
}

function civilDateOf(at: number, timeZone: string): CivilDate {
  const wall = wallClockAt(at, timeZone);
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** Calendar arithmetic on the date alone, so a 23- or 25-hour day cannot skew it. */
function addDays(date: CivilDate, days: number): CivilDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

function isValidDate(date: CivilDate): boolean {
  // Date.UTC rolls overflow into the next month (Feb 30 → Mar 2), so a round trip exposes it.
  const probe = new Date(Date.UTC(date.year, date.month - 1, date.day));
  const [year, month, day] = [probe.getUTCFullYear(), probe.getUTCMonth() + 1, probe.getUTCDate()];
  return year === date.year && month === date.month && day === date.day;
}

function formatCivilDate({ year, month, day }: CivilDate): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** UTC offset in minutes of `timeZone` at instant `at`. */
function offsetMinutes(at: number, timeZone: string): number {
  return dayjs(at).tz(timeZone).utcOffset();
}

/**
 * The instant a wall time names in a zone. `gap` marks a wall time skipped by a spring-forward
 * transition; its `at` is where it would fall on the pre-transition offset (an hour later on the new
 * clock), which is good enough to tell whether it lies in the future.
 */
function wallTimeToInstant(date: CivilDate, time: ClockTime, timeZone: string): { at: number; gap: boolean } {
  const asIfUtc = Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute, time.second);
  // Offsets a day either side cover both sides of any transition near this wall time.
  const before = offsetMinutes(asIfUtc - DAY_MS, timeZone);
  const after = offsetMinutes(asIfUtc + DAY_MS, timeZone);
  const matches = [...new Set([before, after])]
    .map((offset) => asIfUtc - offset * MINUTE_MS)
    .filter((at) => wallClockAt(at, timeZone).getTime() === asIfUtc)
    .sort((a, b) => a - b);
  // Two matches: the fall-back hour happened twice; take the first pass.
  if (matches.length > 0) return { at: matches[0], gap: false };
  return { at: asIfUtc - before * MINUTE_MS, gap: true };
}

function resolveWallTime(date: CivilDate, time: ClockTime, timeZone: string): Resolved {
  const { at, gap } = wallTimeToInstant(date, time, timeZone);
  if (!gap) return { ok: true, at };
  // `at` read on the new clock is the same moment, e.g. 02:30 on the old clock is 03:30 after the jump.
  const newClock = wallClockAt(at, timeZone);
  const onNewClock = formatHourMinute(newClock.getUTCHours(), newClock.getUTCMinutes());
  return {
    ok: false,
    error:
      `${formatHourMinute(time.hour, time.minute)} did not happen on ${formatCivilDate(date)} in ${timeZone}: ` +
      `clocks jumped forward for daylight saving. Use the time after the jump (e.g. \`${onNewClock}\`) or a relative time like \`15m ago\`.`,
  };
}

function formatHourMinute(hour: number, minute: number): string {
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}
