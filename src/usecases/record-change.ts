import type { EffectSpec } from '../domain/effects';
import type { Incident, IncidentPatch } from '../domain/incident';
import type { EventData, TimelineKind } from '../domain/timeline';
import type { ChangeResult } from '../ports/incident-store';
import type { Invocation, UseCaseDeps } from './context';

export interface ChangeSpec {
  kind: TimelineKind;
  text: string;
  data?: EventData;
  patch?: IncidentPatch;
  effects?: EffectSpec[];
  /** Defaults to the invocation's source id; use a stable one to make an intent idempotent per person. */
  sourceId?: string;
}

/** The one way a use case changes an incident: patch + timeline event + effects, atomically. */
export async function recordChange(deps: UseCaseDeps, who: Invocation, incident: Incident, spec: ChangeSpec): Promise<ChangeResult> {
  const now = deps.clock.now();
  return deps.store.applyChange({
    incidentId: incident.id,
    now,
    ...(spec.patch ? { patch: spec.patch } : {}),
    ...(spec.effects ? { effects: spec.effects } : {}),
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
    ],
  });
}
