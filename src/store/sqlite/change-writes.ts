// The bodies of the store's multi-statement writes. They are synchronous and run inside a job of
// the write queue (write-queue.ts), i.e. in a SAVEPOINT of the batch's transaction: a throw undoes
// everything the write did, and nothing else.

import { coalescesWithPending, effectDueAt, type EffectSpec } from '../../domain/effects';
import type { Escalation, NewEscalation } from '../../domain/escalation';
import type { Incident, NewIncident } from '../../domain/incident';
import { patchIncident } from '../../domain/incident-patch';
import type { NewTimelineEvent, TimelineEvent } from '../../domain/timeline';
import type { ChangeResult, EscalationWrite, IncidentChange, PostmortemVersion } from '../../ports/incident-store';
import { timeOrderedId } from '../event-ids';
import * as escalationRows from './escalation-rows';
import * as rows from './rows';

export class ChangeWrites {
  constructor(
    private readonly sql: rows.Statements,
    private readonly escalationSql: escalationRows.EscalationStatements,
  ) {}

  declare(incident: NewIncident, events: NewTimelineEvent[], effects: EffectSpec[], escalations: NewEscalation[]): ChangeResult {
    const original = events.length > 0 ? this.sql.eventBySource.get(events[0].sourceId) : undefined;
    if (original) {
      const stored = this.storedEvents(events);
      return { duplicate: true, incident: this.requireIncident(original.incident_id), events: stored, escalations: [] };
    }
    const number = this.sql.nextNumber.get(incident.teamId) as number;
    const params = rows.incidentParams({ ...incident, number, updatedAt: incident.declaredAt });
    this.sql.insertIncident.run(params);
    const stored = this.insertEvents(incident.id, events);
    this.insertEffects(incident.id, effects, 0, incident.declaredAt);
    const created = this.writeEscalations(
      incident.id,
      escalations.map((escalation) => ({ escalation, expectedVersion: null })),
    );
    return { duplicate: false, incident: rows.toIncident(params), events: stored, escalations: created };
  }

  applyChange(change: IncidentChange): ChangeResult {
    const current = this.requireIncident(change.incidentId);
    const events = change.events ?? [];
    const seen = this.storedEvents(events);
    if (seen.length > 0) return { duplicate: true, incident: current, events: seen, escalations: [] };

    // A change without a patch (a note, a pin) leaves the incident row alone: rewriting its JSON
    // was a third of a note's write.
    let incident = current;
    if (change.patch) {
      const params = rows.incidentParams(patchIncident(current, change.patch, change.now));
      this.sql.updateIncident.run(params);
      // Re-read from the JSON just written, so the caller sees exactly what a later read returns.
      incident = rows.toIncident(params);
    }
    const stored = this.insertEvents(change.incidentId, events);
    this.insertEffects(change.incidentId, change.effects ?? [], change.now, change.now);
    const escalations = this.writeEscalations(change.incidentId, change.escalations ?? []);
    return { duplicate: false, incident, events: stored, escalations };
  }

  savePostmortem(incidentId: string, markdown: string, now: number): PostmortemVersion {
    this.requireIncident(incidentId);
    const row = this.sql.insertPostmortem.get({ incident_id: incidentId, markdown, created_at: now });
    return rows.toPostmortem(row as rows.PostmortemRow); // INSERT … RETURNING always yields the row
  }

  requireIncident(id: string): Incident {
    const row = this.sql.incidentById.get(id);
    if (!row) throw new Error(`Unknown incident: ${id}`);
    return rows.toIncident(row);
  }

  private insertEvents(incidentId: string, events: NewTimelineEvent[]): TimelineEvent[] {
    return events.map((event) => {
      const row = rows.eventRow({ ...event, id: timeOrderedId(), incidentId });
      this.sql.insertEvent.run(row);
      return rows.toEvent(row);
    });
  }

  /** Coalescing (see `coalescesWithPending`): a pending, unclaimed one of the kind, due no later, covers the new one. */
  private insertEffects(incidentId: string, specs: EffectSpec[], notBefore: number, createdAt: number): void {
    for (const spec of specs) {
      if (coalescesWithPending(spec) && this.sql.pendingUnclaimedOfKind.get({ incident_id: incidentId, kind: spec.kind, not_before: notBefore })) continue;
      this.sql.insertEffect.run(rows.newEffectRow(incidentId, spec, effectDueAt(spec, notBefore), createdAt));
    }
  }

  private writeEscalations(incidentId: string, writes: EscalationWrite[]): Escalation[] {
    return writes.map((write) => escalationRows.writeEscalation(this.escalationSql, incidentId, write));
  }

  /** The already stored events among these, in the given order. */
  private storedEvents(events: NewTimelineEvent[]): TimelineEvent[] {
    return events.flatMap((event) => {
      const row = this.sql.eventBySource.get(event.sourceId);
      return row ? [rows.toEvent(row)] : [];
    });
  }
}
