// The MongoDB IncidentStore, on mongoose with a connection of its own. Same semantics as the SQLite
// adapter (the reference; both pass test/contract): atomic writes run in transactions, so the
// database must be a replica set (Atlas is one; see transaction.ts). Several bot processes may share
// one database: claims are single-document conditional updates, which MongoDB applies atomically.
// Every operation that cannot reach the database rejects with StorageUnavailableError.

import type { Connection } from 'mongoose';
import type { EffectSpec } from '../../domain/effects';
import type { Escalation, NewEscalation } from '../../domain/escalation';
import type { Incident, NewIncident } from '../../domain/incident';
import type { NewTimelineEvent, TimelineEvent } from '../../domain/timeline';
import type { TranscriptMessage } from '../../domain/transcript';
import type { ChangeResult, IncidentChange, PostedMessage, PostmortemVersion, Storage } from '../../ports/incident-store';
import { ChannelOwners } from '../channel-owners';
import { openConnection, requireTransactions, type MongoConnectOptions } from './connect';
import { Counters } from './counters';
import { defined, maybe, toEscalation, toEvent, toIncident, toPostmortem, toTranscript } from './documents';
import { guarded, isDuplicateKey, toStorageError } from './errors';
import { importIncident, type ImportBundle, type ImportCounts } from './import-all';
import { createModels, ensureCollections, type EscalationDoc, type Models } from './schemas';
import { MongoOutbox } from './mongo-outbox';
import { inTransaction } from './transaction';
import { counterKeys, Writes } from './writes';

export type { MongoConnectOptions } from './connect';

const PING_TIMEOUT_MS = 2000;
/** Rounds of claimDueEscalations when other processes keep taking the candidates first. */
const CLAIM_ROUNDS = 5;

export class MongoIncidentStore implements Storage {
  /** The `effects` collection, worked by the effect runner; changes enqueue into it in their transaction. */
  readonly outbox: MongoOutbox;
  private readonly writes: Writes;
  private readonly counters: Counters;
  private readonly channelOwners = new ChannelOwners();
  private closing: Promise<void> | undefined;

  /** Connects (retrying while the server comes up), checks for a replica set, creates collections and indexes. */
  static async connect(uri: string, options: MongoConnectOptions = {}): Promise<MongoIncidentStore> {
    const connection = await openConnection(uri, options);
    try {
      await requireTransactions(connection, uri);
      const models = createModels(connection);
      await ensureCollections(models);
      const counters = new Counters(models);
      await counters.ensure(counterKeys.sequence);
      return new MongoIncidentStore(connection, models, counters);
    } catch (error) {
      await connection.close(true).catch(() => undefined);
      throw toStorageError(error);
    }
  }

  private constructor(
    private readonly connection: Connection,
    private readonly models: Models,
    counters: Counters,
  ) {
    this.writes = new Writes(models);
    this.outbox = new MongoOutbox(models);
    this.counters = counters;
  }

  // ── incidents ──────────────────────────────────────────────────────────────────────────────

  async declareIncident(incident: NewIncident, events: NewTimelineEvent[], effects: EffectSpec[], escalations: NewEscalation[] = []): Promise<ChangeResult> {
    return guarded(async () => {
      await this.counters.ensure(counterKeys.incidentNumber(incident.teamId));
      try {
        return await inTransaction(this.connection, (session) => this.writes.declare(incident, events, effects, escalations, session));
      } catch (error) {
        // A concurrent delivery of the same declare committed first: answer as its duplicate.
        const original = isDuplicateKey(error) && events.length > 0 ? await this.writes.eventBySource(events[0].sourceId) : undefined;
        if (!original) throw error;
        const stored = await this.writes.storedEvents(events);
        return { duplicate: true, incident: await this.writes.requireIncident(original.incidentId), events: stored, escalations: [] };
      }
    });
  }

  async getIncident(id: string): Promise<Incident | undefined> {
    return guarded(async () => maybe(toIncident)(await this.models.incident.findOne({ id }).lean()));
  }

  async findIncidentByChannel(channelId: string): Promise<Incident | undefined> {
    return guarded(async () => maybe(toIncident)(await this.models.incident.findOne({ 'chat.channelId': channelId }).sort({ declaredAt: -1 }).lean()));
  }

  async incidentIdForChannel(channelId: string): Promise<string | undefined> {
    return this.channelOwners.find(channelId, () =>
      guarded(async () => (await this.models.incident.findOne({ 'chat.channelId': channelId }, { id: 1 }).sort({ declaredAt: -1 }).lean())?.id),
    );
  }

  async listOpenIncidents(teamId: string): Promise<Incident[]> {
    return guarded(async () => {
      const docs = await this.models.incident
        .find({ teamId, status: { $ne: 'closed' } })
        .sort({ declaredAt: -1, number: -1 })
        .lean();
      return docs.map(toIncident);
    });
  }

