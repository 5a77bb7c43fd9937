// The embedded IncidentStore: one SQLite file, one connection. better-sqlite3 is synchronous, so
// each method does its work at once and hands back a settled promise (the port is async for the
// MongoDB adapter). Writes that must be atomic run in IMMEDIATE transactions: they take the write
// lock up front, so a second process waits on busy_timeout instead of failing mid-transaction.

import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Effect, EffectSpec } from '../../domain/effects';
import type { Escalation, NewEscalation } from '../../domain/escalation';
import type { Incident, NewIncident } from '../../domain/incident';
import type { NewTimelineEvent, TimelineEvent } from '../../domain/timeline';
import type { TranscriptMessage } from '../../domain/transcript';
import type {
  ChangeResult,
  EscalationWrite,
  IncidentChange,
  IncidentStore,
  PostmortemVersion,
} from '../../ports/incident-store';
import { openDatabase, type SqliteStoreOptions } from './connection';
import * as escalationRows from './escalation-rows';
import { patchIncident } from '../../domain/incident-patch';
import * as rows from './rows';

export type { SqliteStoreOptions } from './connection';

export class SqliteIncidentStore implements IncidentStore {
  private readonly sql: rows.Statements;
  private readonly escalationSql: escalationRows.EscalationStatements;
  private readonly declareTx: (
    incident: NewIncident,
    events: NewTimelineEvent[],
    effects: EffectSpec[],
    escalations: NewEscalation[],
  ) => ChangeResult;
  private readonly changeTx: (change: IncidentChange) => ChangeResult;
  private readonly postmortemTx: (incidentId: string, markdown: string, now: number) => PostmortemVersion;

  /** Open (creating it and its parent directories if needed) and migrate; `':memory:'` for a throwaway store. */
  static open(file: string, options: SqliteStoreOptions = {}): SqliteIncidentStore {
    return new SqliteIncidentStore(openDatabase(file, options));
  }

  private constructor(private readonly db: Database.Database) {
    this.sql = rows.prepareStatements(db);
    this.escalationSql = escalationRows.prepareEscalationStatements(db);
    const declare = db.transaction(this.declareNow.bind(this));
    const change = db.transaction(this.applyChangeNow.bind(this));
    const postmortem = db.transaction(this.savePostmortemNow.bind(this));
    this.declareTx = declare.immediate;
    this.changeTx = change.immediate;
    this.postmortemTx = postmortem.immediate;
  }

  // ── incidents ──────────────────────────────────────────────────────────────────────────────

  /**
   * Numbers are allocated per team inside the transaction, so a rolled-back declare consumes none.
   * `updatedAt` starts at `declaredAt`; effects are due at once (notBefore 0), whatever the clock.
   * Idempotent on the first event's sourceId: if it is stored, nothing is written and the incident
   * that event belongs to comes back with the stored events for this declare's sourceIds.
   * Escalations are created at version 1 and must belong to this incident.
   */
  async declareIncident(
    incident: NewIncident,
    events: NewTimelineEvent[],
    effects: EffectSpec[],
    escalations: NewEscalation[] = [],
  ): Promise<ChangeResult> {
    return this.declareTx(incident, events, effects, escalations);
  }

  async getIncident(id: string): Promise<Incident | undefined> {
    return this.readIncident(id);
  }

  async findIncidentByChannel(channelId: string): Promise<Incident | undefined> {
    const row = this.sql.incidentByChannel.get(channelId);
    return row && rows.toIncident(row);
  }

  /** Not closed, most recently declared first. */
  async listOpenIncidents(teamId: string): Promise<Incident[]> {
    return this.sql.openIncidents.all(teamId).map(rows.toIncident);
  }

  /**
   * Patch semantics: only keys present in `patch` change; a key present with value `undefined`
   * clears an optional field (clearing a required one throws). `updatedAt` becomes `now` on every
   * applied change. On a duplicate the stored events for the change's sourceIds come back, and no
   * escalation version is checked. A stale escalation version (EscalationConflictError), or an
   * escalation of another incident, rolls the whole change back.
   */
  async applyChange(change: IncidentChange): Promise<ChangeResult> {
    return this.changeTx(change);
  }

