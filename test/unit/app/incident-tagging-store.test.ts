// The store as use cases see it files the current request under the incident it finds, on a real
// embedded store.

import { tagIncidentLookups } from '../../../src/app/incident-tagging-store';
import { logContext, runInRequest } from '../../../src/app/request-context';
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
    const store = tagIncidentLookups(raw);
    const seen = await runInRequest({ requestId: 'r1' }, async () => {
      const { incident } = await store.declareIncident(newIncident(), [newEvent()], []);
      return { context: logContext(), incident };
    });
    expect(seen.context).toEqual({ requestId: 'r1', incidentId: seen.incident.id, incident: `INC-${seen.incident.number}` });
  });

  it('when a request looks an incident up by channel, by id or changes it, then it is filed under it; a miss files nothing', async () => {
    const store = tagIncidentLookups(raw);
    const declared = newEvent();
    const { incident } = await raw.declareIncident(newIncident(), [declared], []);
    await raw.applyChange({ incidentId: incident.id, patch: { chat: { channelId: 'C0INC', channelName: 'inc-test' } }, now: T0 });

    const miss = await runInRequest({ requestId: 'r0' }, async () => (await store.findIncidentByChannel('C0NONE'), logContext()));
    expect(miss).toEqual({ requestId: 'r0' });
    const byChannel = await runInRequest({ requestId: 'r1' }, async () => (await store.findIncidentByChannel('C0INC'), logContext()));
    const byId = await runInRequest({ requestId: 'r2' }, async () => (await store.getIncident(incident.id), logContext()));
    const byChange = await runInRequest({ requestId: 'r3' }, async () => (await store.applyChange({ incidentId: incident.id, now: T0 + 1 }), logContext()));
    // An edit of a highlighted message reaches the incident through its timeline entry.
    const byEntry = await runInRequest({ requestId: 'r4' }, async () => (await store.updateEventBySource(declared.sourceId, { text: 'edited' }), logContext()));
    for (const context of [byChannel, byId, byChange, byEntry]) expect(context.incidentId).toBe(incident.id);
  });

  it('when any other method is called, then it is the store’s own, and outside a request nothing is filed', async () => {
    const store = tagIncidentLookups(raw);
    const { incident } = await store.declareIncident(newIncident(), [newEvent({ text: 'first' })], []);
    expect(logContext()).toEqual({});
    expect((await store.listTimeline(incident.id)).map((e) => e.text)).toEqual(['first']);
    expect(await store.ping()).toBe(true);
    expect(store.listTimeline).toBe(store.listTimeline); // bound once, not per access
  });
});
