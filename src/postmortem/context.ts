// What every part of the compiler shares: how names, Slack text and times are presented.

import type { TimelineEvent } from '../domain/timeline';
import type { MissingField, Person, Placeholder, PlaceholderReason } from './model';
import { slackToPlainText, stripControlCharacters } from './slack-text';
import type { ZoneClock } from './zone-clock';

/** Names, plain text and times as this postmortem presents them. */
export class Context {
  /** `name` per user id: a timeline names the same few people thousands of times. */
  private readonly cleanNames = new Map<string, string>();

  constructor(
    readonly clock: ZoneClock,
    private readonly names: ReadonlyMap<string, string>,
    /** Times carry their date when the incident spans several days. */
    readonly showDates: boolean,
  ) {}

  name(userId: string): string {
    let name = this.cleanNames.get(userId);
    if (name === undefined) {
      name = stripControlCharacters(this.names.get(userId) || userId);
      this.cleanNames.set(userId, name);
    }
    return name;
  }

  /** Whether a name was given for this id. */
  knows(id: string): boolean {
    return Boolean(this.names.get(id));
  }

  person(userId: string): Person {
    return { id: userId, name: this.name(userId) };
  }

  plain(slackText: string): string {
    return slackToPlainText(slackText, this.names).trim();
  }

  /** A string from `event.data`, as displayable text. */
  data(event: TimelineEvent, key: string): string | undefined {
    const value = event.data?.[key];
    return typeof value === 'string' ? this.plain(value) || undefined : undefined;
  }

  /** The first candidate with any text once decoded (blank counts as absent). */
  firstKnown(...candidates: (string | undefined)[]): string | undefined {
    for (const candidate of candidates) {
      const text = candidate === undefined ? '' : this.plain(candidate);
      if (text) return text;
    }
    return undefined;
  }

  /** "March 3, 2023, 1:15 PM" */
  dateAndClock(ms: number): string {
    return `${this.clock.date(ms)}, ${this.clock.clock(ms)}`;
  }

  /** "1:15 PM (EAT)", with the date first when the incident spans days. */
  time(ms: number): string {
    const time = this.clock.clockTime(ms);
    return this.showDates ? `${this.clock.date(ms)}, ${time}` : time;
  }
}

export function missing(field: MissingField, reason: PlaceholderReason, hint: string): Placeholder {
  return { kind: 'placeholder', field, reason, hint };
}

/** A raw string from `event.data` (an id); displayable text goes through `Context.data`. */
export function dataString(event: TimelineEvent, key: string): string | undefined {
  const value = event.data?.[key];
  return typeof value === 'string' && value ? value : undefined;
}

export function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