  // ── timeline ───────────────────────────────────────────────────────────────────────────────

  /** By `at`, then `recordedAt`, then insertion order. */
  async listTimeline(incidentId: string): Promise<TimelineEvent[]> {
    return this.sql.timeline.all(incidentId).map(rows.toEvent);
  }

  async findEventBySource(sourceId: string): Promise<TimelineEvent | undefined> {
    return this.readEventBySource(sourceId);
  }

  async updateEventBySource(sourceId: string, patch: { text?: string; at?: number }): Promise<TimelineEvent | undefined> {
    const row = this.sql.updateEvent.get({ source_id: sourceId, text: patch.text ?? null, at: patch.at ?? null });
    return row && rows.toEvent(row);
  }

  async removeEventBySource(sourceId: string): Promise<boolean> {
    return this.sql.deleteEvent.run(sourceId).changes > 0;
  }

  // ── transcript & deliveries ────────────────────────────────────────────────────────────────

  /** Upsert: a later save of the same (channelId, ts) replaces every field. */
  async saveTranscriptMessage(message: TranscriptMessage): Promise<void> {
    this.sql.upsertTranscript.run(rows.transcriptRow(message));
  }

  async getTranscriptMessage(channelId: string, ts: string): Promise<TranscriptMessage | undefined> {
    const row = this.sql.transcriptMessage.get(channelId, ts);
    return row && rows.toTranscriptMessage(row);
  }

  async markDelivery(deliveryId: string, now: number): Promise<boolean> {
    return this.sql.insertDelivery.run(deliveryId, now).changes === 1;
  }

  // ── effects ────────────────────────────────────────────────────────────────────────────────

  /** All pending effects of the incident by id, due or not: the runner decides what to run. */
  async pendingEffects(incidentId: string): Promise<Effect[]> {
    return this.sql.pendingEffects.all(incidentId).map(rows.toEffect);
  }

  /** Incidents with a pending effect whose notBefore <= now, the one waiting longest first. */
  async incidentsWithDueEffects(now: number): Promise<string[]> {
    return this.sql.dueIncidents.all(now);
  }

  /** One conditional UPDATE: whichever connection's statement runs first takes it. Unknown id → false. */
  async claimEffect(effectId: number, owner: string, now: number, leaseMs: number): Promise<boolean> {
    return this.sql.claimEffect.run({ id: effectId, owner, now, lease_until: now + leaseMs }).changes === 1;
  }

  /** Effect updates are keyed by id only (whoever holds the claim); an unknown id is a no-op. */
  async completeEffect(effectId: number): Promise<void> {
    this.sql.completeEffect.run(effectId);
  }

  async retryEffect(effectId: number, notBefore: number, error: string): Promise<void> {
    this.sql.retryEffect.run(notBefore, error, effectId);
  }

  async abandonEffect(effectId: number, error: string): Promise<void> {
    this.sql.abandonEffect.run(error, effectId);
  }

  // ── escalations ────────────────────────────────────────────────────────────────────────────

  /** By createdAt, then insertion order. */
  async listEscalations(incidentId: string): Promise<Escalation[]> {
    return this.escalationSql.byIncident.all(incidentId).map(escalationRows.toEscalation);
  }

  async getEscalation(id: string): Promise<Escalation | undefined> {
    const row = this.escalationSql.byId.get(id);
    return row && escalationRows.toEscalation(row);
  }

  /** By deadline, then insertion order. The claim leaves the version alone: it is not a change. */
  async claimDueEscalations(now: number, owner: string, leaseMs: number, limit: number): Promise<Escalation[]> {
    const claimed = this.escalationSql.claimDue.all({ now, owner, lease_until: now + leaseMs, limit });
    return escalationRows.claimedInOrder(claimed);
  }

