// Multi-document transactions. MongoDB runs them only on a replica set or a sharded cluster (Atlas
// always is one); a standalone mongod refuses them, which `connect` reports at startup.
//
// Not the driver's `withTransaction`: it retries transient errors for up to 120 s, and a network
// error inside a transaction is "transient", so an outage would hang each request for two minutes.
// Here write conflicts (another transaction touched the same document: a counter, the incident)
// are retried with backoff within a time budget, but an unreachable server fails at once.

import { setTimeout as sleep } from 'node:timers/promises';
import type { ClientSession, Connection } from 'mongoose';
import { hasErrorLabel, isUnavailable } from './errors';

const TRANSIENT = 'TransientTransactionError';
const UNKNOWN_COMMIT = 'UnknownTransactionCommitResult';
/** How long conflicting transactions keep retrying before the error reaches the caller. */
const RETRY_BUDGET_MS = 15_000;
const BACKOFF_MAX_MS = 200;

/**
 * Runs `work` in a transaction and commits it; any error thrown by `work` aborts it and nothing of
 * it is written. `work` may run more than once (after a write conflict), so it must not have side
 * effects outside the session.
 */
export async function inTransaction<T>(connection: Connection, work: (session: ClientSession) => Promise<T>): Promise<T> {
  const session = await connection.startSession();
  const deadline = Date.now() + RETRY_BUDGET_MS;
  const retry = (error: unknown) => hasErrorLabel(error, TRANSIENT) && !isUnavailable(error) && Date.now() < deadline;
  let unreachable = false;
  try {
    for (let attempt = 1; ; attempt += 1) {
      session.startTransaction({ readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } });
      let result: T;
      try {
        result = await work(session);
      } catch (error) {
        unreachable = isUnavailable(error);
        // A server that cannot be reached cannot be told to abort; it drops the transaction itself.
        if (!unreachable && session.inTransaction()) await session.abortTransaction().catch(() => undefined);
        if (retry(error)) {
          await backoff(attempt);
          continue;
        }
        throw error;
      }
      const committed = await commit(session, deadline);
      if (committed.ok) return result;
      unreachable = isUnavailable(committed.error);
      if (retry(committed.error)) {
        await backoff(attempt);
        continue;
      }
      throw committed.error;
    }
  } finally {
    const ending = session.endSession().catch(() => undefined);
    if (!unreachable) await ending;
  }
}

async function commit(session: ClientSession, deadline: number): Promise<{ ok: true } | { ok: false; error: unknown }> {
  for (;;) {
    try {
      await session.commitTransaction();
      return { ok: true };
    } catch (error) {
      // The commit may or may not have applied; committing again is safe (the server dedupes it).
      if (hasErrorLabel(error, UNKNOWN_COMMIT) && !isUnavailable(error) && Date.now() < deadline) continue;
      return { ok: false, error };
    }
  }
}

function backoff(attempt: number): Promise<void> {
  return sleep(Math.random() * Math.min(5 * 1.5 ** attempt, BACKOFF_MAX_MS));
}
