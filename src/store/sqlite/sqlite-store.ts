// The embedded IncidentStore: one SQLite file, one connection. better-sqlite3 is synchronous; the
// port is async (for the MongoDB adapter), which lets writes wait for a group commit: every write
// goes through the write queue (write-queue.ts), which runs the writes of one event-loop turn in
// one IMMEDIATE transaction, each in its own savepoint, and settles them once the COMMIT is on disk
// (synced off the main thread, wal-sync.ts). Reads run at once. The
// IMMEDIATE transaction takes the write lock up front, so a second process waits on busy_timeout
// instead of failing mid-transaction.

import type Database from 'better-sqlite3';
import type { EffectSpec } from '../../domain/effects';
import type { Escalation, NewEscalation } from '../../domain/escalation';
import type { Incident, NewIncident } from '../../domain/incident';
import type { NewTimelineEvent, TimelineEvent } from '../../domain/timeline';
import type { TranscriptMessage } from '../../domain/transcript';
import type { ChangeResult, IncidentChange, PostedMessage, PostmortemVersion, Storage } from '../../ports/incident-store';
import { ChannelOwners } from '../channel-owners';
import { ChangeWrites } from './change-writes';
import { openDatabase, type SqliteStoreOptions } from './connection';
import * as escalationRows from './escalation-rows';
import * as rows from './rows';
import { SqliteOutbox } from './sqlite-outbox';
import type { Durability } from './wal-sync';
import { ONE_STATEMENT, WriteQueue } from './write-queue';

export type { SqliteStoreOptions } from './connection';

export class SqliteIncidentStore implements Storage {
  /** The `effects` table, worked by the effect runner; changes enqueue into it in their own savepoint. */
  readonly outbox: SqliteOutbox;
  private readonly sql: rows.Statements;
  private readonly escalationSql: escalationRows.EscalationStatements;
  private readonly writes: ChangeWrites;
  private readonly queue: WriteQueue;
  private readonly channelOwners = new ChannelOwners();

  /** Open (creating it and its parent directories if needed) and migrate; `':memory:'` for a throwaway store. */
  static open(file: string, options: SqliteStoreOptions = {}): SqliteIncidentStore {
    const { db, durability } = openDatabase(file, options);
    return new SqliteIncidentStore(db, durability);
  }

  private constructor(
    private readonly db: Database.Database,
    private readonly durability: Durability,
  ) {
    this.sql = rows.prepareStatements(db);
    this.escalationSql = escalationRows.prepareEscalationStatements(db);
    this.writes = new ChangeWrites(this.sql, this.escalationSql);
    this.queue = new WriteQueue(db, durability);
    this.outbox = new SqliteOutbox(db, this.queue);
  }

  // ── incidents ──────────────────────────────────────────────────────────────────────────────

  /**
   * Numbers are allocated per team inside the transaction, so a rolled-back declare consumes none.
   * `updatedAt` starts at `declaredAt`; effects are due at once (notBefore 0), whatever the clock.
   * Idempotent on the first event's sourceId: if it is stored, nothing is written and the incident
   * that event belongs to comes back with the stored events for this declare's sourceIds.
   * Escalations are created at version 1 and must belong to this incident.
   */
  declareIncident(incident: NewIncident, events: NewTimelineEvent[], effects: EffectSpec[], escalations: NewEscalation[] = []): Promise<ChangeResult> {
    return this.queue.write(() => this.writes.declare(incident, events, effects, escalations));
  }

  getIncident(id: string): Promise<Incident | undefined> {
    return this.queue.read(() => {
      const row = this.sql.incidentById.get(id);
      return row && rows.toIncident(row);
    });
  }

  findIncidentByChannel(channelId: string): Promise<Incident | undefined> {
    return this.queue.read(() => {
      const row = this.sql.incidentByChannel.get(channelId);
      return row && rows.toIncident(row);
    });
  }

  incidentIdForChannel(channelId: string): Promise<string | undefined> {
    return this.channelOwners.find(channelId, () => this.queue.read(() => this.sql.incidentIdByChannel.get(channelId)));
  }

  /** Not closed, most recently declared first. */
  listOpenIncidents(teamId: string): Promise<Incident[]> {
    return this.queue.read(() => this.sql.openIncidents.all(teamId).map(rows.toIncident));
  }

  listClosedIncidents(teamId: string, limit: number): Promise<Incident[]> {
    return this.queue.read(() => this.sql.closedIncidents.all(teamId, limit).map(rows.toIncident));
  }

  /**
   * Patch semantics: only keys present in `patch` change; a key present with value `undefined`
   * clears an optional field (clearing a required one throws). `updatedAt` becomes `now` when a
   * patch is applied; a change without one leaves the incident row alone. On a duplicate the stored events for the change's sourceIds come back, and no
   * escalation version is checked. A stale escalation version (EscalationConflictError), or an
   * escalation of another incident, rolls the whole change back.
   */
  applyChange(change: IncidentChange): Promise<ChangeResult> {
    return this.queue.write(() => this.writes.applyChange(change));
  }

