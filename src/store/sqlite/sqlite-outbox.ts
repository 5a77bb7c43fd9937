// The embedded outbox: the `effects` table of the store's SQLite file. Effects are inserted by the
// store's change writes (change-writes.ts), in the change's savepoint; this works them. Every write
// goes through the store's write queue, so it commits with the batch it joins.

import type Database from 'better-sqlite3';

import type { Effect } from '../../domain/effects';
import type { Outbox } from '../../ports/outbox';
import { EFFECT_COLUMNS, toEffect, type EffectRow } from './rows';
import { ONE_STATEMENT, type WriteQueue } from './write-queue';

type ClaimParams = { id: number; owner: string; now: number; lease_until: number };

function prepareOutboxStatements(db: Database.Database) {
  return {
    pending: db.prepare<[string], EffectRow>(`SELECT ${EFFECT_COLUMNS} FROM effects WHERE incident_id = ? AND state = 'pending' ORDER BY id`),
    dueIncidents: db
      .prepare<[number], string>(
        `SELECT incident_id FROM effects WHERE state = 'pending' AND not_before <= ?
         GROUP BY incident_id ORDER BY min(id)`,
      )
      .pluck(),
    // One statement, so SQLite runs it atomically: two connections never both take the same effect.
    // started_at keeps the first claim's time: renewals and later attempts leave it alone.
    claim: db.prepare<[ClaimParams]>(
      `UPDATE effects SET lease_owner = @owner, lease_until = @lease_until, started_at = coalesce(started_at, @now)
       WHERE id = @id AND state = 'pending' AND not_before <= @now
         AND (lease_until IS NULL OR lease_until <= @now OR lease_owner = @owner)`,
    ),
    // The owner is still named unless another process claimed it or the claim was ended (retry,
    // complete, abandon), so a lapsed claim nobody took is held again, and a released one is not.
    renew: db.prepare<[Omit<ClaimParams, 'now'>]>(`UPDATE effects SET lease_until = @lease_until WHERE id = @id AND state = 'pending' AND lease_owner = @owner`),
    // Finishing or rescheduling an effect ends the claim on it.
    complete: db.prepare<[number]>(`UPDATE effects SET state = 'done', lease_owner = NULL, lease_until = NULL WHERE id = ?`),
    retry: db.prepare<[number, string, number]>(
      `UPDATE effects SET attempts = attempts + 1, not_before = ?, last_error = ?, lease_owner = NULL, lease_until = NULL
       WHERE id = ?`,
    ),
    abandon: db.prepare<[string, number]>(
      `UPDATE effects SET state = 'abandoned', attempts = attempts + 1, last_error = ?, lease_owner = NULL, lease_until = NULL
       WHERE id = ?`,
    ),
  };
}

export class SqliteOutbox implements Outbox {
  private readonly sql: ReturnType<typeof prepareOutboxStatements>;

  constructor(
    db: Database.Database,
    private readonly queue: WriteQueue,
  ) {
    this.sql = prepareOutboxStatements(db);
  }

  pending(incidentId: string): Promise<Effect[]> {
    return this.queue.read(() => this.sql.pending.all(incidentId).map(toEffect));
  }

  dueIncidents(now: number): Promise<string[]> {
    return this.queue.read(() => this.sql.dueIncidents.all(now));
  }

  /** Whichever connection's statement runs first takes it. Unknown id → false. */
  claim(effectId: number, owner: string, now: number, leaseMs: number): Promise<boolean> {
    return this.queue.write(() => this.sql.claim.run({ id: effectId, owner, now, lease_until: now + leaseMs }).changes === 1, ONE_STATEMENT);
  }

  renew(effectId: number, owner: string, now: number, leaseMs: number): Promise<boolean> {
    return this.queue.write(() => this.sql.renew.run({ id: effectId, owner, lease_until: now + leaseMs }).changes === 1, ONE_STATEMENT);
  }

  /** Keyed by id only (whoever holds the claim); an unknown id is a no-op. */
  complete(effectIds: readonly number[]): Promise<void> {
    return this.queue.write(() => {
      for (const id of effectIds) this.sql.complete.run(id);
    });
  }

  retry(effectId: number, notBefore: number, error: string): Promise<void> {
    return this.queue.write(() => void this.sql.retry.run(notBefore, error, effectId), ONE_STATEMENT);
  }

  abandon(effectId: number, error: string): Promise<void> {
    return this.queue.write(() => void this.sql.abandon.run(error, effectId), ONE_STATEMENT);
  }
}
