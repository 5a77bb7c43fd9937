// The header-update side of the IncidentStore contract, run inside describeIncidentStoreContract:
// header.update effects coalesce into a pending one, the runner finishes several effects in one
// write, and the header's timeline figures come without reading the timeline.

import type { EffectSpec } from '../../src/domain/effects';
import type { Incident } from '../../src/domain/incident';
import type { IncidentStore } from '../../src/ports/incident-store';
import { MINUTE, newEvent, newIncident, T0 } from './fixtures';

const HEADER: EffectSpec = { kind: 'header.update' };

/** `currentStore` returns the store the enclosing contract opened for the running test. */
export function describeEffectStoreContract(currentStore: () => IncidentStore): void {
  describe('header updates and the timeline summary', () => {
    let store: IncidentStore;
    let incident: Incident;

    beforeEach(async () => {
      store = currentStore();
      incident = (await store.declareIncident(newIncident(), [newEvent({ kind: 'declared', at: T0 })], [])).incident;
    });

    const change = (effects: EffectSpec[], now = T0 + MINUTE) => store.applyChange({ incidentId: incident.id, effects, now });
    const pendingKinds = async () => (await store.pendingEffects(incident.id)).map((e) => e.spec.kind);

    describe('header.update coalescing', () => {
      it('when changes queue header updates while one is pending, then only that one stays pending', async () => {
        await change([HEADER]);
        await change([HEADER, { kind: 'channel.post', text: 'one' }], T0 + 2 * MINUTE);
        await change([HEADER, HEADER], T0 + 3 * MINUTE);
        expect(await pendingKinds()).toEqual(['header.update', 'channel.post']);
      });

      it('when the pending header update is claimed, then a new one is stored: the claimed one may have rendered already', async () => {
        await change([HEADER]);
        const [claimed] = await store.pendingEffects(incident.id);
        expect(await store.claimEffect(claimed.id, 'runner', T0 + MINUTE, 30_000)).toBe(true);
        await change([HEADER], T0 + 2 * MINUTE);
        await change([HEADER], T0 + 3 * MINUTE);
        expect(await pendingKinds()).toEqual(['header.update', 'header.update']);
      });

      it('when the pending header update waits out a backoff, then a new one due now is stored', async () => {
        await change([HEADER]);
        const [retried] = await store.pendingEffects(incident.id);
        await store.retryEffect(retried.id, T0 + 10 * MINUTE, 'ratelimited');
        await change([HEADER], T0 + 2 * MINUTE);
        const pending = await store.pendingEffects(incident.id);
        expect(pending.map((e) => [e.spec.kind, e.notBefore])).toEqual([
          ['header.update', T0 + 10 * MINUTE],
          ['header.update', T0 + 2 * MINUTE],
        ]);
      });

      it('when the header update is done, then the next change queues a new one', async () => {
        await change([HEADER]);
        const [done] = await store.pendingEffects(incident.id);
        await store.completeEffect(done.id);
        await change([HEADER], T0 + 2 * MINUTE);
        expect(await pendingKinds()).toEqual(['header.update']);
      });

      it('when another incident has a pending header update, then this one still gets its own', async () => {
        const other = (await store.declareIncident(newIncident(), [newEvent()], [HEADER])).incident;
        await change([HEADER]);
        expect(await pendingKinds()).toEqual(['header.update']);
        expect((await store.pendingEffects(other.id)).map((e) => e.spec.kind)).toEqual(['header.update']);
      });
    });

    describe('completeEffects', () => {
      it('when several effects are completed at once, then they all leave the queue and the others stay', async () => {
        await change([{ kind: 'channel.post', text: 'a' }, { kind: 'channel.post', text: 'b' }, { kind: 'channel.describe' }]);
        const [a, b, kept] = await store.pendingEffects(incident.id);
        await store.claimEffect(a.id, 'runner', T0 + MINUTE, 30_000);
        await store.completeEffects([a.id, b.id, b.id + 1000]);
        expect(await store.pendingEffects(incident.id)).toEqual([kept]);
        expect(await store.claimEffect(a.id, 'runner', T0 + MINUTE, 30_000)).toBe(false);
        await store.completeEffects([]);
        expect(await store.pendingEffects(incident.id)).toEqual([kept]);
      });
    });

    describe('timelineSummary', () => {
      it('when events are added out of order, then it counts them and gives the latest time they happened', async () => {
        const events = [T0 + 5 * MINUTE, T0 + 9 * MINUTE, T0 + 2 * MINUTE].map((at) => newEvent({ at, recordedAt: T0 + 10 * MINUTE }));
        await store.applyChange({ incidentId: incident.id, events, now: T0 + 10 * MINUTE });
        await store.declareIncident(newIncident(), [newEvent({ at: T0 + 60 * MINUTE })], []);
        expect(await store.timelineSummary(incident.id)).toStrictEqual({ entries: 4, latestAt: T0 + 9 * MINUTE });
      });

      it('when the latest event is removed, then the figures follow', async () => {
        const [latest] = (await store.applyChange({ incidentId: incident.id, events: [newEvent({ at: T0 + MINUTE })], now: T0 })).events;
        await store.removeEventBySource(latest.sourceId);
        expect(await store.timelineSummary(incident.id)).toStrictEqual({ entries: 1, latestAt: T0 });
      });

      it('when an incident has no events, then the count is 0 and there is no latest time', async () => {
        expect(await store.timelineSummary('inc-none')).toStrictEqual({ entries: 0 });
      });
    });
  });
}