  // ── timeline ───────────────────────────────────────────────────────────────────────────────

  /** By `at`, then `recordedAt`, then insertion order. */
  listTimeline(incidentId: string): Promise<TimelineEvent[]> {
    return this.queue.read(() => this.sql.timeline.all(incidentId).map(rows.toEvent));
  }

  listCorrections(incidentId: string): Promise<TimelineEvent[]> {
    return this.queue.read(() => this.sql.corrections.all(incidentId).map(rows.toEvent));
  }

  timelineSummary(incidentId: string): Promise<{ entries: number; latestAt?: number }> {
    return this.queue.read(() => {
      const { entries, latest_at } = this.sql.timelineSummary.get(incidentId) as { entries: number; latest_at: number | null };
      return latest_at === null ? { entries } : { entries, latestAt: latest_at };
    });
  }

  findEventBySource(sourceId: string): Promise<TimelineEvent | undefined> {
    return this.queue.read(() => {
      const row = this.sql.eventBySource.get(sourceId);
      return row && rows.toEvent(row);
    });
  }

  updateEventBySource(sourceId: string, patch: { text?: string; at?: number }): Promise<TimelineEvent | undefined> {
    return this.queue.write(() => {
      const row = this.sql.updateEvent.get({ source_id: sourceId, text: patch.text ?? null, at: patch.at ?? null });
      return row && rows.toEvent(row);
    });
  }

  removeEventBySource(sourceId: string): Promise<boolean> {
    return this.queue.write(() => this.sql.deleteEvent.run(sourceId).changes > 0);
  }

  // ── transcript ────────────────────────────────────────────────────────────────────────────

  /** Upsert: a later save of the same (channelId, ts) replaces every field. */
  saveTranscriptMessage(message: TranscriptMessage): Promise<void> {
    return this.queue.write(() => void this.sql.upsertTranscript.run(rows.transcriptRow(message)), ONE_STATEMENT);
  }

  recordPostedMessage(message: PostedMessage): Promise<void> {
    const { channel_id, ts, thread_ts, user_id, author_name, text, at } = rows.transcriptRow({ ...message, deleted: false, pushpinnedBy: [], pinned: false });
    return this.queue.write(() => void this.sql.recordPosted.run({ channel_id, ts, thread_ts, user_id, author_name, text, at }), ONE_STATEMENT);
  }

  getTranscriptMessage(channelId: string, ts: string): Promise<TranscriptMessage | undefined> {
    return this.queue.read(() => {
      const row = this.sql.transcriptMessage.get(channelId, ts);
      return row && rows.toTranscriptMessage(row);
    });
  }

  // ── escalations ────────────────────────────────────────────────────────────────────────────

  /** By createdAt, then insertion order. */
  listEscalations(incidentId: string): Promise<Escalation[]> {
    return this.queue.read(() => this.escalationSql.byIncident.all(incidentId).map(escalationRows.toEscalation));
  }

  getEscalation(id: string): Promise<Escalation | undefined> {
    return this.queue.read(() => {
      const row = this.escalationSql.byId.get(id);
      return row && escalationRows.toEscalation(row);
    });
  }

  /** By deadline, then insertion order. The claim leaves the version alone: it is not a change. */
  claimDueEscalations(now: number, owner: string, leaseMs: number, limit: number): Promise<Escalation[]> {
    return this.queue.write(() => {
      const claimed = this.escalationSql.claimDue.all({ now, owner, lease_until: now + leaseMs, limit });
      return escalationRows.claimedInOrder(claimed);
    });
  }

  /** A no-op unless `owner` holds the claim (an expired claim may have passed to someone else). */
  releaseEscalation(id: string, owner: string): Promise<void> {
    return this.queue.write(() => void this.escalationSql.release.run(id, owner));
  }

  nextEscalationDeadline(): Promise<number | undefined> {
    return this.queue.read(() => this.escalationSql.nextDeadline.get() ?? undefined);
  }

  // ── postmortems ────────────────────────────────────────────────────────────────────────────

  /** Versions count 1, 2, 3 … per incident. Unknown incident → Error. */
  savePostmortem(incidentId: string, markdown: string, now: number): Promise<PostmortemVersion> {
    return this.queue.write(() => this.writes.savePostmortem(incidentId, markdown, now));
  }

  latestPostmortem(incidentId: string): Promise<PostmortemVersion | undefined> {
    return this.queue.read(() => {
      const row = this.sql.latestPostmortem.get(incidentId);
      return row && rows.toPostmortem(row);
    });
  }

  getPostmortem(incidentId: string, version: number): Promise<PostmortemVersion | undefined> {
    return this.queue.read(() => {
      const row = this.sql.postmortem.get(incidentId, version);
      return row && rows.toPostmortem(row);
    });
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

  /** Commits what is queued first: every write accepted before close() is stored. */
  async close(): Promise<void> {
    if (!this.db.open) return;
    this.queue.flush();
    // Before the connection closes: closing the last one checkpoints and deletes the WAL.
    await this.durability.close();
    if (this.db.open) this.db.close();
  }
}
