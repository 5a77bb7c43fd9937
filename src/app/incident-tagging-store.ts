// The store as one request's use cases and listeners see it: the ways a request finds (or creates)
// an incident go through a few reads and writes, so wrapping them files the request under its
// incident in one place, and its later log lines carry `incidentId`. Requests that never touch the
// incident itself (an edit or deletion of a message that is not on the timeline, an unpin) stay
// unfiled rather than pay a lookup just for the log.

import { incidentKey, type Incident } from '../domain/incident';
import type { TimelineEvent } from '../domain/timeline';
import type { ChangeResult, IncidentStore } from '../ports/incident-store';
import { noteIncident, type RequestScope } from './request-scope';

export function tagIncidentLookups(store: IncidentStore, scope: RequestScope): IncidentStore {
  const noted = <T extends Incident | undefined>(incident: T): T => {
    if (incident) noteIncident(scope, incident.id, incidentKey(incident));
    return incident;
  };
  const notedChange = (result: ChangeResult): ChangeResult => {
    noted(result.incident);
    return result;
  };
  /** Edits of a highlighted message reach their incident through its timeline entry. */
  const notedEntry = <T extends TimelineEvent | undefined>(entry: T): T => {
    if (entry) noteIncident(scope, entry.incidentId);
    return entry;
  };
  const tagging: Partial<IncidentStore> = {
    getIncident: async (id) => noted(await store.getIncident(id)),
    findIncidentByChannel: async (channelId) => noted(await store.findIncidentByChannel(channelId)),
    incidentIdForChannel: async (channelId) => {
      const id = await store.incidentIdForChannel(channelId);
      if (id) noteIncident(scope, id);
      return id;
    },
    declareIncident: async (...args) => notedChange(await store.declareIncident(...args)),
    applyChange: async (change) => notedChange(await store.applyChange(change)),
    findEventBySource: async (sourceId) => notedEntry(await store.findEventBySource(sourceId)),
    updateEventBySource: async (sourceId, patch) => notedEntry(await store.updateEventBySource(sourceId, patch)),
  };
  // Everything else is the store's own method, reached through the prototype (and run with the
  // store's state: `this` finds its fields there). Cheaper per request than a Proxy.
  return Object.assign(Object.create(store) as IncidentStore, tagging);
}
