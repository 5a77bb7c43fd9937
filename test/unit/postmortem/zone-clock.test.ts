import { formatClockTime, formatDate, formatDateTime, sameDay } from '../../../src/domain/time-format';
import type { TimelineEvent } from '../../../src/domain/timeline';
import { compilePostmortem } from '../../../src/postmortem/compile';
import { renderMarkdown } from '../../../src/postmortem/render-markdown';
import { ZoneClock } from '../../../src/postmortem/zone-clock';
import { DECLARED_AT, PEOPLE, bareIncident, event } from '../../fixtures/seed-incident';
import { HOST_ZONES, REFERENCE_ZONES, intlReading, prng, shuffled, withHostZone, zoneSample } from './intl-reference';

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
      expect([clock.clockTime(ms), clock.date(ms), clock.dateTime(ms)]).toEqual([formatClockTime(ms, zone), formatDate(ms, zone), formatDateTime(ms, zone)]);
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

// ZoneClock adds caches of its own on top of time-format's offsets (the last instant, and the last
// "1:15 PM (EAT)" and date by wall-clock minute and day): compared with Intl directly, in time order
// (the caches answer most reads) and shuffled (they seldom do), on hosts in several zones.
describe('ZoneClock, compared with Intl', () => {
  const samples = REFERENCE_ZONES.map((zone, i) => zoneSample(zone, 2_000 + i, 200));

  it.each(HOST_ZONES)('reads every sampled instant as Intl does, in time order and shuffled, on a host in %s', (host) => {
    withHostZone(host, () => {
      const mismatches: string[] = [];
      for (const { zone, instants } of samples) {
        const ascending = [...instants].sort((a, b) => a - b);
        for (const order of [ascending, shuffled(instants, prng(host.length))]) {
          const clock = new ZoneClock(zone);
          for (const ms of order) {
            const want = intlReading(ms, zone);
            const got = [clock.date(ms), clock.clockTime(ms).replace(/ \(.*\)$/, ''), clock.clock(ms), clock.offset(ms)];
            if (JSON.stringify(got) !== JSON.stringify([want.date, want.clock, want.clock, Math.round(want.offsetSeconds / 60)])) {
              mismatches.push(`${zone} ${new Date(ms).toISOString()}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
            }
          }
        }
      }
      expect(mismatches).toEqual([]);
    });
  });

  it('tells apart two instants of the same UTC minute on either side of a change (Nairobi leaving local mean time)', () => {
    const change = samples.find((s) => s.zone === 'Africa/Nairobi')!.changes.find((t) => t % 60_000 !== 0)!;
    expect(Math.floor((change - 1) / 60_000)).toBe(Math.floor(change / 60_000));
    const clock = new ZoneClock('Africa/Nairobi');
    for (const ms of [change - 1, change, change - 1]) {
      expect(clock.clockTime(ms).replace(/ \(.*\)$/, '')).toBe(intlReading(ms, 'Africa/Nairobi').clock);
      expect(clock.date(ms)).toBe(intlReading(ms, 'Africa/Nairobi').date);
    }
    expect(clock.clock(change - 1)).not.toBe(clock.clock(change));
  });

  it('rejects a zone Intl does not know when it is made, not in the middle of a compile', () => {
    expect(() => new ZoneClock('Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

// Speed is measured by the benchmark (npm run bench), never by a timed test: this checks content.
describe('compiling a long timeline', () => {
  it('when every entry falls in a different minute, then each keeps its own date and time', () => {
    const timeline: TimelineEvent[] = Array.from({ length: 5_000 }, (_, i) => event('note', DECLARED_AT + i * 61_000, `note ${i}`, { actorId: PEOPLE.amina }));
    const markdown = renderMarkdown(
      compilePostmortem({ incident: bareIncident(), timeline, escalations: [], timeZone: 'Africa/Nairobi', names: new Map(), compiledAt: DECLARED_AT }),
    );
    expect(markdown).toContain('- March 7, 2023, 1:42 AM (EAT): note 4999 — U01AMINA _(Note)_');
  });
});
