// Test data shared by the store contracts and adapter tests: minimal valid domain objects with
// unique ids, so tests sharing one store never collide.

import type { NewEscalation } from '../../src/domain/escalation';
import type { NewIncident } from '../../src/domain/incident';
import type { NewTimelineEvent } from '../../src/domain/timeline';

export const T0 = Date.UTC(2024, 2, 1, 9, 0, 0);
export const MINUTE = 60_000;

let counter = 0;
function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** A minimal incident: no optional field set. */
export function newIncident(overrides: Partial<NewIncident> = {}): NewIncident {
  return {
    id: unique('inc'),
    teamId: 'T1',
    title: 'Checkout is down',
    severity: 'sev2',
    status: 'investigating',
    commanderId: 'U1',
    declaredBy: 'U2',
    roles: {},
    isPrivate: false,
    declaredAt: T0,
    ...overrides,
  };
}

export function newEvent(overrides: Partial<NewTimelineEvent> = {}): NewTimelineEvent {
  return { incidentId: 'set-by-store', kind: 'note', at: T0, recordedAt: T0, text: 'a note', sourceId: unique('src'), ...overrides };
}

/** A paging escalation of one person, due a minute after T0, with no optional field set. */
export function newEscalation(incidentId: string, overrides: Partial<NewEscalation> = {}): NewEscalation {
  return {
    id: unique('esc'),
    incidentId,
    target: { kind: 'user', id: 'U9' },
    levels: [{ userIds: ['U9'], usergroupIds: [], timeoutMs: MINUTE }],
    requestedBy: 'U1',
    trigger: 'manual',
    createdAt: T0,
    state: 'paging',
    currentLevel: 0,
    deadlineAt: T0 + MINUTE,
    pages: [{ level: 0, pagedAt: T0, notices: [] }],
    ...overrides,
  };
}
