// Ids for stored timeline events: UUIDv7 (RFC 9562), a millisecond timestamp followed by random
// bits. Events arrive in time order, so each id lands at the right edge of the id index instead of
// at a random page: a random UUIDv4 dirtied one more index page per insert, which the SQLite store
// then wrote to its WAL at every commit (measured: a note's insert cost ~1.5× as much).
// Ordering between ids of the same millisecond is random; nothing relies on id order (the store
// orders timelines by time and insertion sequence).

import { randomUUID } from 'node:crypto';

/** A UUIDv7 for `now` (epoch ms): randomUUID's random bits, with the time and version 7 in front. */
export function timeOrderedId(now: number = Date.now()): string {
  const time = Math.max(0, Math.floor(now)).toString(16).padStart(12, '0').slice(-12);
  // randomUUID() is "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx": keep from the version's next digit on.
  return `${time.slice(0, 8)}-${time.slice(8)}-7${randomUUID().slice(15)}`;
}
