// Row shapes of the SQLite schema, the statements that read and write them, and their mapping to
// and from domain objects. Nothing outside this directory sees a row: NULL columns become absent
// properties, 0/1 become booleans.

import type BetterSqlite3 from 'better-sqlite3';
import type { Effect, EffectSpec } from '../../domain/effects';
import type { Incident } from '../../domain/incident';
import type { EventData, TimelineEvent, TimelineKind } from '../../domain/timeline';
import type { TranscriptMessage } from '../../domain/transcript';
import type { PostmortemVersion } from '../../ports/incident-store';
import { readIncident } from '../incident-schema';

// ── incidents ──────────────────────────────────────────────────────────────────────────────────

export interface IncidentRow {
  doc: string;
}

/** Parameters of an incident insert/update: the JSON document plus the columns queried on. */
export interface IncidentParams extends IncidentRow {
  id: string;
  team_id: string;
  number: number;
  status: string;
  channel_id: string | null;
  declared_at: number;
}

export function incidentParams(incident: Incident): IncidentParams {
  return {
    id: incident.id,
    team_id: incident.teamId,
    number: incident.number,
    status: incident.status,
    channel_id: incident.chat?.channelId ?? null,
    declared_at: incident.declaredAt,
    // JSON drops undefined-valued keys, which is what makes absent optional fields stay absent.
    doc: JSON.stringify(incident),
  };
}

/**
 * Incident id → the stored document last found valid. Every change reads its incident, so the
 * schema check (readIncident) runs once per version of a document, not once per read: the same
 * text is the same, already checked, document. Bounded, oldest first out.
 */
const checkedDocs = new Map<string, string>();
const CHECKED_DOCS_MAX = 1000;

export function toIncident(row: IncidentRow): Incident {
  const parsed = JSON.parse(row.doc) as Incident;
  if (checkedDocs.get(parsed.id) === row.doc) return parsed;
  const incident = readIncident(parsed);
  if (checkedDocs.size >= CHECKED_DOCS_MAX) checkedDocs.delete(checkedDocs.keys().next().value as string);
  checkedDocs.set(incident.id, row.doc);
  return incident;
}

// ── timeline ───────────────────────────────────────────────────────────────────────────────────

export const EVENT_COLUMNS = 'id, incident_id, kind, at, recorded_at, actor_id, text, source_id, data';

export interface EventRow {
  id: string;
  incident_id: string;
  kind: string;
  at: number;
  recorded_at: number;
  actor_id: string | null;
  text: string;
  source_id: string;
  data: string | null;
}

export function eventRow(event: TimelineEvent): EventRow {
  return {
    id: event.id,
    incident_id: event.incidentId,
    kind: event.kind,
    at: event.at,
    recorded_at: event.recordedAt,
    actor_id: event.actorId ?? null,
    text: event.text,
    source_id: event.sourceId,
    data: event.data === undefined ? null : JSON.stringify(event.data),
  };
}

export function toEvent(row: EventRow): TimelineEvent {
  return {
    id: row.id,
    incidentId: row.incident_id,
    kind: row.kind as TimelineKind,
    at: row.at,
    recordedAt: row.recorded_at,
    ...(row.actor_id !== null && { actorId: row.actor_id }),
    text: row.text,
    sourceId: row.source_id,
    ...(row.data !== null && { data: JSON.parse(row.data) as EventData }),
  };
}

// ── transcript ─────────────────────────────────────────────────────────────────────────────────

export const TRANSCRIPT_COLUMNS = 'channel_id, ts, thread_ts, user_id, author_name, text, at, edited_at, deleted, pushpinned_by, pinned';

export interface TranscriptRow {
  channel_id: string;
  ts: string;
  thread_ts: string | null;
  user_id: string;
  author_name: string | null;
  text: string;
  at: number;
  edited_at: number | null;
  deleted: 0 | 1;
  pushpinned_by: string;
  pinned: 0 | 1;
}

export function transcriptRow(message: TranscriptMessage): TranscriptRow {
  return {
    channel_id: message.channelId,
    ts: message.ts,
    thread_ts: message.threadTs ?? null,
    user_id: message.userId,
    author_name: message.authorName ?? null,
    text: message.text,
    at: message.at,
    edited_at: message.editedAt ?? null,
    deleted: message.deleted ? 1 : 0,
    pushpinned_by: JSON.stringify(message.pushpinnedBy),
    pinned: message.pinned ? 1 : 0,
  };
}

