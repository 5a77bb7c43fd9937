// The storage port. Adapters (embedded SQLite, MongoDB) implement it and pass one contract suite.
// It speaks in domain objects only: no SQL, no documents.

import type { Effect, EffectSpec } from '../domain/effects';
import type { Escalation, NewEscalation } from '../domain/escalation';
import type { Incident, IncidentPatch, NewIncident } from '../domain/incident';
import type { NewTimelineEvent, TimelineEvent } from '../domain/timeline';
import type { TranscriptMessage } from '../domain/transcript';
import type { Outbox } from './outbox';

/** What a message event says about a message; the transcript adds what happened to it since. */
export type PostedMessage = Pick<TranscriptMessage, 'channelId' | 'ts' | 'threadTs' | 'userId' | 'authorName' | 'text' | 'at'>;

/**
 * One atomic change: patch the incident, append events, queue effects. If any event's `sourceId`
 * is already stored, nothing is written and `duplicate` is true: the change was already applied
 * by an earlier delivery of the same command or event.
 */
export interface IncidentChange {
  incidentId: string;
  patch?: IncidentPatch;
  events?: NewTimelineEvent[];
  effects?: EffectSpec[];
  /** Escalations to create or update in the same transaction (optimistic concurrency). */
  escalations?: EscalationWrite[];
  /** Milliseconds: when the change is applied; effects become due then. */
  now: number;
}

export interface ChangeResult {
  duplicate: boolean;
  incident: Incident;
  events: TimelineEvent[];
  /** The escalations as stored by this change (with their new versions); empty on a duplicate. */
  escalations: Escalation[];
}

/**
 * `expectedVersion: null` creates the escalation (version 1). Otherwise the stored version must
 * equal `expectedVersion`, or the whole change is rejected with `EscalationConflictError` and
 * nothing is written; a successful write stores version + 1 and releases any claim on it.
 */
export interface EscalationWrite {
  escalation: NewEscalation | Escalation;
  expectedVersion: number | null;
}

/** Someone else changed the escalation first (an acknowledgement racing a timeout): reload, retry. */
export class EscalationConflictError extends Error {
  constructor(readonly escalationId: string) {
    super(`escalation ${escalationId} was changed concurrently`);
    this.name = 'EscalationConflictError';
  }
}

export interface PostmortemVersion {
  incidentId: string;
  version: number;
  markdown: string;
  createdAt: number;
}

export interface IncidentStore {
  /**
   * Allocate the next number for the workspace and store the incident with its first events and
   * effects, atomically. Idempotent on the first event's sourceId: a repeat returns the incident
   * created the first time with `duplicate: true`.
   */
  declareIncident(incident: NewIncident, events: NewTimelineEvent[], effects: EffectSpec[], escalations?: NewEscalation[]): Promise<ChangeResult>;
  getIncident(id: string): Promise<Incident | undefined>;
  findIncidentByChannel(channelId: string): Promise<Incident | undefined>;
  /**
   * The id of the incident whose channel this is: the every-message check. A channel is created
   * for one incident and stays its, so adapters may remember found answers (not missing ones).
   */
  incidentIdForChannel(channelId: string): Promise<string | undefined>;
  /** Incidents not closed, most recent first. */
  listOpenIncidents(teamId: string): Promise<Incident[]>;
  /** The `limit` most recently declared closed incidents (App Home's recent postmortems). */
  listClosedIncidents(teamId: string, limit: number): Promise<Incident[]>;
  /**
   * The change's effects are enqueued in the outbox in the same transaction, coalesced by the one
   * rule (`coalescesWithPending`: an effect that renders current state is not stored while a pending,
   * unclaimed one of its kind, due no later, covers it). Only a change with a `patch` rewrites the
   * incident (and sets its `updatedAt` to `now`).
   */
  applyChange(change: IncidentChange): Promise<ChangeResult>;

  /** Chronological (see `compareEvents`). */
  listTimeline(incidentId: string): Promise<TimelineEvent[]>;
  /** The incident's `correction` entries, chronologically: what an entry's current text needs, without the rest of the timeline. */
  listCorrections(incidentId: string): Promise<TimelineEvent[]>;
  /** How many entries the timeline has and when the latest happened (the largest `at`), without reading them. */
  timelineSummary(incidentId: string): Promise<{ entries: number; latestAt?: number }>;
  findEventBySource(sourceId: string): Promise<TimelineEvent | undefined>;
  /** Update text/time of the event with this source; returns the updated event or undefined. */
  updateEventBySource(sourceId: string, patch: { text?: string; at?: number }): Promise<TimelineEvent | undefined>;
  /** Returns whether an event was removed. */
  removeEventBySource(sourceId: string): Promise<boolean>;

  saveTranscriptMessage(message: TranscriptMessage): Promise<void>;
  /**
   * A message as posted, in one write without reading first (the ingest hot path): a new one is
   * stored with no marks; a stored one keeps its marks (a pin can arrive before the message:
   * events are not ordered), its deletion and, once edited, its edited text.
   */
  recordPostedMessage(message: PostedMessage): Promise<void>;
  getTranscriptMessage(channelId: string, ts: string): Promise<TranscriptMessage | undefined>;

  /** In creation order. */
  listEscalations(incidentId: string): Promise<Escalation[]>;
  getEscalation(id: string): Promise<Escalation | undefined>;
  /**
   * Atomically claims up to `limit` escalations that are paging, whose deadline is at or before
   * `now`, and that nobody holds a live claim on (a claim expires at claim time + `leaseMs`, so a
   * crashed process's claims pass to another). Two processes polling at once never get the same one.
   */
  claimDueEscalations(now: number, owner: string, leaseMs: number, limit: number): Promise<Escalation[]>;
  /** Gives a claim back without changing the escalation (nothing was due after all). */
  releaseEscalation(id: string, owner: string): Promise<void>;
  /** The earliest deadline among paging escalations, to know when to look again. */
  nextEscalationDeadline(): Promise<number | undefined>;

  savePostmortem(incidentId: string, markdown: string, now: number): Promise<PostmortemVersion>;
  latestPostmortem(incidentId: string): Promise<PostmortemVersion | undefined>;
  getPostmortem(incidentId: string, version: number): Promise<PostmortemVersion | undefined>;

  /** Cheap reachability check for health endpoints. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * What an adapter opens: the incident store and, over the same database, the outbox its changes
 * enqueue into. Use cases see the `IncidentStore` only; the effect runner works the `outbox`.
 */
export interface Storage extends IncidentStore {
  readonly outbox: Outbox;
}

/**
 * The store cannot be reached right now (e.g. the database is down). Nothing was written; the
 * user is told to retry, and Slack redelivers events answered with an error.
 */
export class StorageUnavailableError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('storage unavailable', options);
    this.name = 'StorageUnavailableError';
  }
}

/** One incident with everything stored under it, each list in insertion order (used to move stores). */
export interface IncidentBundle {
  incident: Incident;
  timeline: TimelineEvent[];
  /** The messages of the incident's channel (none before it has one). */
  transcript: TranscriptMessage[];
  escalations: Escalation[];
  postmortems: PostmortemVersion[];
  /** Effects still to run; done and abandoned ones are left behind. */
  pendingEffects: Effect[];
}
