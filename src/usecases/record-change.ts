import type { EffectSpec } from '../domain/effects';
import type { Incident, IncidentPatch } from '../domain/incident';
import type { EventData, TimelineKind } from '../domain/timeline';
import type { NewTimelineEvent } from '../domain/timeline';
import { EscalationConflictError, type ChangeResult, type EscalationWrite } from '../ports/incident-store';
import { cardUpdateFor } from './announcement';
import type { Invocation, UseCaseDeps } from './context';

export interface ChangeSpec {
  kind: TimelineKind;
  text: string;
  data?: EventData;
  patch?: IncidentPatch;
  effects?: EffectSpec[];
  /** Defaults to the invocation's source id; use a stable one to make an intent idempotent per person. */
  sourceId?: string;
  /** More to write in the same transaction (e.g. escalations ended by this change). */
  also?: ChangeExtras;
}

export interface ChangeExtras {
  events: NewTimelineEvent[];
  effects: EffectSpec[];
  escalations: EscalationWrite[];
}

/**
 * The one way a use case changes an incident: patch + timeline event + effects, atomically. A change
 * the announcement card shows (status, severity, commander, an update …) also updates the card.
 */
export async function recordChange(deps: UseCaseDeps, who: Invocation, incident: Incident, spec: ChangeSpec): Promise<ChangeResult> {
  const now = deps.clock.now();
  return deps.store.applyChange({
    incidentId: incident.id,
    now,
    ...(spec.patch ? { patch: spec.patch } : {}),
    effects: [...(spec.effects ?? []), ...(spec.also?.effects ?? []), ...cardUpdateFor(deps.settings, incident, spec.kind)],
    escalations: spec.also?.escalations ?? [],
    events: [
      {
        incidentId: incident.id,
        kind: spec.kind,
        at: now,
        recordedAt: now,
        actorId: who.userId,
        text: spec.text,
        sourceId: spec.sourceId ?? who.sourceId,
        ...(spec.data ? { data: spec.data } : {}),
      },
      ...(spec.also?.events ?? []),
    ],
  });
}

/**
 * Runs a read-decide-write use case again when an escalation it read was changed by someone else
 * in between (an acknowledgement racing a timeout, two replicas). Each attempt re-reads.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof EscalationConflictError) || i >= attempts) throw error;
    }
  }
}