  async listClosedIncidents(teamId: string, limit: number): Promise<Incident[]> {
    return guarded(async () => {
      const docs = await this.models.incident.find({ teamId, status: 'closed' }).sort({ declaredAt: -1, number: -1 }).limit(limit).lean();
      return docs.map(toIncident);
    });
  }

  async applyChange(change: IncidentChange): Promise<ChangeResult> {
    return guarded(async () => {
      try {
        return await inTransaction(this.connection, (session) => this.writes.applyChange(change, session));
      } catch (error) {
        // A redelivery raced this one past the sourceId check and committed first.
        const seen = isDuplicateKey(error) ? await this.writes.storedEvents(change.events ?? []) : [];
        if (seen.length === 0) throw error;
        return { duplicate: true, incident: await this.writes.requireIncident(change.incidentId), events: seen, escalations: [] };
      }
    });
  }

  // ── timeline ───────────────────────────────────────────────────────────────────────────────

  async listTimeline(incidentId: string): Promise<TimelineEvent[]> {
    return guarded(async () => (await this.models.event.find({ incidentId }).sort({ at: 1, recordedAt: 1, seq: 1 }).lean()).map(toEvent));
  }

  async listCorrections(incidentId: string): Promise<TimelineEvent[]> {
    return guarded(async () => (await this.models.event.find({ incidentId, kind: 'correction' }).sort({ at: 1, recordedAt: 1, seq: 1 }).lean()).map(toEvent));
  }

  /** A count and the one latest event by `at`, both served by the (incidentId, at, …) index. */
  async timelineSummary(incidentId: string): Promise<{ entries: number; latestAt?: number }> {
    return guarded(async () => {
      const entries = await this.models.event.countDocuments({ incidentId });
      const latest = entries > 0 ? await this.models.event.findOne({ incidentId }, { at: 1 }).sort({ at: -1 }).lean() : null;
      return latest ? { entries, latestAt: latest.at } : { entries };
    });
  }

  async findEventBySource(sourceId: string): Promise<TimelineEvent | undefined> {
    return guarded(() => this.writes.eventBySource(sourceId));
  }

  async updateEventBySource(sourceId: string, patch: { text?: string; at?: number }): Promise<TimelineEvent | undefined> {
    return guarded(async () => {
      const $set = defined({ text: patch.text, at: patch.at });
      if (Object.keys($set).length === 0) return this.writes.eventBySource(sourceId);
      const doc = await this.models.event.findOneAndUpdate({ sourceId }, { $set }, { returnDocument: 'after', runValidators: true }).lean();
      return maybe(toEvent)(doc);
    });
  }

  async removeEventBySource(sourceId: string): Promise<boolean> {
    return guarded(async () => (await this.models.event.deleteOne({ sourceId })).deletedCount > 0);
  }

  // ── transcript ────────────────────────────────────────────────────────────────────────────

  /** A replacement, so fields absent from the new version are gone. */
  async saveTranscriptMessage(message: TranscriptMessage): Promise<void> {
    return guarded(async () => {
      const save = () => this.models.transcript.replaceOne({ channelId: message.channelId, ts: message.ts }, defined(message), { upsert: true, runValidators: true });
      // Two first saves of one message race on the unique index; the loser's retry is an update.
      await save().catch((error: unknown) => (isDuplicateKey(error) ? save() : Promise.reject(error)));
    });
  }

  async recordPostedMessage(message: PostedMessage): Promise<void> {
    return guarded(async () => {
      const { channelId, ts, threadTs, userId, authorName, text, at } = message;
      const key = { channelId, ts };
      const posted = { userId, at, ...(threadTs !== undefined ? { threadTs } : {}), ...(authorName !== undefined ? { authorName } : {}) };
      const absent = { ...(threadTs === undefined ? { threadTs: '' } : {}), ...(authorName === undefined ? { authorName: '' } : {}) };
      const unset = Object.keys(absent).length ? { $unset: absent } : {};
      // An edited text stays: the first update only matches a message never edited.
      const fresh = await this.models.transcript.updateOne({ ...key, editedAt: { $exists: false } }, { $set: { ...posted, text }, ...unset });
      if (fresh.matchedCount > 0) return;
      const insert = () =>
        this.models.transcript.updateOne(key, { $set: posted, ...unset, $setOnInsert: { text, deleted: false, pushpinnedBy: [], pinned: false } }, { upsert: true });
      // Two first deliveries race on the unique index; the loser's retry is an update.
      await insert().catch((error: unknown) => (isDuplicateKey(error) ? insert() : Promise.reject(error)));
    });
  }

