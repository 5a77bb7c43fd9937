import { formatClockTime, formatDate, formatDateTime, sameDay } from '../../../src/domain/time-format';
import type { TimelineEvent } from '../../../src/domain/timeline';
import { compilePostmortem } from '../../../src/postmortem/compile';
import { renderMarkdown } from '../../../src/postmortem/render-markdown';
import { ZoneClock } from '../../../src/postmortem/zone-clock';
import { DECLARED_AT, PEOPLE, bareIncident, event } from '../../fixtures/seed-incident';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const YEAR_2023 = Date.UTC(2023, 0, 1);

// Whole-hour, half-hour and 45-minute offsets; DST north and south; a 30-minute DST shift (Lord Howe).
const ZONES = ['UTC', 'Africa/Nairobi', 'Europe/Berlin', 'America/New_York', 'America/St_Johns', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham'];

/** Instants around each offset change of 2023 (found hourly), plus some spread over the year. */
function samples(clock: ZoneClock): number[] {
  const instants: number[] = [];
  const end = YEAR_2023 + 365 * 24 * HOUR;
  for (let t = YEAR_2023, offset = clock.offset(t); t < end; t += HOUR) {
    const next = clock.offset(t + HOUR);
    // Changes happen on the hour or the half hour (UTC) in these zones.
    if (next !== offset) for (const m of [-1, 0, 1, 29, 30, 31, 59, 60, 61]) instants.push(t + m * MINUTE);
    offset = next;
  }
  for (let t = YEAR_2023 + 7 * MINUTE; t < end; t += 193 * HOUR + 13 * MINUTE) instants.push(t);
  return instants;
}

describe('ZoneClock', () => {
  it.each(ZONES)('reads %s exactly as domain/time-format does, across daylight saving changes', (zone) => {
    const clock = new ZoneClock(zone);
    for (const ms of samples(clock)) {
      expect([clock.clockTime(ms), clock.date(ms), clock.dateTime(ms)]).toEqual([
        formatClockTime(ms, zone),
        formatDate(ms, zone),
        formatDateTime(ms, zone),
      ]);
      expect(clock.sameDay(ms, ms + 5 * HOUR)).toBe(sameDay(ms, ms + 5 * HOUR, zone));
    }
  });

  it('finds the changes it is compared at (the comparison is not vacuous)', () => {
    const changes = (zone: string) => samples(new ZoneClock(zone)).length - samples(new ZoneClock('UTC')).length;
    expect(changes('Europe/Berlin')).toBe(2 * 9);
    expect(changes('Australia/Lord_Howe')).toBe(2 * 9);
  });

  it('reads a wall time that does not exist on the host (the host springs forward at that hour)', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      // 2:30 AM on March 12, 2023 in Tokyo; at 2:00 AM that night New York moved to 3:00 AM.
      const ms = Date.UTC(2023, 2, 11, 17, 30);
      expect(new ZoneClock('Asia/Tokyo').clock(ms)).toBe('2:30 AM');
      expect(new ZoneClock('Asia/Tokyo').date(ms)).toBe('March 12, 2023');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

// Speed is measured by the benchmark (npm run bench), never by a timed test: this checks content.
describe('compiling a long timeline', () => {
  it('when every entry falls in a different minute, then each keeps its own date and time', () => {
    const timeline: TimelineEvent[] = Array.from({ length: 5_000 }, (_, i) =>
      event('note', DECLARED_AT + i * 61_000, `note ${i}`, { actorId: PEOPLE.amina }),
    );
    const markdown = renderMarkdown(
      compilePostmortem({ incident: bareIncident(), timeline, escalations: [], timeZone: 'Africa/Nairobi', names: new Map(), compiledAt: DECLARED_AT }),
    );
    expect(markdown).toContain('- March 7, 2023, 1:42 AM (EAT): note 4999 — U01AMINA _(Note)_');
  });
});