export function toTranscriptMessage(row: TranscriptRow): TranscriptMessage {
  return {
    channelId: row.channel_id,
    ts: row.ts,
    ...(row.thread_ts !== null && { threadTs: row.thread_ts }),
    userId: row.user_id,
    ...(row.author_name !== null && { authorName: row.author_name }),
    text: row.text,
    at: row.at,
    ...(row.edited_at !== null && { editedAt: row.edited_at }),
    deleted: row.deleted === 1,
    pushpinnedBy: JSON.parse(row.pushpinned_by) as string[],
    pinned: row.pinned === 1,
  };
}

// ── effects ────────────────────────────────────────────────────────────────────────────────────

// Not lease_owner/lease_until: the claim is the runner's bookkeeping, never part of an Effect.
export const EFFECT_COLUMNS = 'id, incident_id, spec, attempts, not_before, last_error, created_at, started_at';

export interface EffectRow {
  id: number;
  incident_id: string;
  spec: string;
  attempts: number;
  not_before: number;
  last_error: string | null;
  created_at: number;
  started_at: number | null;
}

export type NewEffectRow = Pick<EffectRow, 'incident_id' | 'spec' | 'not_before' | 'created_at'>;

export function newEffectRow(incidentId: string, spec: EffectSpec, notBefore: number, createdAt: number): NewEffectRow {
  return { incident_id: incidentId, spec: JSON.stringify(spec), not_before: notBefore, created_at: createdAt };
}

export function toEffect(row: EffectRow): Effect {
  return {
    id: row.id,
    incidentId: row.incident_id,
    spec: JSON.parse(row.spec) as EffectSpec,
    attempts: row.attempts,
    notBefore: row.not_before,
    ...(row.last_error !== null && { lastError: row.last_error }),
    createdAt: row.created_at,
    ...(row.started_at !== null && { startedAt: row.started_at }),
  };
}

// ── postmortems ────────────────────────────────────────────────────────────────────────────────

export const POSTMORTEM_COLUMNS = 'incident_id, version, markdown, created_at';

export interface PostmortemRow {
  incident_id: string;
  version: number;
  markdown: string;
  created_at: number;
}

export function toPostmortem(row: PostmortemRow): PostmortemVersion {
  return { incidentId: row.incident_id, version: row.version, markdown: row.markdown, createdAt: row.created_at };
}

// ── statements ─────────────────────────────────────────────────────────────────────────────────

