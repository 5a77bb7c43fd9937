// Durability off the main thread: the write queue settles writes only after a sync that began after
// their COMMIT, and WalSync groups the syncs of batches committed while one runs.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteIncidentStore } from '../../../src/store/sqlite/sqlite-store';
import { WalSync, type Durability } from '../../../src/store/sqlite/wal-sync';
import { WriteQueue } from '../../../src/store/sqlite/write-queue';
import { newEvent, newIncident } from '../../contract/fixtures';

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wal-sync-'));
  file = path.join(dir, 'sync.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A disk whose syncs finish when the test says so, to see what waits on them. */
class HeldDisk implements Durability {
  readonly waiting: { resolve: () => void; reject: (error: Error) => void }[] = [];
  sync(): Promise<void> {
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const settled = async <T>(promise: Promise<T>): Promise<'pending' | 'settled'> => {
  const marker = Symbol('pending');
  const first = await Promise.race([
    promise.then(
      () => 'settled' as const,
      () => 'settled' as const,
    ),
    new Promise<symbol>((r) => setImmediate(() => r(marker))),
  ]);
  return first === marker ? 'pending' : 'settled';
};

describe('WriteQueue with a durability barrier', () => {
  let db: Database.Database;
  let disk: HeldDisk;
  let queue: WriteQueue;
  beforeEach(() => {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (v TEXT UNIQUE)');
    disk = new HeldDisk();
    queue = new WriteQueue(db, disk);
  });
  afterEach(() => db.close());
  const insert = (v: string) => () => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).changes;

  it('when a batch is committed, then its writes settle only once the sync begun after the COMMIT ends', async () => {
    const write = queue.write(insert('a'));
    await settled(write);
    expect(await queue.read(() => db.prepare('SELECT count(*) AS n FROM t').get())).toEqual({ n: 1 }); // committed
    expect(disk.waiting).toHaveLength(1);
    expect(await settled(write)).toBe('pending');
    disk.waiting[0].resolve();
    await expect(write).resolves.toBe(1);
  });

  it('when the sync fails, then the writes of the batch are rejected with its error', async () => {
    const write = queue.write(insert('a'));
    await settled(write);
    disk.waiting[0].reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await expect(write).rejects.toMatchObject({ code: 'EIO' });
  });

  it('when a write throws, then it is rejected without waiting for the disk', async () => {
    const first = queue.write(insert('a'));
    await settled(first);
    const duplicate = queue.write(insert('a'));
    await expect(duplicate).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(disk.waiting).toHaveLength(1); // the first batch's sync, still held
    expect(await settled(first)).toBe('pending');
  });
});

describe('WalSync', () => {
  it('when syncs are asked for while one runs, then they share one more round', async () => {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (v TEXT)');
    const sync = new WalSync(file);
    const first = sync.sync();
    const later = Array.from({ length: 10 }, () => sync.sync());
    await Promise.all([first, ...later]);
    expect(sync.rounds).toBe(2);
    await sync.sync();
    expect(sync.rounds).toBe(3);
    await sync.close();
    await expect(sync.sync()).rejects.toThrow('closed');
    db.close();
  });

  it('when the WAL is gone (checkpointed by the last connection to close), then a sync succeeds', async () => {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (v TEXT)');
    db.close(); // the last connection deletes the WAL
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    const sync = new WalSync(file);
    await expect(sync.sync()).resolves.toBeUndefined();
    await sync.close();
  });
});

describe('SqliteIncidentStore durability', () => {
  it('when many writes race, then each is acknowledged and readable by another connection afterwards', async () => {
    const store = SqliteIncidentStore.open(file);
    const declared = await store.declareIncident(newIncident(), [newEvent()], []);
    const writes = Array.from({ length: 200 }, (_, i) =>
      store.applyChange({ incidentId: declared.incident.id, events: [newEvent({ text: `note ${i}`, sourceId: `race-${i}` })], now: i }),
    );
    await Promise.all(writes);
    expect(await store.listTimeline(declared.incident.id)).toHaveLength(201);
    await store.close();
    // What another process reads after the acknowledgements: everything.
    const reader = new Database(file, { readonly: true });
    expect(reader.prepare('SELECT count(*) AS n FROM timeline_events').get()).toEqual({ n: 201 });
    reader.close();
  });
});
