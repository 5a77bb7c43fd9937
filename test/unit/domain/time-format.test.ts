import { formatClockTime, formatDate, formatDateTime, humanizeDuration, isoDay, sameDay, zoneAbbreviation } from '../../../src/domain/time-format';
// The Intl reference and the sampling around offset changes are shared with the ZoneClock test.
import { HOST_ZONES, REFERENCE_ZONES, intlOffsetSeconds, intlReading, prng, shuffled, withHostZone, zoneSample } from '../postmortem/intl-reference';

// 2023-03-03 10:15 UTC = 1:15 PM in Nairobi, the reference postmortem.
const REFERENCE = Date.UTC(2023, 2, 3, 10, 15);
const JANUARY = Date.UTC(2024, 0, 15, 12, 0);
const JULY = Date.UTC(2024, 6, 15, 12, 0);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('formatClockTime', () => {
  describe('when the team is in Africa/Nairobi', () => {
    it('then it reads "1:15 PM (EAT)"', () => {
      expect(formatClockTime(REFERENCE, 'Africa/Nairobi')).toBe('1:15 PM (EAT)');
    });
  });

  describe('when the time is around midnight or noon', () => {
    it('then it uses 12 rather than 0', () => {
      expect(formatClockTime(Date.UTC(2023, 2, 3, 0, 5), 'UTC')).toBe('12:05 AM (UTC)');
      expect(formatClockTime(Date.UTC(2023, 2, 3, 12, 5), 'UTC')).toBe('12:05 PM (UTC)');
    });
  });

  describe('when the zone changes offset on the day (Europe/Berlin, 2024-03-31 02:00 → 03:00)', () => {
    it('then the clock and abbreviation switch together', () => {
      expect(formatClockTime(Date.UTC(2024, 2, 31, 0, 59), 'Europe/Berlin')).toBe('1:59 AM (CET)');
      expect(formatClockTime(Date.UTC(2024, 2, 31, 1, 0), 'Europe/Berlin')).toBe('3:00 AM (CEST)');
    });
  });

  describe('when the wall time falls in the host machine’s own DST gap', () => {
    // 2024-03-10 02:30 in Tokyo is inside New York's spring-forward gap. Run the suite with
    // TZ=America/New_York to exercise it: dayjs's .tz() alone printed "3:30 AM" there.
    it('then the team-zone time is still exact', () => {
      const tokyoGapTime = Date.UTC(2024, 2, 9, 17, 30);
      expect(formatClockTime(tokyoGapTime, 'Asia/Tokyo')).toBe('2:30 AM (GMT+9)');
      expect(formatDateTime(tokyoGapTime, 'Asia/Tokyo')).toBe('March 10, 2024 2:30 AM (GMT+9)');
    });
  });
});

describe('zoneAbbreviation', () => {
  describe('when the zone has letter abbreviations across DST', () => {
    it.each([
      ['Europe/Berlin', JANUARY, 'CET'],
      ['Europe/Berlin', JULY, 'CEST'],
      ['America/New_York', JANUARY, 'EST'],
      ['America/New_York', JULY, 'EDT'],
      ['Europe/London', JANUARY, 'GMT'],
      ['Europe/London', JULY, 'BST'],
      ['Africa/Nairobi', JANUARY, 'EAT'],
      ['Africa/Nairobi', JULY, 'EAT'],
      ['Asia/Kolkata', JANUARY, 'IST'],
    ])('then %s at %p is %s', (zone, at, expected) => {
      expect(zoneAbbreviation(at, zone)).toBe(expected);
    });
  });

  describe('when the zone is UTC', () => {
    it.each(['UTC', 'Etc/UTC'])('then %s is "UTC" in any season', (zone) => {
      expect(zoneAbbreviation(JANUARY, zone)).toBe('UTC');
      expect(zoneAbbreviation(JULY, zone)).toBe('UTC');
    });
  });

  describe('when the zone has no letter abbreviation in any English locale', () => {
    it.each([
      ['Asia/Tokyo', 'GMT+9'],
      ['America/Sao_Paulo', 'GMT-3'],
      ['Asia/Kathmandu', 'GMT+5:45'],
    ])('then %s falls back to the numeric offset %s', (zone, expected) => {
      expect(zoneAbbreviation(JANUARY, zone)).toBe(expected);
    });
  });

  describe('when Intl gives no zone name at all', () => {
    const original = Intl.DateTimeFormat.prototype.formatToParts;
    beforeEach(() => {
      jest.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts').mockImplementation(function withoutZoneName(this: Intl.DateTimeFormat, date?: Date | number) {
        return original.call(this, date).filter((part) => part.type !== 'timeZoneName');
      });
    });
    afterEach(() => jest.restoreAllMocks());

    // Zones used nowhere else in this file, so the abbreviation cache cannot answer first.
    it.each([
      ['Asia/Kabul', 'GMT+4:30'],
      ['America/St_Johns', 'GMT-3:30'],
      ['Asia/Dhaka', 'GMT+6'],
    ])('then %s is labelled %s in the same style as Intl', (zone, expected) => {
      expect(zoneAbbreviation(JANUARY, zone)).toBe(expected);
    });
  });
});

