// Reading a whole SQLite store, incident by incident, for the migration to MongoDB. Not part of the
// port (the bot never needs it): read-only queries on a read-only connection of their own.

import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { Incident } from '../../domain/incident';
import type { IncidentBundle } from '../../ports/incident-store';
import * as escalationRows from './escalation-rows';
import { MIGRATIONS, schemaVersion } from './migrations';
import * as rows from './rows';

export type { IncidentBundle };

function prepare(db: Database.Database) {
  return {
    incidents: db.prepare<[], rows.IncidentRow>('SELECT doc FROM incidents ORDER BY team_id, number'),
    timeline: db.prepare<[string], rows.EventRow>(`SELECT ${rows.EVENT_COLUMNS} FROM timeline_events WHERE incident_id = ? ORDER BY seq`),
    transcript: db.prepare<[string], rows.TranscriptRow>(`SELECT ${rows.TRANSCRIPT_COLUMNS} FROM transcript_messages WHERE channel_id = ? ORDER BY ts`),
    escalations: db.prepare<[string], escalationRows.EscalationRow>('SELECT doc, version FROM escalations WHERE incident_id = ? ORDER BY rowid'),
    postmortems: db.prepare<[string], rows.PostmortemRow>(`SELECT ${rows.POSTMORTEM_COLUMNS} FROM postmortems WHERE incident_id = ? ORDER BY version`),
    pendingEffects: db.prepare<[string], rows.EffectRow>(`SELECT ${rows.EFFECT_COLUMNS} FROM effects WHERE incident_id = ? AND state = 'pending' ORDER BY id`),
  };
}

export class SqliteExport {
  private readonly sql: ReturnType<typeof prepare>;

  /**
   * Opens an existing file read-only. It must be at this build's schema version: an older file is
   * upgraded by opening it once with the bot (SqliteIncidentStore.open), not by an export.
   */
  static open(file: string): SqliteExport {
    if (!fs.existsSync(file)) throw new Error(`no SQLite file at ${file}`);
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000'); // the bot may be writing; WAL lets us read meanwhile
      const version = schemaVersion(db);
      const latest = MIGRATIONS.length;
      if (version !== latest) {
        throw new Error(`${file} is at schema version ${version}, this build reads version ${latest}: start the bot on it once to upgrade it`);
      }
      return new SqliteExport(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private constructor(private readonly db: Database.Database) {
    this.sql = prepare(db);
  }

  /** Every incident, by team and number, with its dependents; read one incident at a time. */
  *bundles(): Generator<IncidentBundle> {
    // Read the incident list first: a generator must not hold an open statement iterator while the
    // caller runs other statements on this connection between yields.
    for (const row of this.sql.incidents.all()) yield this.bundle(rows.toIncident(row));
  }

  private bundle(incident: Incident): IncidentBundle {
    const channelId = incident.chat?.channelId;
    return {
      incident,
      timeline: this.sql.timeline.all(incident.id).map(rows.toEvent),
      transcript: channelId ? this.sql.transcript.all(channelId).map(rows.toTranscriptMessage) : [],
      escalations: this.sql.escalations.all(incident.id).map(escalationRows.toEscalation),
      postmortems: this.sql.postmortems.all(incident.id).map(rows.toPostmortem),
      pendingEffects: this.sql.pendingEffects.all(incident.id).map(rows.toEffect),
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
