// Collections, their validation and their indexes. Documents hold the domain objects field for field
// (so reads are `.lean()` and need no mapping beyond dropping _id and the adapter's own fields), plus
// a few fields of our own: `seq` (insertion order, for ties), and the lease of a claim.
//
// Options shared by every schema, and why:
// - strict 'throw': a field the schema does not know is an error, never silently dropped (which
//   would break the exact round trip the contract checks);
// - minimize false: `roles: {}` and `data: {}` are values, not absences;
// - no versionKey, no id virtual, no hooks: the store does its own optimistic versions;
// - no autoIndex/autoCreate/buffering: `connect` creates collections and indexes itself, and an
//   operation while disconnected fails at once instead of waiting in mongoose's buffer.

import { Schema, type Connection, type Model, type SchemaType } from 'mongoose';
import type { Effect, EffectSpec } from '../../domain/effects';
import { ESCALATION_STATES, type Escalation } from '../../domain/escalation';
import { SEVERITIES, STATUSES, type Incident } from '../../domain/incident';
import { TIMELINE_KINDS, type TimelineEvent } from '../../domain/timeline';
import type { TranscriptMessage } from '../../domain/transcript';
import type { PostmortemVersion } from '../../ports/incident-store';

export const EFFECT_STATES = ['pending', 'done', 'abandoned'] as const;
export type EffectState = (typeof EFFECT_STATES)[number];

/** A claim: who holds the row and until when (epoch ms). Never part of a domain object. */
export interface Lease {
  leaseOwner?: string;
  leaseUntil?: number;
}

/**
 * Roles are stored as pairs, not as an object keyed by role name: role names are user words, and
 * MongoDB restricts field names with dots or a leading $ (older servers refuse them outright).
 */
export interface RolePair {
  name: string;
  userId: string;
}
export interface IncidentDoc extends Omit<Incident, 'roles'> {
  roles: RolePair[];
}
export interface EventDoc extends TimelineEvent {
  seq: number;
}
export type TranscriptDoc = TranscriptMessage;
export interface EffectDoc extends Effect, Lease {
  state: EffectState;
  /** Set by the SQLite import ("sqlite:<id>"), so running it again finds the effect it copied. */
  importedFrom?: string;
  /** Effects of later changes folded into this one (see Writes.coalesce). */
  coalesced?: number;
}
export interface EscalationDoc extends Escalation, Lease {
  seq: number;
}
export type PostmortemDoc = PostmortemVersion;
export interface CounterDoc {
  _id: string;
  /** The last value handed out. */
  last: number;
}

/** Fields of ours in each collection: stripped when reading a domain object back. */
export const HIDDEN = {
  event: ['seq'],
  effect: ['state', 'leaseOwner', 'leaseUntil', 'importedFrom', 'coalesced'],
  escalation: ['seq', 'leaseOwner', 'leaseUntil'],
} as const;

// Untyped literals, so each Schema<T> checks them against its own document type.
const OPTIONS = {
  strict: 'throw',
  minimize: false,
  versionKey: false,
  id: false,
  autoIndex: false,
  autoCreate: false,
  bufferCommands: false,
} as const;
const SUB = { _id: false, strict: 'throw', minimize: false, id: false } as const;

const str = { type: String, required: true } as const;
const num = { type: Number, required: true } as const;
const int = { type: Number, required: true, validate: Number.isSafeInteger } as const;
const bool = { type: Boolean, required: true } as const;
const strings = { type: [String], required: true } as const;
/** An optional array stays absent: mongoose would otherwise default it to []. */
const optionalStrings = { type: [String], default: undefined } as const;

/**
 * Required, but '' allowed (a Slack message may have no text): mongoose's `required` rejects '' for
 * strings, so these paths check only that a string is there.
 */
function allowEmpty(schema: Schema, ...paths: string[]): void {
  for (const path of paths) {
    (schema.path(path) as SchemaType & { checkRequired(v: unknown): boolean }).checkRequired = (v) => typeof v === 'string';
  }
}

function isScalarRecord(value: unknown): boolean {
  const scalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(scalar);
}

function isStringRecord(value: unknown): boolean {
  return value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string'));
}

function isEffectSpec(value: unknown): value is EffectSpec {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}

const incident = new Schema<IncidentDoc>(
  {
    id: str,
    number: int,
    teamId: str,
    title: str,
    description: String,
    severity: { type: String, required: true, enum: SEVERITIES },
    status: { type: String, required: true, enum: STATUSES },
    commanderId: str,
    declaredBy: str,
    roles: { type: [new Schema({ name: str, userId: str }, SUB)], required: true },
    impact: String,
    rootCause: String,
    resolutionSummary: String,
    conclusion: String,
    isPrivate: bool,
    declaredAt: num,
    resolvedAt: Number,
    closedAt: Number,
    chat: new Schema({ channelId: str, channelName: str, headerTs: String }, SUB),
    confluencePage: new Schema({ pageId: str, title: str, url: str, version: int, exportedAt: num, blocks: { type: Schema.Types.Mixed, validate: isStringRecord } }, SUB),
    declarerReplyUrl: String,
    declaredFromChannelId: String,
    announcement: new Schema({ channelId: str, ts: str }, SUB),
    latestUpdate: new Schema({ at: num, by: str, text: str }, SUB),
    reminders: new Schema({ due: { type: new Schema({ update: Number, roles: Number, severity: Number }, SUB), required: true }, stoppedBy: String }, SUB),
    tickets: {
      type: [
        new Schema(
          {
            actionSourceId: str,
            key: str,
            url: str,
            state: { type: String, required: true, enum: ['open', 'done', 'wont_do'] },
            statusName: str,
            createdAt: num,
            checkedAt: num,
            gone: Boolean,
          },
          SUB,
        ),
      ],
      default: undefined,
    },
    ticketSyncDue: Number,
    updatedAt: num,
  },
  { ...OPTIONS, collection: 'incidents' },
);
incident.index({ id: 1 }, { unique: true });
incident.index({ teamId: 1, number: 1 }, { unique: true });
incident.index({ 'chat.channelId': 1, declaredAt: -1 });
// listOpenIncidents: one team, newest first; closed ones are filtered while walking it.
incident.index({ teamId: 1, declaredAt: -1, number: -1 });