  async getTranscriptMessage(channelId: string, ts: string): Promise<TranscriptMessage | undefined> {
    return guarded(async () => maybe(toTranscript)(await this.models.transcript.findOne({ channelId, ts }).lean()));
  }

  // ── escalations ────────────────────────────────────────────────────────────────────────────

  async listEscalations(incidentId: string): Promise<Escalation[]> {
    return guarded(async () => (await this.models.escalation.find({ incidentId }).sort({ createdAt: 1, seq: 1 }).lean()).map(toEscalation));
  }

  async getEscalation(id: string): Promise<Escalation | undefined> {
    return guarded(async () => maybe(toEscalation)(await this.models.escalation.findOne({ id }).lean()));
  }

  /**
   * MongoDB has no "update the first N": candidates are read in deadline order, then each is taken
   * with a conditional update that re-checks it is still claimable, so a row another process took
   * in between is skipped. The claim leaves the version alone: it is not a change.
   */
  async claimDueEscalations(now: number, owner: string, leaseMs: number, limit: number): Promise<Escalation[]> {
    return guarded(async () => {
      const claimable = { state: 'paging' as const, deadlineAt: { $lte: now }, $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }] };
      const claimed: Array<Pick<EscalationDoc, 'deadlineAt' | 'seq'>> = [];
      for (let round = 0; round < CLAIM_ROUNDS && claimed.length < limit; round += 1) {
        const candidates = await this.models.escalation
          .find(claimable, { id: 1 })
          .sort({ deadlineAt: 1, seq: 1 })
          .limit(limit - claimed.length)
          .lean();
        if (candidates.length === 0) break;
        for (const { id } of candidates) {
          const lease = { $set: { leaseOwner: owner, leaseUntil: now + leaseMs } };
          const doc = await this.models.escalation.findOneAndUpdate({ id, ...claimable }, lease, { returnDocument: 'after' }).lean();
          if (doc) claimed.push(doc);
        }
      }
      return claimed.sort((a, b) => (a.deadlineAt ?? 0) - (b.deadlineAt ?? 0) || a.seq - b.seq).map(toEscalation);
    });
  }

  /** A no-op unless `owner` holds the claim. */
  async releaseEscalation(id: string, owner: string): Promise<void> {
    return guarded(async () => void (await this.models.escalation.updateOne({ id, leaseOwner: owner }, { $unset: LEASE })));
  }

  async nextEscalationDeadline(): Promise<number | undefined> {
    return guarded(async () => {
      const next = await this.models.escalation
        .findOne({ state: 'paging', deadlineAt: { $ne: null } }, { deadlineAt: 1 })
        .sort({ deadlineAt: 1 })
        .lean();
      return next?.deadlineAt ?? undefined;
    });
  }

  // ── postmortems ────────────────────────────────────────────────────────────────────────────

  /** Versions count 1, 2, 3 … per incident; two concurrent saves collide on the unique index and one retries. */
  async savePostmortem(incidentId: string, markdown: string, now: number): Promise<PostmortemVersion> {
    return guarded(async () => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await inTransaction(this.connection, (session) => this.writes.savePostmortem(incidentId, markdown, now, session));
        } catch (error) {
          if (!isDuplicateKey(error) || attempt >= 3) throw error;
        }
      }
    });
  }

  async latestPostmortem(incidentId: string): Promise<PostmortemVersion | undefined> {
    return guarded(async () => maybe(toPostmortem)(await this.models.postmortem.findOne({ incidentId }).sort({ version: -1 }).lean()));
  }

  async getPostmortem(incidentId: string, version: number): Promise<PostmortemVersion | undefined> {
    return guarded(async () => maybe(toPostmortem)(await this.models.postmortem.findOne({ incidentId, version }).lean()));
  }

  // ── migration ──────────────────────────────────────────────────────────────────────────────

  /** Copies one incident with everything stored under it; idempotent (see import-all.ts). Not part of the port. */
  async importIncident(bundle: ImportBundle): Promise<ImportCounts> {
    return guarded(() => importIncident(this.models, this.counters, bundle));
  }

  // ── lifecycle ──────────────────────────────────────────────────────────────────────────────

  /** False, within about two seconds, when the server does not answer (or the store is closed). */
  async ping(): Promise<boolean> {
    const db = this.connection.db;
    if (this.closing || !db) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS)));
    const ping = db
      .admin()
      .ping()
      .then(
        () => true,
        () => false,
      );
    try {
      return await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closing ??= this.connection.close().then(() => undefined);
    await this.closing;
  }

  /** Raw connection, for tests and tools that need to look underneath the port. */
  get mongooseConnection(): Connection {
    return this.connection;
  }
}

const LEASE = { leaseOwner: '', leaseUntil: '' } as const;
