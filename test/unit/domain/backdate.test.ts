import { parseBackdatedNote } from '../../../src/domain/backdate';

type Parsed = ReturnType<typeof parseBackdatedNote>;

const NAIROBI = 'Africa/Nairobi'; // UTC+3 all year: the reference postmortem's zone
const NEW_YORK = 'America/New_York';

/** Wall time in Nairobi (UTC+3) on March `day`, 2023, as epoch ms. */
function eat(hour: number, minute: number, day = 3, second = 0): number {
  return Date.UTC(2023, 2, day, hour - 3, minute, second);
}

/** Wall time in UTC on March `day`, 2023. */
function utc(hour: number, minute: number, day = 3): number {
  return Date.UTC(2023, 2, day, hour, minute);
}

// 2023-03-03 15:00 EAT = 12:00 UTC. Tests in UTC use 15:00 UTC, so the same wall times are in the past.
const NOW = eat(15, 0);
const UTC_NOW = utc(15, 0);

function parse(text: string, timeZone = NAIROBI, now = NOW): Parsed {
  return parseBackdatedNote(text, { now, timeZone });
}

function parseUtc(text: string): Parsed {
  return parse(text, 'UTC', UTC_NOW);
}

function expectBackdated(result: Parsed, at: number, text: string): void {
  expect(result).toEqual({ ok: true, at, text, backdated: true });
  if (result.ok) expect(new Date(result.at).toISOString()).toBe(new Date(at).toISOString());
}

