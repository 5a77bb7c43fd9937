// Schema migrations, tracked with `PRAGMA user_version`: opening an older file upgrades it in place,
// opening a current one is a no-op. Append new migrations; never edit one that has shipped.

import type BetterSqlite3 from 'better-sqlite3';

export interface Migration {
  /** Becomes `user_version` once applied: 1, 2, 3 … in order. */
  version: number;
  description: string;
  sql: string;
}

const INITIAL_SCHEMA = `
  -- The incident document is the source of truth (doc, JSON), so every field round-trips exactly,
  -- absent optional ones included. The other columns are copies of the fields we query on.
  CREATE TABLE incidents (
    id          TEXT PRIMARY KEY,
    team_id     TEXT NOT NULL,
    number      INTEGER NOT NULL,
    status      TEXT NOT NULL,
    channel_id  TEXT,
    declared_at INTEGER NOT NULL,
    doc         TEXT NOT NULL,
    UNIQUE (team_id, number)
  );
  -- Partial index: listOpenIncidents only ever asks for the not-closed ones, newest first.
  CREATE INDEX incidents_open_by_team ON incidents (team_id, declared_at, number) WHERE status <> 'closed';
  CREATE INDEX incidents_by_channel ON incidents (channel_id);

  -- Last number handed out per workspace; bumped in the same transaction as the insert.
  CREATE TABLE team_counters (
    team_id     TEXT PRIMARY KEY,
    last_number INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE timeline_events (
    seq         INTEGER PRIMARY KEY, -- insertion order: breaks ties between equal times (stable under VACUUM)
    id          TEXT NOT NULL UNIQUE,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    kind        TEXT NOT NULL,
    at          INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,
    actor_id    TEXT,
    text        TEXT NOT NULL,
    source_id   TEXT NOT NULL UNIQUE,
    data        TEXT
  );
  -- Serves the whole ORDER BY of listTimeline (the rowid, seq, is implicitly last).
  CREATE INDEX timeline_by_incident ON timeline_events (incident_id, at, recorded_at);

  CREATE TABLE transcript_messages (
    channel_id    TEXT NOT NULL,
    ts            TEXT NOT NULL,
    thread_ts     TEXT,
    user_id       TEXT NOT NULL,
    text          TEXT NOT NULL,
    at            INTEGER NOT NULL,
    edited_at     INTEGER,
    deleted       INTEGER NOT NULL,
    pushpinned_by TEXT NOT NULL,
    pinned        INTEGER NOT NULL,
    PRIMARY KEY (channel_id, ts)
  ) WITHOUT ROWID;

  CREATE TABLE deliveries (
    id      TEXT PRIMARY KEY,
    seen_at INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE effects (
    id          INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused, so an id in a log stays unambiguous
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    spec        TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    not_before  INTEGER NOT NULL,
    last_error  TEXT,
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'abandoned')),
    created_at  INTEGER NOT NULL
  );
  -- Only pending effects are ever looked up, and finished ones pile up: keep them out of the indexes.
  CREATE INDEX effects_pending_by_incident ON effects (incident_id) WHERE state = 'pending';
  CREATE INDEX effects_pending_due ON effects (not_before) WHERE state = 'pending';

  CREATE TABLE postmortems (
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    version     INTEGER NOT NULL,
    markdown    TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (incident_id, version)
  ) WITHOUT ROWID;
`;

const ESCALATIONS = `
  -- doc (JSON) holds every field but the version, which lives only in its column: the optimistic
  -- UPDATE compares and bumps it there. lease_owner/lease_until: the timeout poller's claim, not domain state.
  CREATE TABLE escalations (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    state       TEXT NOT NULL,
    deadline_at INTEGER,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER,
    doc         TEXT NOT NULL
  );
  -- listEscalations in creation order (the rowid, insertion order, is implicitly last).
  CREATE INDEX escalations_by_incident ON escalations (incident_id, created_at);
  -- Claims and the next deadline only ever look at paging ones; ended escalations stay out of it.
  CREATE INDEX escalations_paging_by_deadline ON escalations (deadline_at) WHERE state = 'paging';
`;

const EFFECT_LEASES = `
  -- The effect runner's claim (claimEffect), so two processes sharing the file never carry out one
  -- effect twice. Not domain state: never read into an Effect. Both NULL when nobody holds it.
  ALTER TABLE effects ADD COLUMN lease_owner TEXT;
  ALTER TABLE effects ADD COLUMN lease_until INTEGER;
`;

const EFFECT_STARTS = `
  -- When a runner first claimed the effect (domain state: Effect.startedAt). Effects claimed or
  -- retried before this column existed may have reached Slack too; their start time is unknown, so
  -- they are marked with their creation time.
  ALTER TABLE effects ADD COLUMN started_at INTEGER;
  UPDATE effects SET started_at = created_at WHERE state = 'pending' AND (lease_owner IS NOT NULL OR attempts > 0);
`;

const NO_DELIVERY_LOG = `
  -- Every event's id, kept for operators only (idempotency is by source id). Log lines now carry
  -- Slack's retry number, and the table grew by a row per event for good.
  DROP TABLE deliveries;
`;

const TRANSCRIPT_AUTHOR_NAMES = `
  -- Messages of integrations (alerts: no person posted them) carry the name Slack shows for them.
  ALTER TABLE transcript_messages ADD COLUMN author_name TEXT;
`;

const CLOSED_BY_TEAM = `
  -- App Home lists a team's most recent closed incidents; the open-incident index leaves them out.
  CREATE INDEX incidents_closed_by_team ON incidents (team_id, declared_at, number) WHERE status = 'closed';
`;

const CORRECTIONS_BY_INCIDENT = `
  -- An entry's current text needs only its incident's corrections, not the whole timeline.
  CREATE INDEX timeline_corrections_by_incident ON timeline_events (incident_id, at, recorded_at) WHERE kind = 'correction';
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'initial schema', sql: INITIAL_SCHEMA },
  { version: 2, description: 'escalations', sql: ESCALATIONS },
  { version: 3, description: 'effect leases', sql: EFFECT_LEASES },
  { version: 4, description: 'effect start times', sql: EFFECT_STARTS },
  { version: 5, description: 'no delivery log', sql: NO_DELIVERY_LOG },
  { version: 6, description: 'transcript author names', sql: TRANSCRIPT_AUTHOR_NAMES },
  { version: 7, description: 'closed incidents by team', sql: CLOSED_BY_TEAM },
  { version: 8, description: 'corrections by incident', sql: CORRECTIONS_BY_INCIDENT },
];

export function schemaVersion(db: BetterSqlite3.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Apply the migrations newer than the file's `user_version`, each in its own transaction together
 * with the version bump, so a failed migration leaves the file at the previous version. Refuses a
 * file written by a newer build rather than guessing at its schema. Returns the resulting version.
 */
export function migrate(db: BetterSqlite3.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`Database schema version ${current} is newer than this build supports (${latest})`);
  }
  for (const migration of migrations) {
    if (migration.version > current) applyMigration(db, migration);
  }
  return schemaVersion(db);
}

function applyMigration(db: BetterSqlite3.Database, migration: Migration): void {
  db.transaction(() => {
    db.exec(migration.sql);
    // PRAGMA takes no bound parameters; the version is an integer from our own list.
    db.pragma(`user_version = ${Math.trunc(migration.version)}`);
  }).immediate();
}