  /** A no-op unless `owner` holds the claim (an expired claim may have passed to someone else). */
  async releaseEscalation(id: string, owner: string): Promise<void> {
    this.escalationSql.release.run(id, owner);
  }

  async nextEscalationDeadline(): Promise<number | undefined> {
    return this.escalationSql.nextDeadline.get() ?? undefined;
  }

  // ── postmortems ────────────────────────────────────────────────────────────────────────────

  /** Versions count 1, 2, 3 … per incident. Unknown incident → Error. */
  async savePostmortem(incidentId: string, markdown: string, now: number): Promise<PostmortemVersion> {
    return this.postmortemTx(incidentId, markdown, now);
  }

  async latestPostmortem(incidentId: string): Promise<PostmortemVersion | undefined> {
    const row = this.sql.latestPostmortem.get(incidentId);
    return row && rows.toPostmortem(row);
  }

  async getPostmortem(incidentId: string, version: number): Promise<PostmortemVersion | undefined> {
    const row = this.sql.postmortem.get(incidentId, version);
    return row && rows.toPostmortem(row);
  }

  // ── lifecycle ──────────────────────────────────────────────────────────────────────────────

  /** False once closed (or if the file became unreadable), rather than throwing at a health check. */
  async ping(): Promise<boolean> {
    try {
      return this.sql.ping.get() === 1;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  // ── transaction bodies (run synchronously inside db.transaction) ───────────────────────────

  private declareNow(
    incident: NewIncident,
    events: NewTimelineEvent[],
    effects: EffectSpec[],
    escalations: NewEscalation[],
  ): ChangeResult {
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
    const created = this.writeEscalations(incident.id, escalations.map((escalation) => ({ escalation, expectedVersion: null })));
    return { duplicate: false, incident: rows.toIncident(params), events: stored, escalations: created };
  }

  private applyChangeNow(change: IncidentChange): ChangeResult {
    const current = this.requireIncident(change.incidentId);
    const events = change.events ?? [];
    const seen = this.storedEvents(events);
    if (seen.length > 0) return { duplicate: true, incident: current, events: seen, escalations: [] };

    const params = rows.incidentParams(patchIncident(current, change.patch ?? {}, change.now));
    this.sql.updateIncident.run(params);
    const stored = this.insertEvents(change.incidentId, events);
    this.insertEffects(change.incidentId, change.effects ?? [], change.now, change.now);
    const escalations = this.writeEscalations(change.incidentId, change.escalations ?? []);
    // Re-read from the JSON just written, so the caller sees exactly what a later read returns.
    return { duplicate: false, incident: rows.toIncident(params), events: stored, escalations };
  }

  private savePostmortemNow(incidentId: string, markdown: string, now: number): PostmortemVersion {
    this.requireIncident(incidentId);
    const row = this.sql.insertPostmortem.get({ incident_id: incidentId, markdown, created_at: now });
    return rows.toPostmortem(row as rows.PostmortemRow); // INSERT … RETURNING always yields the row
  }

  private insertEvents(incidentId: string, events: NewTimelineEvent[]): TimelineEvent[] {
    return events.map((event) => {
      const row = rows.eventRow({ ...event, id: randomUUID(), incidentId });
      this.sql.insertEvent.run(row);
      return rows.toEvent(row);
    });
  }

  private insertEffects(incidentId: string, specs: EffectSpec[], notBefore: number, createdAt: number): void {
    for (const spec of specs) this.sql.insertEffect.run(rows.newEffectRow(incidentId, spec, notBefore, createdAt));
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

  private readIncident(id: string): Incident | undefined {
    const row = this.sql.incidentById.get(id);
    return row && rows.toIncident(row);
  }

  private requireIncident(id: string): Incident {
    const incident = this.readIncident(id);
    if (!incident) throw new Error(`Unknown incident: ${id}`);
    return incident;
  }

  private readEventBySource(sourceId: string): TimelineEvent | undefined {
    const row = this.sql.eventBySource.get(sourceId);
    return row && rows.toEvent(row);
  }
}
