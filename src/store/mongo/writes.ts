// The bodies of the atomic writes, run inside a transaction (see transaction.ts). Every read and
// write passes the session; a throw aborts the whole transaction.

import type { ClientSession } from 'mongoose';
import { coalescesWithPending, effectDueAt, type EffectKind, type EffectSpec } from '../../domain/effects';
import type { Escalation, NewEscalation } from '../../domain/escalation';
import type { Incident, NewIncident } from '../../domain/incident';
import type { NewTimelineEvent, TimelineEvent } from '../../domain/timeline';
import { EscalationConflictError, type ChangeResult, type EscalationWrite, type IncidentChange, type PostmortemVersion } from '../../ports/incident-store';
import { patchIncident } from '../../domain/incident-patch';
import { timeOrderedId } from '../event-ids';
import { defined, incidentDoc, maybe, replaceFields, toEvent, toIncident } from './documents';
import type { EffectDoc, EscalationDoc, EventDoc, Models } from './schemas';

/** Counter keys: one per team for incident numbers, one global sequence for insertion order. */
export const counterKeys = {
  incidentNumber: (teamId: string) => `incident-number:${teamId}`,
  /** Effect ids and the `seq` of events and escalations: increasing in commit order. */
  sequence: 'sequence',
};

export class Writes {
  constructor(private readonly models: Models) {}

  /**
   * Hands out `count` consecutive values of a counter (that must already exist, see Counters.ensure):
   * inside the transaction, so a rolled-back change uses none, and the counter document serialises
   * concurrent writers (the loser of a write conflict retries), which keeps ids in commit order.
   */
  async allocate(key: string, count: number, session: ClientSession): Promise<number> {
    if (count === 0) return 0;
    const counter = await this.models.counter.findOneAndUpdate({ _id: key }, { $inc: { last: count } }, { session, returnDocument: 'after' }).lean();
    if (!counter) throw new Error(`Counter ${key} is missing`);
    return counter.last - count + 1;
  }

  async declare(incident: NewIncident, events: NewTimelineEvent[], effects: EffectSpec[], escalations: NewEscalation[], session: ClientSession): Promise<ChangeResult> {
    const original = events.length > 0 ? await this.eventBySource(events[0].sourceId, session) : undefined;
    if (original) {
      const stored = await this.storedEvents(events, session);
      return { duplicate: true, incident: await this.requireIncident(original.incidentId, session), events: stored, escalations: [] };
    }
    const number = await this.allocate(counterKeys.incidentNumber(incident.teamId), 1, session);
    const created: Incident = defined({ ...incident, number, updatedAt: incident.declaredAt });
    await this.models.incident.insertMany([incidentDoc(created)], { session });
    const writes = escalations.map((escalation) => ({ escalation, expectedVersion: null }));
    const rest = await this.writeChildren(incident.id, events, effects, writes, 0, incident.declaredAt, session);
    return { duplicate: false, incident: created, ...rest };
  }

  async applyChange(change: IncidentChange, session: ClientSession): Promise<ChangeResult> {
    const current = await this.requireIncident(change.incidentId, session);
    const events = change.events ?? [];
    const seen = await this.storedEvents(events, session);
    if (seen.length > 0) return { duplicate: true, incident: current, events: seen, escalations: [] };

    // Patches rewrite the incident, so two patches of one incident conflict and run one after the
    // other. A change without one (a note, a pin) leaves the incident alone, as in the SQLite store.
    let next = current;
    if (change.patch) {
      next = defined(patchIncident(current, change.patch, change.now));
      await this.models.incident.replaceOne({ id: current.id }, incidentDoc(next), { session, runValidators: true });
    }
    const rest = await this.writeChildren(change.incidentId, events, change.effects ?? [], change.escalations ?? [], change.now, change.now, session);
    return { duplicate: false, incident: next, ...rest };
  }

  async savePostmortem(incidentId: string, markdown: string, now: number, session: ClientSession): Promise<PostmortemVersion> {
    await this.requireIncident(incidentId, session);
    const latest = await this.models.postmortem.findOne({ incidentId }, { version: 1 }, { session }).sort({ version: -1 }).lean();
    const saved: PostmortemVersion = { incidentId, version: (latest?.version ?? 0) + 1, markdown, createdAt: now };
    await this.models.postmortem.insertMany([saved], { session });
    return saved;
  }

  /** The already stored events among these, in the given order. */
  async storedEvents(events: NewTimelineEvent[], session?: ClientSession): Promise<TimelineEvent[]> {
    if (events.length === 0) return [];
    const sourceIds = events.map((e) => e.sourceId);
    const found = await this.models.event.find({ sourceId: { $in: sourceIds } }, null, { session }).lean();
    const bySource = new Map(found.map((doc) => [doc.sourceId, toEvent(doc)]));
    return sourceIds.flatMap((id) => {
      const event = bySource.get(id);
      return event ? [event] : [];
    });
  }