/** Every statement is prepared once, at open: the write path runs thousands of times a second. */
export function prepareStatements(db: BetterSqlite3.Database) {
  const incidentDoc = 'SELECT doc FROM incidents';
  return {
    ping: db.prepare<[], number>('SELECT 1').pluck(),
    nextNumber: db
      .prepare<[string], number>(
        `INSERT INTO team_counters (team_id, last_number) VALUES (?, 1)
         ON CONFLICT (team_id) DO UPDATE SET last_number = last_number + 1 RETURNING last_number`,
      )
      .pluck(),
    insertIncident: db.prepare<[IncidentParams]>(
      `INSERT INTO incidents (id, team_id, number, status, channel_id, declared_at, doc)
       VALUES (@id, @team_id, @number, @status, @channel_id, @declared_at, @doc)`,
    ),
    updateIncident: db.prepare<[IncidentParams]>('UPDATE incidents SET status = @status, channel_id = @channel_id, doc = @doc WHERE id = @id'),
    incidentById: db.prepare<[string], IncidentRow>(`${incidentDoc} WHERE id = ?`),
    incidentIdByChannel: db.prepare<[string], string>('SELECT id FROM incidents WHERE channel_id = ? ORDER BY declared_at DESC LIMIT 1').pluck(),
    incidentByChannel: db.prepare<[string], IncidentRow>(`${incidentDoc} WHERE channel_id = ? ORDER BY declared_at DESC LIMIT 1`),
    // `status <> 'closed'` spelled exactly as in the partial index, so the planner can use it.
    openIncidents: db.prepare<[string], IncidentRow>(`${incidentDoc} WHERE team_id = ? AND status <> 'closed' ORDER BY declared_at DESC, number DESC`),
    closedIncidents: db.prepare<[string, number], IncidentRow>(`${incidentDoc} WHERE team_id = ? AND status = 'closed' ORDER BY declared_at DESC, number DESC LIMIT ?`),

    insertEvent: db.prepare<[EventRow]>(
      `INSERT INTO timeline_events (${EVENT_COLUMNS})
       VALUES (@id, @incident_id, @kind, @at, @recorded_at, @actor_id, @text, @source_id, @data)`,
    ),
    eventBySource: db.prepare<[string], EventRow>(`SELECT ${EVENT_COLUMNS} FROM timeline_events WHERE source_id = ?`),
    timeline: db.prepare<[string], EventRow>(`SELECT ${EVENT_COLUMNS} FROM timeline_events WHERE incident_id = ? ORDER BY at, recorded_at, seq`),
    corrections: db.prepare<[string], EventRow>(`SELECT ${EVENT_COLUMNS} FROM timeline_events WHERE incident_id = ? AND kind = 'correction' ORDER BY at, recorded_at, seq`),
    updateEvent: db.prepare<[{ source_id: string; text: string | null; at: number | null }], EventRow>(
      `UPDATE timeline_events SET text = coalesce(@text, text), at = coalesce(@at, at)
       WHERE source_id = @source_id RETURNING ${EVENT_COLUMNS}`,
    ),
    deleteEvent: db.prepare<[string]>('DELETE FROM timeline_events WHERE source_id = ?'),

    // count(*) and max(at) straight from timeline_by_incident (incident_id, at, …): no row is read.
    timelineSummary: db.prepare<[string], { entries: number; latest_at: number | null }>(
      'SELECT count(*) AS entries, max(at) AS latest_at FROM timeline_events WHERE incident_id = ?',
    ),

    upsertTranscript: db.prepare<[TranscriptRow]>(
      `INSERT INTO transcript_messages (${TRANSCRIPT_COLUMNS})
       VALUES (@channel_id, @ts, @thread_ts, @user_id, @author_name, @text, @at, @edited_at, @deleted, @pushpinned_by, @pinned)
       ON CONFLICT (channel_id, ts) DO UPDATE SET thread_ts = excluded.thread_ts, user_id = excluded.user_id, author_name = excluded.author_name,
         text = excluded.text, at = excluded.at, edited_at = excluded.edited_at, deleted = excluded.deleted,
         pushpinned_by = excluded.pushpinned_by, pinned = excluded.pinned`,
    ),
    // A redelivered (or late) message event never undoes an edit, a deletion or a mark.
    recordPosted: db.prepare<[Pick<TranscriptRow, 'channel_id' | 'ts' | 'thread_ts' | 'user_id' | 'author_name' | 'text' | 'at'>]>(
      `INSERT INTO transcript_messages (${TRANSCRIPT_COLUMNS})
       VALUES (@channel_id, @ts, @thread_ts, @user_id, @author_name, @text, @at, NULL, 0, '[]', 0)
       ON CONFLICT (channel_id, ts) DO UPDATE SET thread_ts = excluded.thread_ts, user_id = excluded.user_id,
         author_name = excluded.author_name, at = excluded.at,
         text = CASE WHEN edited_at IS NULL THEN excluded.text ELSE text END`,
    ),
    transcriptMessage: db.prepare<[string, string], TranscriptRow>(`SELECT ${TRANSCRIPT_COLUMNS} FROM transcript_messages WHERE channel_id = ? AND ts = ?`),

    insertEffect: db.prepare<[NewEffectRow]>(`INSERT INTO effects (incident_id, spec, not_before, created_at) VALUES (@incident_id, @spec, @not_before, @created_at)`),
    pendingUnclaimedOfKind: db
      .prepare<[{ incident_id: string; kind: string; not_before: number }], number>(
        `SELECT 1 FROM effects WHERE incident_id = @incident_id AND state = 'pending' AND lease_owner IS NULL
           AND not_before <= @not_before AND json_extract(spec, '$.kind') = @kind LIMIT 1`,
      )
      .pluck(),

    // One statement reads the max and inserts, inside the caller's transaction: no gaps, no clashes.
    insertPostmortem: db.prepare<[{ incident_id: string; markdown: string; created_at: number }], PostmortemRow>(
      `INSERT INTO postmortems (${POSTMORTEM_COLUMNS})
       SELECT @incident_id, coalesce(max(version), 0) + 1, @markdown, @created_at FROM postmortems WHERE incident_id = @incident_id
       RETURNING ${POSTMORTEM_COLUMNS}`,
    ),
    latestPostmortem: db.prepare<[string], PostmortemRow>(`SELECT ${POSTMORTEM_COLUMNS} FROM postmortems WHERE incident_id = ? ORDER BY version DESC LIMIT 1`),
    postmortem: db.prepare<[string, number], PostmortemRow>(`SELECT ${POSTMORTEM_COLUMNS} FROM postmortems WHERE incident_id = ? AND version = ?`),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
