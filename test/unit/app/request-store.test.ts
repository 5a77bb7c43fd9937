// The store as one request's use cases see it files the request under the incident it finds, on a
// real embedded store.

import { requestStore } from '../../../src/app/request-store';
import { newRequestScope } from '../../../src/app/request-scope';
import { SqliteIncidentStore } from '../../../src/store/sqlite/sqlite-store';
import { newEvent, newIncident, T0 } from '../../contract/fixtures';

describe('the incident-tagging store', () => {
  let raw: SqliteIncidentStore;
  beforeEach(() => {
    raw = SqliteIncidentStore.open(':memory:');
  });
  afterEach(async () => {
    await raw.close();
  });

  it('when a request declares an incident, then the request is filed under it', async () => {
    const scope = newRequestScope({ requestId: 'r1' });
    const { incident } = await requestStore(raw, scope).declareIncident(newIncident(), [newEvent()], []);
    expect(scope).toEqual({ requestId: 'r1', incidentId: incident.id, incident: `INC-${incident.number}` });
  });

  it('when a request looks an incident up by channel, by id or changes it, then it is filed under it; a miss files nothing', async () => {
    const declared = newEvent();
    const { incident } = await raw.declareIncident(newIncident(), [declared], []);
    await raw.applyChange({ incidentId: incident.id, patch: { chat: { channelId: 'C0INC', channelName: 'inc-test' } }, now: T0 });
    const filed = async (use: (store: SqliteIncidentStore) => Promise<unknown>) => {
      const scope = newRequestScope({ requestId: 'r' });
      await use(requestStore(raw, scope) as SqliteIncidentStore);
      return scope.incidentId;
    };
    expect(await filed((s) => s.findIncidentByChannel('C0NONE'))).toBeUndefined();
    expect(await filed((s) => s.incidentIdForChannel('C0NONE'))).toBeUndefined();
    expect(await filed((s) => s.findIncidentByChannel('C0INC'))).toBe(incident.id);
    expect(await filed((s) => s.incidentIdForChannel('C0INC'))).toBe(incident.id);
    expect(await filed((s) => s.getIncident(incident.id))).toBe(incident.id);
    expect(await filed((s) => s.applyChange({ incidentId: incident.id, now: T0 + 1 }))).toBe(incident.id);
    // An edit of a highlighted message reaches the incident through its timeline entry.
    expect(await filed((s) => s.updateEventBySource(declared.sourceId, { text: 'edited' }))).toBe(incident.id);
  });

  it('when a write queues effects, then the incident is reported (retries too); writes without effects report nothing', async () => {
    const queued: string[] = [];
    const store = requestStore(raw, newRequestScope({ requestId: 'r1' }), (id) => queued.push(id));
    const declared = newEvent();
    const { incident } = await store.declareIncident(newIncident(), [declared], [{ kind: 'header.post' }]);
    expect(queued).toEqual([incident.id]);
    await store.applyChange({ incidentId: incident.id, events: [newEvent()], now: T0 + 1 });
    await store.declareIncident(newIncident(), [newEvent()], []);
    expect(queued).toEqual([incident.id]);
    const note = newEvent();
    await store.applyChange({ incidentId: incident.id, events: [note], effects: [{ kind: 'header.update' }], now: T0 + 2 });
    // A redelivery stores nothing, but its first delivery's effects may still be waiting.
    const again = await store.applyChange({ incidentId: incident.id, events: [note], effects: [{ kind: 'header.update' }], now: T0 + 3 });
    expect(again.duplicate).toBe(true);
    expect(queued).toEqual([incident.id, incident.id, incident.id]);
  });

  it('when any other method is called, then it is the store’s own, working on the store’s state', async () => {
    const scope = newRequestScope({ requestId: 'r1' });
    const store = requestStore(raw, scope);
    const { incident } = await raw.declareIncident(newIncident(), [newEvent({ text: 'first' })], []);
    expect((await store.listTimeline(incident.id)).map((e) => e.text)).toEqual(['first']);
    expect(await store.ping()).toBe(true);
    expect(store.listTimeline).toBe(raw.listTimeline);
    expect(scope.incidentId).toBeUndefined();
  });
});
