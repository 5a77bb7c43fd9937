// Opening the SQLite file: where it lives, how durable commits are, and the schema migration.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations';
import { NO_SYNC, WalSync, type Durability } from './wal-sync';

export interface SqliteStoreOptions {
  /**
   * FULL (default): a write settles only once it is on disk, so an event acknowledged to Slack
   * survives a power cut. The sync runs off the main thread (wal-sync.ts), so SQLite itself is set
   * to NORMAL. NORMAL: writes settle at COMMIT and may be lost on power loss (not on a process
   * crash); for throwaway sandboxes.
   */
  synchronous?: 'FULL' | 'NORMAL';
}

const SYNCHRONOUS_MODES = ['FULL', 'NORMAL'] as const;

/**
 * Open (creating it and its parent directories if needed), configure and migrate; `':memory:'` for a
 * throwaway. `durability` is what the write queue waits on before a write counts as stored.
 */
export function openDatabase(file: string, options: SqliteStoreOptions = {}): { db: Database.Database; durability: Durability } {
  const inMemory = file === ':memory:';
  if (!inMemory) fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    const synchronous = options.synchronous ?? 'FULL';
    configure(db, inMemory, synchronous);
    migrate(db);
    const durability = inMemory || synchronous === 'NORMAL' ? NO_SYNC : new WalSync(path.resolve(file));
    return { db, durability };
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
  // FULL is kept by syncing the WAL ourselves, off the main thread; see wal-sync.ts.
  db.pragma(`synchronous = ${inMemory ? synchronous : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
}