  async eventBySource(sourceId: string, session?: ClientSession): Promise<TimelineEvent | undefined> {
    return maybe(toEvent)(await this.models.event.findOne({ sourceId }, null, { session }).lean());
  }

  async requireIncident(id: string, session?: ClientSession): Promise<Incident> {
    const incident = maybe(toIncident)(await this.models.incident.findOne({ id }, null, { session }).lean());
    if (!incident) throw new Error(`Unknown incident: ${id}`);
    return incident;
  }

  /** Events, effects and escalations of one change, numbered from one block of the sequence. */
  private async writeChildren(
    incidentId: string,
    events: NewTimelineEvent[],
    specs: EffectSpec[],
    escalations: EscalationWrite[],
    notBefore: number,
    createdAt: number,
    session: ClientSession,
  ): Promise<Pick<ChangeResult, 'events' | 'escalations'>> {
    specs = await this.coalesce(incidentId, specs, notBefore, session);
    const creates = escalations.filter((w) => w.expectedVersion === null).length;
    let next = await this.allocate(counterKeys.sequence, events.length + specs.length + creates, session);

    const stored = events.map((event) => defined<TimelineEvent>({ ...event, id: timeOrderedId(), incidentId }));
    const eventDocs: EventDoc[] = stored.map((event) => ({ ...event, seq: next++ }));
    const effectDocs: EffectDoc[] = specs.map((spec) => ({
      id: next++,
      incidentId,
      spec: defined(spec),
      attempts: 0,
      notBefore: effectDueAt(spec, notBefore),
      createdAt,
      state: 'pending',
    }));
    if (eventDocs.length > 0) await this.models.event.insertMany(eventDocs, { session });
    if (effectDocs.length > 0) await this.models.effect.insertMany(effectDocs, { session });

    const written: Escalation[] = [];
    for (const write of escalations) {
      const seq = write.expectedVersion === null ? next++ : 0;
      written.push(await this.writeEscalation(incidentId, write, seq, session));
    }
    return { events: stored, escalations: written };
  }

  /**
   * Coalescing (see `coalescesWithPending`): an effect of a rendering kind is dropped when a pending,
   * unclaimed one of its kind, due no later, covers it (or one earlier in this change does). Folding
   * it in is a write to that effect, not just a read: a claim racing this transaction then conflicts
   * with it, so either the claim comes after this change is committed (and the runner reads it), or
   * this transaction is retried, sees the claim and stores its own.
   */
  private async coalesce(incidentId: string, specs: EffectSpec[], notBefore: number, session: ClientSession): Promise<EffectSpec[]> {
    const covered = new Set<EffectKind>();
    const kept: EffectSpec[] = [];
    for (const spec of specs) {
      if (!coalescesWithPending(spec)) {
        kept.push(spec);
        continue;
      }
      if (!covered.has(spec.kind)) {
        const filter = { incidentId, state: 'pending' as const, 'spec.kind': spec.kind, leaseOwner: null, notBefore: { $lte: notBefore } };
        const folded = (await this.models.effect.updateOne(filter, { $inc: { coalesced: 1 } }, { session })).matchedCount > 0;
        if (!folded) kept.push(spec);
      }
      covered.add(spec.kind);
    }
    return kept;
  }

  /**
   * Creates at version 1 (an existing id fails on the unique index), or updates only if the stored
   * version is the expected one: otherwise EscalationConflictError, and the transaction is aborted.
   * A write ends any claim on it.
   */
  private async writeEscalation(incidentId: string, write: EscalationWrite, seq: number, session: ClientSession): Promise<Escalation> {
    const { escalation, expectedVersion } = write;
    if (escalation.incidentId !== incidentId) {
      throw new Error(`Escalation ${escalation.id} belongs to incident ${escalation.incidentId}, not ${incidentId}`);
    }
    // Any version the caller passes is dropped: the store decides it.
    const { version: _ignored, ...fields }: NewEscalation & { version?: number } = escalation;
    if (expectedVersion === null) {
      const stored = defined<Escalation>({ ...fields, version: 1 });
      await this.models.escalation.insertMany([{ ...stored, seq } satisfies EscalationDoc], { session });
      return stored;
    }
    const stored = defined<Escalation>({ ...fields, version: expectedVersion + 1 });
    const update = replaceFields(this.models.escalation.schema, stored, ['seq']);
    const filter = { id: escalation.id, incidentId, version: expectedVersion };
    const result = await this.models.escalation.updateOne(filter, update, { session, runValidators: true });
    if (result.matchedCount === 0) throw new EscalationConflictError(escalation.id);
    return stored;
  }
}
