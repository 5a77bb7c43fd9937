// How an IncidentPatch applies to an incident: pure, shared by every store adapter.

import type { Incident, IncidentPatch } from './incident';

/** Optional patchable fields, keyed so the compiler flags a new optional field missing here. */
type OptionalPatchKey = { [K in keyof IncidentPatch]-?: undefined extends Incident[K] ? K : never }[keyof IncidentPatch];
const CLEARABLE: Record<OptionalPatchKey, true> = {
  description: true,
  impact: true,
  rootCause: true,
  resolutionSummary: true,
  conclusion: true,
  resolvedAt: true,
  closedAt: true,
  chat: true,
  confluencePage: true,
  declarerReplyUrl: true,
  announcement: true,
  latestUpdate: true,
  reminders: true,
  tickets: true,
  ticketSyncDue: true,
};

function isClearable(key: string): key is OptionalPatchKey {
  return Object.hasOwn(CLEARABLE, key);
}

/** Apply a patch: present keys overwrite, present-but-undefined keys clear optional fields. */
export function patchIncident(current: Incident, patch: IncidentPatch, now: number): Incident {
  const next: Incident = { ...current, ...patch, updatedAt: now };
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) continue;
    if (!isClearable(key)) throw new Error(`Cannot clear required incident field "${key}"`);
    delete next[key];
  }
  return next;
}
