// The store as one request's use cases and listeners see it. It files the request under its
// incident: the ways a request finds (or creates) an incident go through a few reads and writes, so
// wrapping them does it in one place, and the request's later log lines carry `incidentId`.
// Requests that never touch the incident itself (an edit or deletion of a message that is not on
// the timeline, an unpin) stay unfiled rather than pay a lookup just for the log. And it tells
// which incidents the request queued effects for, so the listener wakes just those queues.

import { incidentKey, type Incident } from '../domain/incident';
import type { TimelineEvent } from '../domain/timeline';
import type { ChangeResult, IncidentStore } from '../ports/incident-store';
import { noteIncident, type RequestScope } from './request-scope';

const SCOPE = Symbol('requestScope');
const ON_QUEUED = Symbol('onEffectsQueued');
type Tagged = IncidentStore & { [SCOPE]: RequestScope; [ON_QUEUED]: (incidentId: string) => void };

function noted<T extends Incident | undefined>(scope: RequestScope, incident: T): T {
  if (incident) noteIncident(scope, incident.id, incidentKey(incident));
  return incident;
}

/** A duplicate counts too: its first delivery's effects may still wait (e.g. that process died). */
function notedChange(store: Tagged, result: ChangeResult, queuedEffects: boolean): ChangeResult {
  noted(store[SCOPE], result.incident);
  if (queuedEffects) store[ON_QUEUED](result.incident.id);
  return result;
}

/** Edits of a highlighted message reach their incident through its timeline entry. */
function notedEntry<T extends TimelineEvent | undefined>(scope: RequestScope, entry: T): T {
  if (entry) noteIncident(scope, entry.incidentId);
  return entry;
}

/**
 * Built once per store: the tagging methods, on top of the store itself (everything else is the
 * store's own method, reached through the prototype and run with the store's state). A request's
 * view is then one small object holding its scope and callback.
 */
function taggingPrototype(store: IncidentStore): IncidentStore {
  const tagging: Partial<IncidentStore> & ThisType<Tagged> = {
    async getIncident(id) {
      return noted(this[SCOPE], await store.getIncident(id));
    },
    async findIncidentByChannel(channelId) {
      return noted(this[SCOPE], await store.findIncidentByChannel(channelId));
    },
    async incidentIdForChannel(channelId) {
      const id = await store.incidentIdForChannel(channelId);
      if (id) noteIncident(this[SCOPE], id);
      return id;
    },
    async declareIncident(incident, events, effects, escalations) {
      return notedChange(this, await store.declareIncident(incident, events, effects, escalations), effects.length > 0);
    },
    async applyChange(change) {
      return notedChange(this, await store.applyChange(change), (change.effects?.length ?? 0) > 0);
    },
    async findEventBySource(sourceId) {
      return notedEntry(this[SCOPE], await store.findEventBySource(sourceId));
    },
    async updateEventBySource(sourceId, patch) {
      return notedEntry(this[SCOPE], await store.updateEventBySource(sourceId, patch));
    },
  };
  return Object.assign(Object.create(store) as IncidentStore, tagging);
}

const prototypes = new WeakMap<IncidentStore, IncidentStore>();

/** `onEffectsQueued` hears of every incident a write of this request queued effects for. */
export function requestStore(store: IncidentStore, scope: RequestScope, onEffectsQueued: (incidentId: string) => void = () => undefined): IncidentStore {
  let prototype = prototypes.get(store);
  if (!prototype) {
    prototype = taggingPrototype(store);
    prototypes.set(store, prototype);
  }
  const tagged = Object.create(prototype) as Tagged;
  tagged[SCOPE] = scope;
  tagged[ON_QUEUED] = onEffectsQueued;
  return tagged;
}