function errorOf(result: Parsed): string {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  return result.error;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('parseBackdatedNote', () => {
  describe('when the note starts with a 24-hour clock time', () => {
    it.each([
      ['13:15 rolled back the deploy', eat(13, 15), utc(13, 15)],
      ['9:05 paged the DBA', eat(9, 5), utc(9, 5)],
      ['09:05 paged the DBA', eat(9, 5), utc(9, 5)],
      ['00:00 paged the DBA', eat(0, 0), utc(0, 0)],
      ['13:15:30 paged the DBA', eat(13, 15, 3, 30), Date.UTC(2023, 2, 3, 13, 15, 30)],
    ])('then "%s" is that time today in the team zone', (input, inNairobi, inUtc) => {
      const text = input.replace(/^\S+ /, '');
      expectBackdated(parse(input, NAIROBI), inNairobi, text);
      expectBackdated(parseUtc(input), inUtc, text);
    });
  });

  describe('when the note starts with a 12-hour clock time', () => {
    it.each([
      ['1:15pm', 13, 15],
      ['1:15 PM', 13, 15],
      ['1:15 p.m.', 13, 15],
      ['1pm', 13, 0],
      ['11 am', 11, 0],
      ['11AM', 11, 0],
      ['12:30am', 0, 30],
      ['12am', 0, 0],
      ['12pm', 12, 0],
      ['12:45 pm', 12, 45],
    ])('then "%s" means %i:%i', (token, hour, minute) => {
      expectBackdated(parse(`${token} customers reported errors`, NAIROBI), eat(hour, minute), 'customers reported errors');
      expectBackdated(parseUtc(`${token} customers reported errors`), utc(hour, minute), 'customers reported errors');
    });
  });

  describe('when the note starts with a relative time', () => {
    it.each([
      ['15m ago', 15 * MINUTE],
      ['15 min ago', 15 * MINUTE],
      ['15 mins ago', 15 * MINUTE],
      ['15 minutes ago', 15 * MINUTE],
      ['1 minute ago', MINUTE],
      ['2h ago', 2 * HOUR],
      ['2 hrs ago', 2 * HOUR],
      ['1 hour ago', HOUR],
      ['3 hours ago', 3 * HOUR],
      ['1h30m ago', 90 * MINUTE],
      ['1h 30m ago', 90 * MINUTE],
      ['1 hour 30 minutes ago', 90 * MINUTE],
      ['90 minutes ago', 90 * MINUTE],
      ['15M AGO', 15 * MINUTE],
    ])('then "%s" is that long before now, whatever the zone', (token, elapsed) => {
      expectBackdated(parse(`${token} failover started`, NAIROBI), NOW - elapsed, 'failover started');
      expectBackdated(parseUtc(`${token} failover started`), UTC_NOW - elapsed, 'failover started');
    });

    it('then "0m ago" is now, still marked as backdated', () => {
      expectBackdated(parse('0m ago failover started'), NOW, 'failover started');
    });
  });

  describe('when the note starts with "yesterday" and a clock time', () => {
    it.each([
      ['yesterday 23:10', 23, 10],
      ['yesterday 11:10pm', 23, 10],
      ['Yesterday 9:00', 9, 0],
      ['yesterday at 7am', 7, 0],
    ])('then "%s" is that time on the previous team-zone day', (token, hour, minute) => {
      expectBackdated(parse(`${token} alerts fired`, NAIROBI), eat(hour, minute, 2), 'alerts fired');
      expectBackdated(parseUtc(`${token} alerts fired`), utc(hour, minute, 2), 'alerts fired');
    });

    it('then it crosses a month boundary', () => {
      const now = eat(10, 0, 1); // 2023-03-01
      expectBackdated(parse('yesterday 23:10 alerts fired', NAIROBI, now), Date.UTC(2023, 1, 28, 20, 10), 'alerts fired');
    });
  });

  describe('when the note starts with an absolute date and time', () => {
    it.each([
      ['2023-03-03 13:15', eat(13, 15), utc(13, 15)],
      ['2023-03-03T13:15', eat(13, 15), utc(13, 15)],
      ['2023-03-01 08:00', eat(8, 0, 1), utc(8, 0, 1)],
      ['2023-03-01 8:00pm', eat(20, 0, 1), utc(20, 0, 1)],
      ['2022-12-31 23:59', Date.UTC(2022, 11, 31, 20, 59), Date.UTC(2022, 11, 31, 23, 59)],
    ])('then "%s" is read in the team zone', (token, inNairobi, inUtc) => {
      expectBackdated(parse(`${token} deploy started`, NAIROBI), inNairobi, 'deploy started');
      expectBackdated(parseUtc(`${token} deploy started`), inUtc, 'deploy started');
    });

    it('then a leap day is accepted', () => {
      expectBackdated(parseUtc('2020-02-29 12:00 x'), Date.UTC(2020, 1, 29, 12, 0), 'x');
    });
  });

  describe('when a separator sits between the time and the text', () => {
    it.each(['13:15 - x y', '13:15 – x y', '13:15 — x y', '13:15: x y', '13:15, x y', '13:15 | x y', '13:15-x y', '13:15:x y'])(
      'then "%s" strips the time and separator',
      (input) => {
        expectBackdated(parse(input), eat(13, 15), 'x y');
      },
    );

    it('then only the first separator goes and the rest of the text is kept as typed', () => {
      expectBackdated(parse('  1:15pm -  rolled back - again: v1.2  '), eat(13, 15), 'rolled back - again: v1.2');
    });
  });

  describe('when a clock time is later today than now', () => {
    it('then it means yesterday (the most recent past occurrence)', () => {
      expectBackdated(parse('16:00 db failover'), eat(16, 0, 2), 'db failover');
    });

    it('then a time just before midnight, typed just after it, is last night', () => {
      const now = eat(0, 10); // 00:10 on March 3
      expectBackdated(parse('23:50 db failover', NAIROBI, now), eat(23, 50, 2), 'db failover');
      expectBackdated(parse('11:50pm db failover', NAIROBI, now), eat(23, 50, 2), 'db failover');
      expectBackdated(parse('00:05 db failover', NAIROBI, now), eat(0, 5), 'db failover');
    });

    it('then up to one minute ahead still counts as today (clock drift)', () => {
      expectBackdated(parse('15:01 x'), eat(15, 1), 'x');
      expectBackdated(parse('15:01:01 x'), eat(15, 1, 2, 1), 'x');
    });
  });

  describe('when the text does not start with a time', () => {
    it.each([
      '5 servers down',
      '13 users affected',
      'v1.2 deployed',
      '2023 was bad',
      '13.15 rollout of 2.0',
      '1.2.3 released',
      '5 amazing engineers joined',
      '2h outage expected',
      '15m of downtime so far',
      '13:15deploy finished',
      'yesterday was rough',
      '2023-03-03 was the day',
      'at 13:15 it broke',
      '3:2 traffic split',
    ])('then "%s" is a plain note at now', (input) => {
      expect(parse(input)).toEqual({ ok: true, at: NOW, text: input, backdated: false });
    });

    it('then surrounding whitespace is trimmed', () => {
      expect(parse('  db is slow \n')).toEqual({ ok: true, at: NOW, text: 'db is slow', backdated: false });
    });
  });

  describe('when the note is empty', () => {
    it.each(['', '   ', '\n\t'])('then %p is rejected with "a note needs text" and an example', (input) => {
      const error = errorOf(parse(input));
      expect(error).toMatch(/a note needs text/i);
      expect(error).toMatch(/`\/incident note [^`]+`/);
    });
  });

  describe('when a time has no text after it', () => {
    it.each(['13:15', '1:15pm', '15m ago', 'yesterday 23:10', '2023-03-03 13:15', '13:15 - ', '13:15 |'])('then "%s" asks for the note text', (input) => {
      const error = errorOf(parse(input));
      expect(error).toMatch(/add what happened after the time/i);
      expect(error).toMatch(/`[^`]+ rolled back the deploy`/);
    });
  });

  describe('when the time is impossible', () => {
    it.each(['25:00 x', '24:00 x', '13:60 x', '13:15:75 x', '13pm x', '0am x', '0:30 am x', 'yesterday 25:00 x', '2023-03-03 25:00 x'])(
      'then "%s" is rejected with the accepted syntax',
      (input) => {
        const error = errorOf(parse(input));
        expect(error).toMatch(/is not a valid time/);
        expect(error).toContain('`13:15`');
      },
    );

    it.each(['2023-02-30 10:00 x', '2023-13-01 10:00 x', '2023-00-10 10:00 x', '2022-02-29 10:00 x'])('then the impossible date in "%s" is rejected', (input) => {
      const error = errorOf(parse(input));
      expect(error).toMatch(/is not a calendar date/);
      expect(error).toContain('`2023-03-03 13:15`');
    });
  });

  describe('when an absolute time is in the future', () => {
    it.each(['2023-03-04 10:00 x', '2023-03-03 15:05 x', '2030-01-01T00:00 x'])('then "%s" is rejected', (input) => {
      const error = errorOf(parse(input));
      expect(error).toMatch(/is in the future/);
      expect(error).toMatch(/`15m ago`/);
    });

    it('then one within the clock-drift minute is accepted', () => {
      expectBackdated(parse('2023-03-03 15:01 x'), eat(15, 1), 'x');
    });
  });

  describe('when the team zone has a half-hour offset (Asia/Kolkata, UTC+5:30)', () => {
    it('then clock times use it', () => {
      // NOW is 17:30 IST.
      expectBackdated(parse('13:15 x', 'Asia/Kolkata'), Date.UTC(2023, 2, 3, 7, 45), 'x');
      expectBackdated(parse('18:00 x', 'Asia/Kolkata'), Date.UTC(2023, 2, 2, 12, 30), 'x');
    });
  });

  describe('when the team zone observes daylight saving (America/New_York)', () => {
    // 2024-03-10: clocks jump 02:00 EST → 03:00 EDT. 2024-11-03: 02:00 EDT → 01:00 EST.
    const afterSpringForward = Date.UTC(2024, 2, 10, 16, 0); // 12:00 EDT
    const afterFallBack = Date.UTC(2024, 10, 3, 17, 0); // 12:00 EST

    describe('and the wall time falls in the spring-forward gap', () => {
      it.each([
        ['2:30 x', afterSpringForward],
        ['2:30am x', afterSpringForward],
        ['2024-03-10 02:30 x', Date.UTC(2024, 2, 12)],
        ['yesterday 2:30 x', Date.UTC(2024, 2, 11, 16, 0)],
      ])('then "%s" is rejected, suggesting the time after the jump', (input, now) => {
        const error = errorOf(parse(input, NEW_YORK, now));
        expect(error).toContain('02:30 did not happen on 2024-03-10 in America/New_York');
        expect(error).toContain('`03:30`');
        expect(error).toContain('`15m ago`');
      });

      it('then the minutes either side of the gap resolve normally', () => {
        expectBackdated(parse('1:59 x', NEW_YORK, afterSpringForward), Date.UTC(2024, 2, 10, 6, 59), 'x');
        expectBackdated(parse('3:00 x', NEW_YORK, afterSpringForward), Date.UTC(2024, 2, 10, 7, 0), 'x');
      });

      it('then a gap time typed before the gap today means yesterday (it is still ahead today)', () => {
        const now = Date.UTC(2024, 2, 10, 6, 50); // 01:50 EST
        expectBackdated(parse('2:30 x', NEW_YORK, now), Date.UTC(2024, 2, 9, 7, 30), 'x');
      });
    });

    describe('and the wall time happened twice at fall-back', () => {
      it('then an absolute time takes the earlier instant (still EDT)', () => {
        expectBackdated(parse('2024-11-03 01:30 x', NEW_YORK, afterFallBack), Date.UTC(2024, 10, 3, 5, 30), 'x');
      });

      it('then a clock time takes the earlier instant', () => {
        expectBackdated(parse('1:30 x', NEW_YORK, afterFallBack), Date.UTC(2024, 10, 3, 5, 30), 'x');
      });

      it('then it stays the earlier instant even when typed during the repeated hour', () => {
        const now = Date.UTC(2024, 10, 3, 6, 45); // 01:45 EST, the second pass
        expectBackdated(parse('1:30 x', NEW_YORK, now), Date.UTC(2024, 10, 3, 5, 30), 'x');
      });

      it('then the first unambiguous time after the overlap is on EST', () => {
        expectBackdated(parse('2:00 x', NEW_YORK, afterFallBack), Date.UTC(2024, 10, 3, 7, 0), 'x');
      });
    });

    describe('and the note is relative or "yesterday" across a transition', () => {
      it('then "1h ago" is elapsed time, not wall time', () => {
        const now = Date.UTC(2024, 2, 10, 7, 10); // 03:10 EDT, 10 minutes after the jump
        expectBackdated(parse('1h ago x', NEW_YORK, now), Date.UTC(2024, 2, 10, 6, 10), 'x'); // 01:10 EST
      });

      it('then "yesterday" is the previous calendar day, 23 hours back across spring-forward', () => {
        expectBackdated(parse('yesterday 12:00 x', NEW_YORK, afterSpringForward), Date.UTC(2024, 2, 9, 17, 0), 'x');
      });
    });
  });

  describe('when the team zone shifts by half an hour (Australia/Lord_Howe)', () => {
    const LORD_HOWE = 'Australia/Lord_Howe';

    it('then an ambiguous time at fall-back (02:00 LHDT → 01:30 LHST) takes the earlier instant', () => {
      const now = Date.UTC(2024, 3, 8);
      expectBackdated(parse('2024-04-07 01:45 x', LORD_HOWE, now), Date.UTC(2024, 3, 6, 14, 45), 'x'); // +11:00
    });

    it('then a time in the half-hour spring-forward gap (02:00 → 02:30) is rejected', () => {
      const error = errorOf(parse('2024-10-06 02:15 x', LORD_HOWE, Date.UTC(2024, 9, 7)));
      expect(error).toContain('02:15 did not happen on 2024-10-06 in Australia/Lord_Howe');
      expect(error).toContain('`02:45`');
    });
  });
});