const event = new Schema<EventDoc>(
  {
    id: str,
    incidentId: str,
    kind: { type: String, required: true, enum: TIMELINE_KINDS },
    at: num,
    recordedAt: num,
    actorId: String,
    text: str,
    sourceId: str,
    data: { type: Schema.Types.Mixed, validate: isScalarRecord },
    seq: int,
  },
  { ...OPTIONS, collection: 'timeline_events' },
);
allowEmpty(event, 'text');
// The unique sourceId is what makes every write idempotent: a raced duplicate fails here.
event.index({ sourceId: 1 }, { unique: true });
event.index({ incidentId: 1, at: 1, recordedAt: 1, seq: 1 });
event.index({ incidentId: 1, kind: 1, at: 1, recordedAt: 1, seq: 1 }); // listCorrections

const transcript = new Schema<TranscriptDoc>(
  {
    channelId: str,
    ts: str,
    threadTs: String,
    userId: str,
    authorName: String,
    text: str,
    at: num,
    editedAt: Number,
    deleted: bool,
    pushpinnedBy: strings,
    pinned: bool,
  },
  { ...OPTIONS, collection: 'transcript_messages' },
);
allowEmpty(transcript, 'text');
transcript.index({ channelId: 1, ts: 1 }, { unique: true });

const effect = new Schema<EffectDoc>(
  {
    id: int,
    incidentId: str,
    spec: { type: Schema.Types.Mixed, required: true, validate: isEffectSpec },
    attempts: int,
    notBefore: num,
    lastError: String,
    createdAt: num,
    startedAt: Number,
    state: { type: String, required: true, enum: EFFECT_STATES },
    leaseOwner: String,
    leaseUntil: Number,
    importedFrom: String,
    coalesced: Number,
  },
  { ...OPTIONS, collection: 'effects' },
);
effect.index({ id: 1 }, { unique: true });
effect.index({ incidentId: 1, state: 1, id: 1 });
effect.index({ state: 1, notBefore: 1, id: 1 });
effect.index({ importedFrom: 1 }, { unique: true, sparse: true });

const level = new Schema({ userIds: strings, usergroupIds: strings, timeoutMs: Number }, SUB);
const notice = new Schema({ userId: str, channelId: String, ts: String, error: String }, SUB);
const page = new Schema({ level: int, pagedAt: num, userIds: optionalStrings, notices: { type: [notice], required: true }, timedOutAt: Number }, SUB);
const target = new Schema({ kind: { type: String, required: true, enum: ['user', 'usergroup', 'policy'] }, id: String, handle: String, name: String }, SUB);

const escalation = new Schema<EscalationDoc>(
  {
    id: str,
    incidentId: str,
    target: { type: target, required: true },
    levels: { type: [level], required: true },
    reason: String,
    requestedBy: str,
    trigger: { type: String, required: true, enum: ['manual', 'automatic'] },
    createdAt: num,
    state: { type: String, required: true, enum: ESCALATION_STATES },
    currentLevel: int,
    deadlineAt: Number,
    pages: { type: [page], required: true },
    acknowledgedBy: String,
    acknowledgedAt: Number,
    endedAt: Number,
    version: int,
    seq: int,
    leaseOwner: String,
    leaseUntil: Number,
  },
  { ...OPTIONS, collection: 'escalations' },
);
escalation.index({ id: 1 }, { unique: true });
escalation.index({ incidentId: 1, createdAt: 1, seq: 1 });
// Claims and the next deadline look only at paging ones, earliest deadline first.
escalation.index({ state: 1, deadlineAt: 1, seq: 1 });

const postmortem = new Schema<PostmortemDoc>({ incidentId: str, version: int, markdown: str, createdAt: num }, { ...OPTIONS, collection: 'postmortems' });
postmortem.index({ incidentId: 1, version: 1 }, { unique: true });

const counter = new Schema<CounterDoc>({ _id: String, last: int }, { ...OPTIONS, collection: 'counters' });

export interface Models {
  incident: Model<IncidentDoc>;
  event: Model<EventDoc>;
  transcript: Model<TranscriptDoc>;
  effect: Model<EffectDoc>;
  escalation: Model<EscalationDoc>;
  postmortem: Model<PostmortemDoc>;
  counter: Model<CounterDoc>;
}

/** Models bound to this connection only (never the global mongoose default connection). */
export function createModels(connection: Connection): Models {
  return {
    incident: connection.model<IncidentDoc>('Incident', incident),
    event: connection.model<EventDoc>('TimelineEvent', event),
    transcript: connection.model<TranscriptDoc>('TranscriptMessage', transcript),
    effect: connection.model<EffectDoc>('Effect', effect),
    escalation: connection.model<EscalationDoc>('Escalation', escalation),
    postmortem: connection.model<PostmortemDoc>('Postmortem', postmortem),
    counter: connection.model<CounterDoc>('Counter', counter),
  };
}

/** Creates every collection (a transaction should not be the first to write one) and its indexes. */
export async function ensureCollections(models: Models): Promise<void> {
  for (const model of Object.values(models) as Model<unknown>[]) {
    await model.createCollection();
    await model.createIndexes();
  }
}
