// Group commit for the store's one better-sqlite3 connection. With synchronous=FULL every COMMIT
// waits for an fsync (1.5–2 ms) and better-sqlite3 waits on the event loop, so one commit per write
// caps the whole bot at a few hundred writes a second. Instead, writes queue up and run together at
// the end of the event-loop turn (setImmediate) in ONE IMMEDIATE transaction: one fsync per turn.
//
// - Each write runs in a SAVEPOINT of its own: one that throws rolls back only itself and rejects
//   only its own promise.
// - Every promise settles only after the COMMIT returned, so "acknowledged ⇒ stored" holds: a use
//   case that awaits a write before answering Slack answers only once the write is durable. If the
//   COMMIT fails, every job of the batch is rejected.
// - Reads run at once when nothing is queued. Otherwise they queue behind the writes, so a read
//   issued after a write sees it, and they too settle after the COMMIT: no caller ever sees data
//   that might still be rolled back.
// - Jobs run when the batch is flushed, not when they are queued, so the connection never holds the
//   write lock across an event-loop turn: another connection (another process, or a second store in
//   the same one) waits at most one flush, never on a transaction held open by pending callers.

import type BetterSqlite3 from 'better-sqlite3';

/** Flush at once when this many jobs wait, to bound a batch's latency and transaction size. */
const MAX_BATCH = 512;

interface Job {
  run: () => unknown;
  write: boolean;
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

  /** Runs `run` (synchronous SQL) in the next group commit; settles once that commit returned. */
  write<T>(run: () => T): Promise<T> {
    return this.enqueue(run, true);
  }

  /** Runs `run` (reads only) now if no write waits, else in order behind the waiting writes. */
  read<T>(run: () => T): Promise<T> {
    if (this.queue.length > 0) return this.enqueue(run, false);
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

  private enqueue<T>(run: () => T, write: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, write, resolve: resolve as (value: unknown) => void, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      else this.scheduled ??= setImmediate(() => this.flush());
    });
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
    outcomes.forEach((outcome, i) => (outcome.ok ? jobs[from + i].resolve(outcome.value) : jobs[from + i].reject(outcome.error)));
    return jobs.length;
  }

  private runJob(job: Job): Outcome {
    if (!job.write) {
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
