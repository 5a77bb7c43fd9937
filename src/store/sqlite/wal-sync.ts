// Durability without blocking the event loop. SQLite's synchronous=FULL fsyncs the WAL inside every
// COMMIT, and better-sqlite3 runs COMMIT on the main thread: every request in the process waits for
// the disk, 1–2 ms a batch. Instead the connection runs synchronous=NORMAL (a COMMIT only write()s
// its WAL frames; checkpoints still sync) and this syncs the WAL file on libuv's thread pool; the
// write queue settles a batch's writes only after a sync that began after their COMMIT. So a write
// is acknowledged only once it is on disk, exactly as with FULL, while the loop keeps serving.
//
// Syncs are grouped: commits made while one sync runs share the next one, so there are never more
// than two rounds alive (one running, one gathering) however many batches commit meanwhile.

import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface Durability {
  /** Resolves once everything committed before the call is on disk. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** For `:memory:` files and NORMAL mode: a commit is as durable as it gets when it returns. */
export const NO_SYNC: Durability = { sync: () => Promise.resolve(), close: () => Promise.resolve() };

export class WalSync implements Durability {
  private handle?: fs.FileHandle;
  private running?: Promise<void>;
  private gathering?: Promise<void>;
  private directorySynced = false;
  private closed = false;
  /** Rounds started so far: how many syncs the disk was asked for (the grouping test reads it). */
  rounds = 0;

  /** `dbFile` is the database; its WAL is `<dbFile>-wal`, which SQLite keeps while a connection is open. */
  constructor(private readonly dbFile: string) {}

  sync(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The store is closed'));
    if (!this.running) return this.start();
    // The running round may have started before the caller's COMMIT: wait for the next one.
    this.gathering ??= this.running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        this.gathering = undefined;
        return this.start();
      });
    return this.gathering;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([this.running, this.gathering]);
    await this.handle?.close();
    this.handle = undefined;
  }

  private start(): Promise<void> {
    this.rounds += 1;
    const round: Promise<void> = this.round().finally(() => {
      if (this.running === round) this.running = undefined;
    });
    this.running = round;
    return round;
  }

  private async round(): Promise<void> {
    const walFile = `${this.dbFile}-wal`;
    try {
      // The same file for as long as our connection is open: SQLite deletes the WAL only when the
      // last connection to the database closes, and close() syncs before ours does.
      this.handle ??= await fs.open(walFile, 'r+');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // No WAL: the last connection to close checkpointed it into the database file and synced that.
      return;
    }
    await this.handle.datasync();
    if (!this.directorySynced) {
      // A new WAL file's directory entry must reach the disk too (SQLite's FULL does this).
      await syncDirectory(path.dirname(walFile));
      this.directorySynced = true;
    }
  }
}

async function syncDirectory(directory: string): Promise<void> {
  const dir = await fs.open(directory, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
