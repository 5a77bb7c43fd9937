// Waking the effect runner: once per event-loop turn, after the turn's own work, just the named
// incidents' queues; a lookup of due incidents only when something asked for one.

import { effectWake } from '../../../src/app/effect-wake';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function harness(due: () => Promise<string[]> = () => Promise.resolve([])) {
  const kicked: string[] = [];
  const errors: unknown[] = [];
  let lookups = 0;
  const wake = effectWake(
    (id) => kicked.push(id),
    () => {
      lookups += 1;
      return due();
    },
    (error) => errors.push(error),
  );
  return { wake, kicked, errors, lookups: () => lookups };
}

describe('effectWake', () => {
  it('when requests name incidents, then each named queue is kicked once, after the turn, with no lookup', async () => {
    const h = harness();
    h.wake.incidents(['I1']);
    h.wake.incidents(new Set(['I2', 'I1']));
    expect(h.kicked).toEqual([]);
    await nextTurn();
    expect(h.kicked).toEqual(['I1', 'I2']);
    expect(h.lookups()).toBe(0);
    h.wake.incidents(['I1']);
    await nextTurn();
    expect(h.kicked).toEqual(['I1', 'I2', 'I1']);
  });

  it('when a request names none, then nothing runs at all', async () => {
    const h = harness();
    h.wake.incidents([]);
    await nextTurn();
    await nextTurn();
    expect(h.kicked).toEqual([]);
    expect(h.lookups()).toBe(0);
  });

  it('when due() is asked, then one lookup per turn kicks every incident it returns', async () => {
    const h = harness(() => Promise.resolve(['I7', 'I8']));
    h.wake.due();
    h.wake.due();
    h.wake.incidents(['I1']);
    await nextTurn();
    await nextTurn();
    expect(h.lookups()).toBe(1);
    expect(h.kicked).toEqual(['I1', 'I7', 'I8']);
  });

  it('when the lookup fails, then the error is reported and later wakes still work', async () => {
    let fail = true;
    const h = harness(() => (fail ? Promise.reject(new Error('store down')) : Promise.resolve(['I3'])));
    h.wake.due();
    await nextTurn();
    await nextTurn();
    expect(h.errors).toEqual([new Error('store down')]);
    fail = false;
    h.wake.due();
    await nextTurn();
    await nextTurn();
    expect(h.kicked).toEqual(['I3']);
  });
});
