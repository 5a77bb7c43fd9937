// The storage port. Adapters (embedded SQLite, MongoDB) implement it and pass one contract suite.
// It speaks in domain objects only: no SQL, no documents.

import type { Effect, EffectSpec } from '../domain/effects';
import type { Incident, IncidentPatch, NewIncident } from '../domain/incident';
import type { NewTimelineEvent, TimelineEvent } from '../domain/timeline';
import type { TranscriptMessage } from '../domain/transcript';

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
  /** Milliseconds: when the change is applied; effects become due then. */
  now: number;
}

export interface ChangeResult {
  duplicate: boolean;
  incident: Incident;
  events: TimelineEvent[];
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
  declareIncident(incident: NewIncident, events: NewTimelineEvent[], effects: EffectSpec[]): Promise<ChangeResult>;
  getIncident(id: string): Promise<Incident | undefined>;
  findIncidentByChannel(channelId: string): Promise<Incident | undefined>;
  /** Incidents not closed, most recent first. */
  listOpenIncidents(teamId: string): Promise<Incident[]>;
  applyChange(change: IncidentChange): Promise<ChangeResult>;

  /** Chronological (see `compareEvents`). */
  listTimeline(incidentId: string): Promise<TimelineEvent[]>;
  findEventBySource(sourceId: string): Promise<TimelineEvent | undefined>;
  /** Update text/time of the event with this source; returns the updated event or undefined. */
  updateEventBySource(sourceId: string, patch: { text?: string; at?: number }): Promise<TimelineEvent | undefined>;
  /** Returns whether an event was removed. */
  removeEventBySource(sourceId: string): Promise<boolean>;

  saveTranscriptMessage(message: TranscriptMessage): Promise<void>;
  getTranscriptMessage(channelId: string, ts: string): Promise<TranscriptMessage | undefined>;

  /** Record a delivery id (e.g. Slack event_id); false if it was seen before. */
  markDelivery(deliveryId: string, now: number): Promise<boolean>;

  /** Pending effects of one incident, oldest first. */
  pendingEffects(incidentId: string): Promise<Effect[]>;
  /** Ids of incidents with at least one effect due at `now`. */
  incidentsWithDueEffects(now: number): Promise<string[]>;
  completeEffect(effectId: number): Promise<void>;
  /** Keep it pending, due again at `notBefore`. */
  retryEffect(effectId: number, notBefore: number, error: string): Promise<void>;
  /** Give up on it (a permanent error); it stays stored with its error for operators. */
  abandonEffect(effectId: number, error: string): Promise<void>;

  savePostmortem(incidentId: string, markdown: string, now: number): Promise<PostmortemVersion>;
  latestPostmortem(incidentId: string): Promise<PostmortemVersion | undefined>;
  getPostmortem(incidentId: string, version: number): Promise<PostmortemVersion | undefined>;

  /** Cheap reachability check for health endpoints. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
