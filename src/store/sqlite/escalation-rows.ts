// Escalation rows and statements. The JSON document is the source of truth for every field except
// `version`, which lives only in its column: the optimistic-concurrency UPDATE compares and bumps
// it there, so a document can never disagree with it. The lease (lease_owner, lease_until) is the
// timeout poller's bookkeeping and never reaches the domain object.

import type BetterSqlite3 from 'better-sqlite3';
import type { Escalation, NewEscalation } from '../../domain/escalation';
import { EscalationConflictError, type EscalationWrite } from '../../ports/incident-store';

export interface EscalationRow {
  doc: string;
  version: number;
}

/** Insert/update parameters: the document plus the columns queried on. */
export interface EscalationParams extends EscalationRow {
  id: string;
  incident_id: string;
  state: string;
  deadline_at: number | null;
  created_at: number;
}

/** A claimed row, with what RETURNING needs to restore the claim order (it returns rows in any order). */
interface ClaimedRow extends EscalationRow {
  deadline_at: number; // never NULL: the claim only matches deadline_at <= now
  seq: number;
}

export function escalationParams(escalation: NewEscalation | Escalation, version: number): EscalationParams {
  // Any version the caller passes is dropped: the store decides it (1 on create, expected + 1 on update).
  const { version: _ignored, ...doc }: NewEscalation & { version?: number } = escalation;
  return {
    id: doc.id,
    incident_id: doc.incidentId,
    state: doc.state,
    deadline_at: doc.deadlineAt ?? null,
    created_at: doc.createdAt,
    version,
    // JSON drops undefined-valued keys, so absent optional fields stay absent.
    doc: JSON.stringify(doc),
  };
}

export function toEscalation(row: EscalationRow): Escalation {
  return { ...(JSON.parse(row.doc) as NewEscalation), version: row.version };
}

const SELECT = 'SELECT doc, version FROM escalations';

export function prepareEscalationStatements(db: BetterSqlite3.Database) {
  return {
    insert: db.prepare<[EscalationParams]>(
      `INSERT INTO escalations (id, incident_id, state, deadline_at, version, created_at, doc)
       VALUES (@id, @incident_id, @state, @deadline_at, @version, @created_at, @doc)`,
    ),
    // incident_id is in the WHERE, not the SET: an escalation never moves to another incident.
    update: db.prepare<[EscalationParams & { expected_version: number }]>(
      `UPDATE escalations SET state = @state, deadline_at = @deadline_at, version = @version,
         created_at = @created_at, doc = @doc, lease_owner = NULL, lease_until = NULL
       WHERE id = @id AND incident_id = @incident_id AND version = @expected_version`,
    ),
    byId: db.prepare<[string], EscalationRow>(`${SELECT} WHERE id = ?`),
    // Served by escalations_by_incident; the rowid (insertion order) breaks createdAt ties.
    byIncident: db.prepare<[string], EscalationRow>(`${SELECT} WHERE incident_id = ? ORDER BY created_at, rowid`),
    // One statement, so SQLite runs it atomically: two connections never both see a row unclaimed.
    // `state = 'paging'` spelled as in the partial index, so the inner SELECT walks that index.
    claimDue: db.prepare<[{ now: number; owner: string; lease_until: number; limit: number }], ClaimedRow>(
      `UPDATE escalations SET lease_owner = @owner, lease_until = @lease_until
       WHERE rowid IN (
         SELECT rowid FROM escalations
         WHERE state = 'paging' AND deadline_at <= @now AND (lease_until IS NULL OR lease_until <= @now)
         ORDER BY deadline_at, rowid LIMIT @limit)
       RETURNING doc, version, deadline_at, rowid AS seq`,
    ),
    release: db.prepare<[string, string]>('UPDATE escalations SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?'),
    nextDeadline: db.prepare<[], number | null>(`SELECT min(deadline_at) FROM escalations WHERE state = 'paging'`).pluck(),
  };
}

export type EscalationStatements = ReturnType<typeof prepareEscalationStatements>;

/** Claimed rows in deadline order (then insertion order), as domain objects. */
export function claimedInOrder(claimed: ClaimedRow[]): Escalation[] {
  return claimed.sort((a, b) => a.deadline_at - b.deadline_at || a.seq - b.seq).map(toEscalation);
}

/**
 * One write of an incident change, inside the caller's transaction: a throw rolls the whole change
 * back. Creating an id that exists fails on the primary key; an update that matches no row (stale
 * version, unknown id) is a conflict. Returns the escalation as stored.
 */
export function writeEscalation(sql: EscalationStatements, incidentId: string, write: EscalationWrite): Escalation {
  const { escalation, expectedVersion } = write;
  if (escalation.incidentId !== incidentId) {
    throw new Error(`Escalation ${escalation.id} belongs to incident ${escalation.incidentId}, not ${incidentId}`);
  }
  if (expectedVersion === null) {
    const params = escalationParams(escalation, 1);
    sql.insert.run(params);
    return toEscalation(params);
  }
  const params = escalationParams(escalation, expectedVersion + 1);
  if (sql.update.run({ ...params, expected_version: expectedVersion }).changes === 0) {
    throw new EscalationConflictError(escalation.id);
  }
  return toEscalation(params);
}
