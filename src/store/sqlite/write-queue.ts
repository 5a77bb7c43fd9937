// Group commit for the store's one better-sqlite3 connection. better-sqlite3 runs every statement
// on the main thread, so one COMMIT per write, each waiting for the disk, would cap the whole bot at
// a few hundred writes a second. Instead, writes queue up and run together at the end of the
// event-loop turn (setImmediate) in ONE IMMEDIATE transaction, and the disk sync that makes them
// durable runs off the main thread (wal-sync.ts), shared by every batch committed meanwhile.
//
// - Each write runs in a SAVEPOINT of its own: one that throws rolls back only itself and rejects
//   only its own promise.
// - A write's promise settles only after its batch's COMMIT returned AND a sync begun after that
//   COMMIT finished, so "acknowledged ⇒ stored" holds: a use case that awaits a write before
//   answering Slack answers only once the write is on disk. If the COMMIT or the sync fails, every
//   write of the batch is rejected.
// - Reads run at once: they see every write whose promise has settled (callers await a write
//   before reading what it wrote), not the writes still queued. They may see a committed write
//   whose sync has not ended: it is never rolled back, only not yet acknowledged to anyone. Not
//   queueing them matters: a handler's reads and its writes then land in one batch, one sync.
// - Jobs run when the batch is flushed, not when they are queued, so the connection never holds the
//   write lock across an event-loop turn: another connection (another process, or a second store in
//   the same one) waits at most one flush, never on a transaction held open by pending callers.

import type BetterSqlite3 from 'better-sqlite3';

import { NO_SYNC, type Durability } from './wal-sync';

/** Flush at once when this many jobs wait, to bound a batch's latency and transaction size. */
const MAX_BATCH = 512;

/** For `write`: the job is a single statement (no savepoint needed). */
export const ONE_STATEMENT = { oneStatement: true } as const;

interface Job {
  run: () => unknown;
  /** One SQL statement: SQLite undoes a failed statement by itself, so no savepoint is needed. */
  oneStatement: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class WriteQueue {
  private queue: Job[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private readonly sql: Record<'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo', BetterSqlite3.Statement>;

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly durability: Durability = NO_SYNC,
    private readonly maxBatch = MAX_BATCH,
  ) {
    this.sql = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT job'),
      release: db.prepare('RELEASE job'),
      rollbackTo: db.prepare('ROLLBACK TO job'),
    };
  }

  /**
   * Runs `run` (synchronous SQL) in the next group commit; settles once that commit is on disk.
   * `oneStatement`: `run` executes a single statement, which needs no savepoint of its own (a
   * statement that fails a constraint is rolled back by SQLite, the transaction goes on).
   */
  write<T>(run: () => T, options: { oneStatement?: boolean } = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, oneStatement: options.oneStatement ?? false, resolve: resolve as (value: unknown) => void, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      else this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Runs `run` (reads only) now; see the header for what it sees. */
  read<T>(run: () => T): Promise<T> {
    try {
      return Promise.resolve(run());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Runs and commits everything queued now (synchronously); close() calls it before closing. */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const jobs = this.queue;
    this.queue = [];
    let next = 0;
    while (next < jobs.length) next = this.runTransaction(jobs, next);
  }

  /**
   * Runs jobs[from…] in one transaction, settles them, and returns the index of the first job it
   * did not cover: normally all of them, unless SQLite rolled the transaction back by itself.
   */
  private runTransaction(jobs: Job[], from: number): number {
    try {
      this.sql.begin.run();
    } catch (error) {
      // E.g. busy beyond busy_timeout, or the connection is closed: nothing of these ran.
      for (const job of jobs.slice(from)) job.reject(error);
      return jobs.length;
    }
    const outcomes: Outcome[] = [];
    for (let i = from; i < jobs.length; i++) {
      const outcome = this.runJob(jobs[i]);
      outcomes.push(outcome);
      if (!this.db.inTransaction) {
        // Some errors (I/O, disk full) make SQLite roll back the whole transaction: the earlier
        // jobs are lost with it. Reject them all; the rest go on in a new transaction.
        const error = outcome.ok ? new Error('SQLite rolled the transaction back') : outcome.error;
        for (const job of jobs.slice(from, i + 1)) job.reject(error);
        return i + 1;
      }
    }
    try {
      this.sql.commit.run();
    } catch (error) {
      this.rollbackQuietly();
      for (const job of jobs.slice(from)) job.reject(error);
      return jobs.length;
    }
    const batch = jobs.slice(from);
    const durable = outcomes.some((outcome) => outcome.ok) ? this.durability.sync() : Promise.resolve();
    batch.forEach((job, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) void durable.then(() => job.resolve(outcome.value), job.reject);
      else job.reject(outcome.error);
    });
    return jobs.length;
  }

  private runJob(job: Job): Outcome {
    if (job.oneStatement) {
      try {
        return { ok: true, value: job.run() };
      } catch (error) {
        return { ok: false, error };
      }
    }
    try {
      this.sql.savepoint.run();
    } catch (error) {
      return { ok: false, error };
    }
    try {
      const value = job.run();
      this.sql.release.run();
      return { ok: true, value };
    } catch (error) {
      try {
        if (this.db.inTransaction) {
          this.sql.rollbackTo.run();
          this.sql.release.run();
        }
      } catch {
        this.rollbackQuietly(); // cannot undo just this job: give the batch up (runTransaction sees it)
      }
      return { ok: false, error };
    }
  }

  private rollbackQuietly(): void {
    try {
      if (this.db.inTransaction) this.sql.rollback.run();
    } catch {
      // The failed COMMIT's error is the one reported; this one would only hide it.
    }
  }
}
