// The embedded IncidentStore: one SQLite file, one connection. better-sqlite3 is synchronous, so
// each method does its work at once and hands back a settled promise (the port is async for the
// MongoDB adapter). Writes that must be atomic run in IMMEDIATE transactions: they take the write
// lock up front, so a second process waits on busy_timeout instead of failing mid-transaction.

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Effect, EffectSpec } from '../../domain/effects';
import type { Incident, IncidentPatch, NewIncident } from '../../domain/incident';
import type { NewTimelineEvent, TimelineEvent } from '../../domain/timeline';
import type { TranscriptMessage } from '../../domain/transcript';
import type { ChangeResult, IncidentChange, IncidentStore, PostmortemVersion } from '../../ports/incident-store';
import { migrate } from './migrations';
import * as rows from './rows';

export interface SqliteStoreOptions {
  /**
   * FULL (default) syncs every commit: an event acknowledged to Slack survives a power cut.
   * NORMAL in WAL mode may lose the last commits on power loss (not on a process crash); for benchmarks.
   */
  synchronous?: 'FULL' | 'NORMAL';
}

const SYNCHRONOUS_MODES = ['FULL', 'NORMAL'] as const;

export class SqliteIncidentStore implements IncidentStore {
  private readonly sql: rows.Statements;
  private readonly declareTx: (incident: NewIncident, events: NewTimelineEvent[], effects: EffectSpec[]) => ChangeResult;
  private readonly changeTx: (change: IncidentChange) => ChangeResult;
  private readonly postmortemTx: (incidentId: string, markdown: string, now: number) => PostmortemVersion;

  /** Open (creating it and its parent directories if needed) and migrate; `':memory:'` for a throwaway store. */
  static open(file: string, options: SqliteStoreOptions = {}): SqliteIncidentStore {
    const inMemory = file === ':memory:';
    if (!inMemory) fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    try {
      configure(db, inMemory, options.synchronous ?? 'FULL');
      migrate(db);
      return new SqliteIncidentStore(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private constructor(private readonly db: Database.Database) {
    this.sql = rows.prepareStatements(db);
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
   */
  async declareIncident(incident: NewIncident, events: NewTimelineEvent[], effects: EffectSpec[]): Promise<ChangeResult> {
    return this.declareTx(incident, events, effects);
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
   * applied change. On a duplicate the stored events for the change's sourceIds come back.
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

  /** Effect updates are keyed by id only; an unknown id is a no-op. */
  async completeEffect(effectId: number): Promise<void> {
    this.sql.completeEffect.run(effectId);
  }

  async retryEffect(effectId: number, notBefore: number, error: string): Promise<void> {
    this.sql.retryEffect.run(notBefore, error, effectId);
  }

  async abandonEffect(effectId: number, error: string): Promise<void> {
    this.sql.abandonEffect.run(error, effectId);
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

  private declareNow(incident: NewIncident, events: NewTimelineEvent[], effects: EffectSpec[]): ChangeResult {
    const original = events.length > 0 ? this.sql.eventBySource.get(events[0].sourceId) : undefined;
    if (original) {
      return { duplicate: true, incident: this.requireIncident(original.incident_id), events: this.storedEvents(events) };
    }
    const number = this.sql.nextNumber.get(incident.teamId) as number;
    const params = rows.incidentParams({ ...incident, number, updatedAt: incident.declaredAt });
    this.sql.insertIncident.run(params);
    const stored = this.insertEvents(incident.id, events);
    this.insertEffects(incident.id, effects, 0, incident.declaredAt);
    return { duplicate: false, incident: rows.toIncident(params), events: stored };
  }

  private applyChangeNow(change: IncidentChange): ChangeResult {
    const current = this.requireIncident(change.incidentId);
    const events = change.events ?? [];
    const seen = this.storedEvents(events);
    if (seen.length > 0) return { duplicate: true, incident: current, events: seen };

    const params = rows.incidentParams(patchIncident(current, change.patch ?? {}, change.now));
    this.sql.updateIncident.run(params);
    const stored = this.insertEvents(change.incidentId, events);
    this.insertEffects(change.incidentId, change.effects ?? [], change.now, change.now);
    // Re-read from the JSON just written, so the caller sees exactly what a later read returns.
    return { duplicate: false, incident: rows.toIncident(params), events: stored };
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
  declarerReplyUrl: true,
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

function configure(db: Database.Database, inMemory: boolean, synchronous: string): void {
  if (!(SYNCHRONOUS_MODES as readonly string[]).includes(synchronous)) {
    throw new Error(`Unsupported synchronous mode: ${synchronous}`); // interpolated into a PRAGMA below
  }
  db.pragma('busy_timeout = 5000'); // first, so switching to WAL waits for other connections' locks
  if (!inMemory) db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
}
