// The store as the use cases and listeners see it: the ways a request finds (or creates) an
// incident go through a few reads and writes, so wrapping them files the request under its
// incident in one place, and the lines that follow carry `incidentId`. Requests that never touch
// the incident itself (an edit or deletion of a message that is not on the timeline, an unpin)
// stay unfiled rather than pay a lookup just for the log.

import { incidentKey, type Incident } from '../domain/incident';
import type { TimelineEvent } from '../domain/timeline';
import type { ChangeResult, IncidentStore } from '../ports/incident-store';
import { noteIncident } from './request-context';

function noted<T extends Incident | undefined>(incident: T): T {
  if (incident) noteIncident(incident.id, incidentKey(incident));
  return incident;
}

function notedChange(result: ChangeResult): ChangeResult {
  noted(result.incident);
  return result;
}

/** Edits of a highlighted message reach their incident through its timeline entry. */
function notedEntry<T extends TimelineEvent | undefined>(entry: T): T {
  if (entry) noteIncident(entry.incidentId);
  return entry;
}

export function tagIncidentLookups(store: IncidentStore): IncidentStore {
  const tagging: Partial<IncidentStore> = {
    getIncident: async (id) => noted(await store.getIncident(id)),
    findIncidentByChannel: async (channelId) => noted(await store.findIncidentByChannel(channelId)),
    incidentIdForChannel: async (channelId) => {
      const id = await store.incidentIdForChannel(channelId);
      if (id) noteIncident(id);
      return id;
    },
    declareIncident: async (...args) => notedChange(await store.declareIncident(...args)),
    applyChange: async (change) => notedChange(await store.applyChange(change)),
    findEventBySource: async (sourceId) => notedEntry(await store.findEventBySource(sourceId)),
    updateEventBySource: async (sourceId, patch) => notedEntry(await store.updateEventBySource(sourceId, patch)),
  };
  // Everything else is the store's own method, bound once (adapters rely on `this`).
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property) {
      if (Object.hasOwn(tagging, property)) return tagging[property as keyof IncidentStore];
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (!bound.has(property)) bound.set(property, (value as (...args: unknown[]) => unknown).bind(target));
      return bound.get(property);
    },
  });
}
