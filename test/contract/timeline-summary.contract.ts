// The header's timeline figures come without reading the timeline: part of the IncidentStore
// contract, run inside describeIncidentStoreContract.

import type { Incident } from '../../src/domain/incident';
import type { Storage } from '../../src/ports/incident-store';
import { MINUTE, newEvent, newIncident, T0 } from './fixtures';

/** `currentStore` returns the store the enclosing contract opened for the running test. */
export function describeTimelineSummaryContract(currentStore: () => Storage): void {
  describe('timeline summary', () => {
    let store: Storage;
    let incident: Incident;

    beforeEach(async () => {
      store = currentStore();
      incident = (await store.declareIncident(newIncident(), [newEvent({ kind: 'declared', at: T0 })], [])).incident;
    });

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
}
