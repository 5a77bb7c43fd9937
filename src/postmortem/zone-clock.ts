// Instants as read in one zone, for one compile. dayjs's tz() builds a new Intl formatter on every
// call (~0.3 ms), so a timeline of a few thousand entries took seconds; one formatter reused here
// costs microseconds a call, so compiling stays linear and cheap. Strings match domain/time-format.
// It also never goes through a host-local Date, which cannot hold a wall time inside the host's
// own DST gap (a Tokyo 2:30 AM read as 3:30 AM on a New York machine).

import { zoneAbbreviation } from '../domain/time-format';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The zone's wall clock at an instant, and its offset from UTC in minutes. */
interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  offset: number;
}

export class ZoneClock {
  private readonly fields: Intl.DateTimeFormat;
  /** Offset (minutes) → abbreviation: `zoneAbbreviation` is slow to find its own cache key. */
  private readonly abbreviations = new Map<number, string>();
  /** The last instant read: a time and its date are asked for one after the other. */
  private last?: { ms: number; wall: Wall };

  constructor(readonly timeZone: string) {
    this.fields = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Minutes the zone is ahead of UTC at `ms`. */
  offset(ms: number): number {
    return this.wall(ms).offset;
  }

  /** "EAT", "CEST"; "GMT+3" where the zone has no letters. */
  abbreviation(ms: number): string {
    const { offset } = this.wall(ms);
    let abbreviation = this.abbreviations.get(offset);
    if (abbreviation === undefined) {
      abbreviation = zoneAbbreviation(ms, this.timeZone);
      this.abbreviations.set(offset, abbreviation);
    }
    return abbreviation;
  }

  /** "1:15 PM" */
  clock(ms: number): string {
    const { hour, minute } = this.wall(ms);
    return `${hour % 12 || 12}:${pad(minute)} ${hour < 12 ? 'AM' : 'PM'}`;
  }

  /** "March 3, 2023" */
  date(ms: number): string {
    const { year, month, day } = this.wall(ms);
    return `${MONTHS[month - 1]} ${day}, ${String(year).padStart(4, '0')}`;
  }

  /** "1:15 PM (EAT)" */
  clockTime(ms: number): string {
    return `${this.clock(ms)} (${this.abbreviation(ms)})`;
  }

  /** "March 3, 2023 1:15 PM (EAT)" */
  dateTime(ms: number): string {
    return `${this.date(ms)} ${this.clockTime(ms)}`;
  }

  sameDay(a: number, b: number): boolean {
    const [x, y] = [this.wall(a), this.wall(b)];
    return x.year === y.year && x.month === y.month && x.day === y.day;
  }

  private wall(ms: number): Wall {
    if (this.last?.ms === ms) return this.last.wall;
    const f = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
    for (const part of this.fields.formatToParts(ms)) {
      if (part.type in f) f[part.type as keyof typeof f] = Number(part.value);
    }
    const hour = f.hour % 24; // some engines print midnight as 24 even with h23
    const utc = Date.UTC(f.year, f.month - 1, f.day, hour, f.minute, f.second);
    const wall = { ...f, hour, offset: Math.round((utc - Math.floor(ms / 1000) * 1000) / 60_000) };
    this.last = { ms, wall };
    return wall;
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
