// Opening the SQLite file: where it lives, how durable commits are, and the schema migration.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations';

export interface SqliteStoreOptions {
  /**
   * FULL (default) syncs every commit: an event acknowledged to Slack survives a power cut.
   * NORMAL in WAL mode may lose the last commits on power loss (not on a process crash); for benchmarks.
   */
  synchronous?: 'FULL' | 'NORMAL';
}

const SYNCHRONOUS_MODES = ['FULL', 'NORMAL'] as const;

/** Open (creating it and its parent directories if needed), configure and migrate; `':memory:'` for a throwaway. */
export function openDatabase(file: string, options: SqliteStoreOptions = {}): Database.Database {
  const inMemory = file === ':memory:';
  if (!inMemory) fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    configure(db, inMemory, options.synchronous ?? 'FULL');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function configure(db: Database.Database, inMemory: boolean, synchronous: string): void {
  if (!(SYNCHRONOUS_MODES as readonly string[]).includes(synchronous)) {
    throw new Error(`Unsupported synchronous mode: ${synchronous}`); // interpolated into a PRAGMA below
  }
  db.pragma('busy_timeout = 5000'); // first, so switching to WAL waits for other connections' locks
  if (!inMemory) db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
}
