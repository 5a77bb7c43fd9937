// Timeline event ids are UUIDv7: valid UUIDs whose first 48 bits are the time, so later ids sort after earlier ones.

import { timeOrderedId } from '../../../src/store/event-ids';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedId', () => {
  it('when made, then it is a version-7, RFC 9562-variant UUID carrying the millisecond time', () => {
    const at = Date.UTC(2026, 10, 26, 7, 30, 0, 123);
    const id = timeOrderedId(at);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
  });

  it('when made at later times, then the ids sort later; at one time they still differ', () => {
    const times = [0, 1, 255, 256, 1_700_000_000_000, 1_800_000_000_000, 2 ** 48 - 1];
    const ids = times.map((t) => timeOrderedId(t));
    expect([...ids].sort()).toEqual(ids);
    ids.forEach((id) => expect(id).toMatch(UUID_V7));
    const same = new Set(Array.from({ length: 1000 }, () => timeOrderedId(1_800_000_000_000)));
    expect(same.size).toBe(1000);
  });
});