describe('formatDate, formatDateTime, isoDay and sameDay', () => {
  describe('when the instant is a different day in the team zone than in UTC', () => {
    // 2024-03-01 05:00 UTC is still 2024-02-29 in Los Angeles.
    const instant = Date.UTC(2024, 2, 1, 5, 0);

    it('then each uses the team-zone date', () => {
      expect(formatDate(instant, 'America/Los_Angeles')).toBe('February 29, 2024');
      expect(formatDateTime(instant, 'America/Los_Angeles')).toBe('February 29, 2024 9:00 PM (PST)');
      expect(isoDay(instant, 'America/Los_Angeles')).toBe('2024-02-29');
      expect(isoDay(instant, 'UTC')).toBe('2024-03-01');
    });

    it('then sameDay compares team-zone dates', () => {
      const laterThatEvening = Date.UTC(2024, 2, 1, 7, 0); // 11 PM in Los Angeles
      expect(sameDay(instant, laterThatEvening, 'America/Los_Angeles')).toBe(true);
      expect(sameDay(instant, Date.UTC(2024, 2, 1, 9, 0), 'America/Los_Angeles')).toBe(false);
      expect(sameDay(Date.UTC(2024, 1, 29, 23, 0), instant, 'UTC')).toBe(false);
    });
  });

  describe('when formatting the reference postmortem instant', () => {
    it('then it reads "March 3, 2023 1:15 PM (EAT)"', () => {
      expect(formatDate(REFERENCE, 'Africa/Nairobi')).toBe('March 3, 2023');
      expect(formatDateTime(REFERENCE, 'Africa/Nairobi')).toBe('March 3, 2023 1:15 PM (EAT)');
    });
  });
});

describe('humanizeDuration', () => {
  describe('when the duration rounds to under a minute', () => {
    it.each([0, 1_000, 29_999, -5 * MINUTE])('then %p ms is "less than a minute"', (ms) => {
      expect(humanizeDuration(ms)).toBe('less than a minute');
    });
  });

  describe('when the duration is rounded to the nearest minute', () => {
    it.each([
      [30_000, '1 minute'],
      [MINUTE, '1 minute'],
      [45 * MINUTE, '45 minutes'],
      [59 * MINUTE + 40_000, '1 hour'],
    ])('then %p ms is "%s"', (ms, expected) => {
      expect(humanizeDuration(ms)).toBe(expected);
    });
  });

  describe('when the duration is hours and minutes', () => {
    it.each([
      [HOUR, '1 hour'],
      [2 * HOUR, '2 hours'],
      [HOUR + 30 * MINUTE, '1 hour 30 minutes'],
      [2 * HOUR + MINUTE, '2 hours 1 minute'],
    ])('then %p ms is "%s"', (ms, expected) => {
      expect(humanizeDuration(ms)).toBe(expected);
    });
  });

  describe('when the duration is a day or more', () => {
    it.each([
      [DAY, '1 day'],
      [3 * DAY + 2 * HOUR, '3 days 2 hours'],
      [DAY + 45 * MINUTE, '1 day'],
      [3 * DAY + 2 * HOUR + 40 * MINUTE, '3 days 2 hours'],
    ])('then %p ms is "%s" (minutes are dropped)', (ms, expected) => {
      expect(humanizeDuration(ms)).toBe(expected);
    });
  });
});

