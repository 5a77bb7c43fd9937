// Instants as read in one zone, for one compile. The zone's offset comes from domain/time-format's
// cache (Intl asked once per 15-minute bucket, exact across DST changes) and the wall clock from
// `ms + offset` read in UTC, so a timeline of many thousands of entries costs a Map lookup and a few
// Date getters per distinct instant. Strings are domain/time-format's own, so they always match.
// Nothing goes through a host-local Date, which cannot hold a wall time inside the host's own DST
// gap (a Tokyo 2:30 AM read as 3:30 AM on a New York machine).

import { clockText, dateText, zoneAbbreviation, ZoneTime, type WallTime } from '../domain/time-format';

const MINUTE = 60_000;
const DAY = 86_400_000;

export class ZoneClock {
  /** Offset (minutes) → abbreviation: `zoneAbbreviation` builds a key string per call. */
  private readonly abbreviations = new Map<number, string>();
  /** The last instant read: a time and its date are asked for one after the other. */
  private lastMs = NaN;
  private lastWall?: WallTime;
  // The last "1:15 PM (EAT)" and "March 3, 2023", by wall-clock minute and day (`ms + offset` is the
  // wall clock read as UTC) and offset: timeline entries come in order, many to a minute.
  private clockTimeKey = NaN;
  private clockTimeOffset = NaN;
  private clockTimeText = '';
  private dateKey = NaN;
  private dateString = '';
  private readonly zone: ZoneTime;

  constructor(readonly timeZone: string) {
    this.zone = ZoneTime.of(timeZone); // an unknown zone throws a RangeError here, not mid-compile
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
    return clockText(this.wall(ms));
  }

  /** "March 3, 2023" */
  date(ms: number): string {
    const day = Math.floor((ms + this.zone.offsetMs(ms)) / DAY);
    if (day !== this.dateKey) {
      this.dateString = dateText(this.wall(ms));
      this.dateKey = day;
    }
    return this.dateString;
  }

  /** "1:15 PM (EAT)" */
  clockTime(ms: number): string {
    const offset = this.zone.offsetMs(ms);
    const minute = Math.floor((ms + offset) / MINUTE);
    if (minute !== this.clockTimeKey || offset !== this.clockTimeOffset) {
      this.clockTimeText = `${this.clock(ms)} (${this.abbreviation(ms)})`;
      this.clockTimeKey = minute;
      this.clockTimeOffset = offset;
    }
    return this.clockTimeText;
  }

  /** "March 3, 2023 1:15 PM (EAT)" */
  dateTime(ms: number): string {
    return `${this.date(ms)} ${this.clockTime(ms)}`;
  }

  sameDay(a: number, b: number): boolean {
    const x = this.wall(a);
    const y = this.wall(b);
    return x.year === y.year && x.month === y.month && x.day === y.day;
  }

  private wall(ms: number): WallTime {
    if (ms === this.lastMs && this.lastWall) return this.lastWall;
    const wall = this.zone.wall(ms);
    this.lastMs = ms;
    this.lastWall = wall;
    return wall;
  }
}
