import {
  formatClockTime,
  formatDate,
  formatDateTime,
  humanizeDuration,
  isoDay,
  sameDay,
  zoneAbbreviation,
} from '../../../src/domain/time-format';

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
      jest
        .spyOn(Intl.DateTimeFormat.prototype, 'formatToParts')
        .mockImplementation(function withoutZoneName(this: Intl.DateTimeFormat, date?: Date | number) {
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