// The fast path: a zone's offset is asked of Intl once per 15-minute bucket (checked at both ends,
// and per instant in a bucket where the offset changes), then the wall clock is read from
// `ms + offset`. Compared here with Intl itself (formatters of the test's own), around every offset
// change found in two ranges and at seeded instants over 250 years, in a shuffled order and from an
// empty cache, on hosts in several zones. Content only: speed is the benchmark's business.
describe('the cached offsets, compared with Intl', () => {
  type TimeFormat = typeof import('../../../src/domain/time-format');
  /** A fresh copy of the module: its caches start empty. */
  const freshTimeFormat = (): TimeFormat => {
    let module: TimeFormat | undefined;
    jest.isolateModules(() => {
      module = require('../../../src/domain/time-format') as TimeFormat;
    });
    return module as TimeFormat;
  };

  const samples = REFERENCE_ZONES.map((zone, i) => zoneSample(zone, 1_000 + i));
  const expected = new Map(samples.map(({ zone, instants }) => [zone, new Map(instants.map((ms) => [ms, intlReading(ms, zone)]))]));

  it('samples every kind of change: DST both ways, a 30-minute shift, and changes inside a 15-minute bucket', () => {
    const changes = new Map(samples.map((s) => [s.zone, s.changes]));
    const minutesOf = (zone: string, at: number) => Math.round((intlOffsetSeconds(at, zone) - intlOffsetSeconds(at - 1, zone)) / 60);
    // New York and London: 15 years of DST both ways (and wartime DST before 1950).
    expect(changes.get('America/New_York')!.filter((t) => t >= Date.UTC(2015, 0, 1))).toHaveLength(30);
    expect(changes.get('Europe/London')!.filter((t) => t >= Date.UTC(2015, 0, 1))).toHaveLength(30);
    // Lord Howe moves its clocks by half an hour.
    expect(
      changes
        .get('Australia/Lord_Howe')!
        .filter((t) => t >= Date.UTC(2015, 0, 1))
        .map((t) => minutesOf('Australia/Lord_Howe', t)),
    ).toContain(30);
    // Kolkata and Nairobi changed from local mean time (offsets with seconds) at instants that are not on a bucket boundary.
    for (const zone of ['Asia/Kolkata', 'Africa/Nairobi']) {
      expect(changes.get(zone)!.some((t) => t % (15 * 60_000) !== 0)).toBe(true);
      expect(changes.get(zone)!.filter((t) => t >= Date.UTC(2015, 0, 1))).toEqual([]);
    }
  });

  it.each(HOST_ZONES)('gives Intl’s date, time, day and offset at every sampled instant, on a host in %s', (host) => {
    withHostZone(host, () => {
      const tf = freshTimeFormat();
      const mismatches: string[] = [];
      for (const { zone, instants } of samples) {
        for (const ms of shuffled(instants, prng(host.length))) {
          const want = expected.get(zone)!.get(ms)!;
          const got = {
            date: tf.formatDate(ms, zone),
            clock: tf.formatClockTime(ms, zone).replace(/ \(.*\)$/, ''),
            isoDay: tf.isoDay(ms, zone),
            offsetSeconds: tf.zoneOffsetMs(ms, zone) / 1000,
          };
          if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${zone} ${new Date(ms).toISOString()}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
          if (tf.formatDateTime(ms, zone) !== `${want.date} ${want.clock} (${tf.zoneAbbreviation(ms, zone)})`) mismatches.push(`${zone} ${ms}: formatDateTime`);
          if (tf.zoneOffset(ms, zone) !== Math.round(want.offsetSeconds / 60)) mismatches.push(`${zone} ${ms}: zoneOffset`);
        }
      }
      expect(mismatches).toEqual([]);
    });
  });

  it('reads both sides of a change inside one bucket, in either order', () => {
    // Nairobi left local mean time (+2:27:16) for +2:30 at midnight: 21:32:44 UTC, mid-bucket.
    const change = samples.find((s) => s.zone === 'Africa/Nairobi')!.changes.find((t) => t % (15 * 60_000) !== 0)!;
    for (const order of [
      [change - 1, change],
      [change, change - 1],
    ]) {
      const tf = freshTimeFormat();
      for (const ms of order)
        expect(tf.formatDateTime(ms, 'Africa/Nairobi').split(' (')[0]).toBe(`${intlReading(ms, 'Africa/Nairobi').date} ${intlReading(ms, 'Africa/Nairobi').clock}`);
    }
    expect(intlReading(change - 1, 'Africa/Nairobi').clock).not.toBe(intlReading(change, 'Africa/Nairobi').clock);
  });

  it('stays exact once a zone has filled its cache and started over', () => {
    const tf = freshTimeFormat();
    const zone = 'Europe/London';
    const start = Date.UTC(2024, 0, 1);
    const mismatches: number[] = [];
    // 12,000 distinct buckets (125 days), more than the cache keeps; every 97th checked against Intl.
    for (let i = 0; i < 12_000; i++) {
      const ms = start + i * 15 * 60_000 + ((i * 7_919) % (15 * 60_000));
      const date = tf.formatDate(ms, zone);
      if (i % 97 === 0 && date !== intlReading(ms, zone).date) mismatches.push(ms);
    }
    for (const ms of [start + 1, Date.UTC(2024, 2, 31, 0, 59, 59, 999), Date.UTC(2024, 2, 31, 1), Date.UTC(2024, 9, 27, 0, 59), Date.UTC(2024, 9, 27, 1)]) {
      if (tf.formatClockTime(ms, zone).replace(/ \(.*\)$/, '') !== intlReading(ms, zone).clock) mismatches.push(ms);
    }
    expect(mismatches).toEqual([]);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, -Number.POSITIVE_INFINITY, 9e15])('answers for %p, which is not a time, as the dayjs version did', (ms) => {
    expect(formatDate(ms, 'Africa/Nairobi')).toBe('Invalid Date');
    expect(isoDay(ms, 'Africa/Nairobi')).toBe('Invalid Date');
    expect(sameDay(ms, ms, 'Africa/Nairobi')).toBe(true);
    expect(sameDay(ms, REFERENCE, 'Africa/Nairobi')).toBe(false);
    expect(() => formatClockTime(ms, 'Africa/Nairobi')).toThrow(RangeError);
    expect(() => formatDateTime(ms, 'Africa/Nairobi')).toThrow(RangeError);
  });

  it('throws on a zone Intl does not know', () => {
    expect(() => formatDate(REFERENCE, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
