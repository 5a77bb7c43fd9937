// Group commit: the write queue on its own (one transaction per turn, savepoints, settling after the
// COMMIT, failures), then what it means for the SQLite store's callers.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteIncidentStore } from '../../../src/store/sqlite/sqlite-store';
import { WriteQueue } from '../../../src/store/sqlite/write-queue';
import { newEscalation, newEvent, newIncident, T0 } from '../../contract/fixtures';

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'write-queue-'));
  file = path.join(dir, 'queue.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('WriteQueue', () => {
  let db: Database.Database;
  let reader: Database.Database;
  let queue: WriteQueue;

  beforeEach(() => {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE t (v TEXT UNIQUE, parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)`);
    reader = new Database(file, { readonly: true });
    queue = new WriteQueue(db);
  });
  afterEach(() => {
    reader.close();
    db.close();
  });

  const insert = (v: string) => () => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).changes;
  /** What another connection (another process) sees: committed rows only. */
  const committed = () => reader.prepare<[], string>('SELECT v FROM t ORDER BY rowid').pluck().all();

  it('when writes are issued in one turn, then they run later in one transaction and settle after its COMMIT', async () => {
    const seenByOthers: string[][] = [];
    const first = queue.write(insert('a')).then(() => seenByOthers.push(committed()));
    const second = queue.write(() => {
      insert('b')();
      return { inTransaction: db.inTransaction, othersSee: committed() };
    });
    expect(committed()).toEqual([]); // nothing ran yet
    expect(await second).toEqual({ inTransaction: true, othersSee: [] }); // 'a' was not committed when 'b' ran
    await first;
    expect(seenByOthers).toEqual([['a', 'b']]); // 'a' settled only once 'b' was committed with it
  });

  it('when one write throws, then only it is rolled back and rejected', async () => {
    const results = await Promise.allSettled([
      queue.write(insert('a')),
      queue.write(() => {
        insert('b')();
        insert('a')(); // UNIQUE
      }),
      queue.write(insert('c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[1]).toMatchObject({ reason: { code: 'SQLITE_CONSTRAINT_UNIQUE' } });
    expect(committed()).toEqual(['a', 'c']);
  });

  it('when a one-statement write fails (no savepoint of its own), then only it is undone and rejected', async () => {
    const one = { oneStatement: true };
    const results = await Promise.allSettled([queue.write(insert('a'), one), queue.write(insert('a'), one), queue.write(insert('c'), one)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[1]).toMatchObject({ reason: { code: 'SQLITE_CONSTRAINT_UNIQUE' } });
    expect(committed()).toEqual(['a', 'c']);
  });

  it('when the COMMIT fails, then every job of the batch is rejected and nothing is stored', async () => {
    const results = await Promise.allSettled([
      queue.write(insert('a')),
      queue.write(() => db.prepare('INSERT INTO t (v, parent) VALUES (?, 42)').run('orphan')), // checked at COMMIT
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(results[0]).toMatchObject({ reason: { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' } });
    expect(db.inTransaction).toBe(false);
    await queue.write(insert('after'));
    expect(committed()).toEqual(['after']);
  });

  it('when SQLite rolls the whole transaction back mid-batch, then the jobs before are rejected and the rest still run', async () => {
    const results = await Promise.allSettled([
      queue.write(insert('lost')),
      queue.write(() => db.prepare('ROLLBACK').run()), // as an I/O error or a full disk would
      queue.write(insert('kept')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(committed()).toEqual(['kept']);
  });

  it('when a read is issued, then it runs at once and sees the writes that settled, not the queued ones', async () => {
    const count = () => db.prepare<[], number>('SELECT count(*) FROM t').pluck().get();
    const write = queue.write(insert('a'));
    let ranAt = 'later';
    const before = queue.read(() => {
      ranAt = 'at once';
      return count();
    });
    expect(ranAt).toBe('at once');
    expect(await before).toBe(0);
    await write;
    expect(await queue.read(count)).toBe(1);
  });

  it('when the batch is full, then it is committed at once', async () => {
    const small = new WriteQueue(db, undefined, 2);
    const writes = [small.write(insert('a')), small.write(insert('b'))];
    expect(committed()).toEqual(['a', 'b']);
    await Promise.all([...writes, small.write(insert('c'))]);
    expect(committed()).toEqual(['a', 'b', 'c']);
  });
});

describe('SqliteIncidentStore with group commit', () => {
  it('when changes race in one turn, then each succeeds or fails on its own', async () => {
    const store = SqliteIncidentStore.open(file);
    const declared = newIncident();
    const { incident, escalations } = await store.declareIncident(declared, [newEvent()], [], [newEscalation(declared.id)]);
    const event = newEvent({ text: 'first delivery' });
    const stale = { escalation: { ...escalations[0], state: 'cancelled' as const }, expectedVersion: 7 };
    const results = await Promise.allSettled([
      store.applyChange({ incidentId: incident.id, events: [event], now: T0 + 1 }),
      store.applyChange({ incidentId: incident.id, escalations: [stale], events: [newEvent()], now: T0 + 2 }),
      store.applyChange({ incidentId: incident.id, events: [{ ...event, text: 'redelivery' }], now: T0 + 3 }),
      store.applyChange({ incidentId: 'inc-missing', events: [newEvent()], now: T0 + 4 }),
      store.applyChange({ incidentId: incident.id, patch: { title: 'renamed' }, now: T0 + 5 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect(results[1]).toMatchObject({ reason: { name: 'EscalationConflictError' } });
    expect(results[2]).toMatchObject({ value: { duplicate: true } });
    expect((await store.listTimeline(incident.id)).map((e) => e.text)).toEqual(['a note', 'first delivery']);
    expect(await store.getIncident(incident.id)).toMatchObject({ title: 'renamed', updatedAt: T0 + 5 });
    await store.close();
  });

  it('when a read follows a write, then it sees the write once the write settled', async () => {
    const store = SqliteIncidentStore.open(file);
    const { incident } = await store.declareIncident(newIncident(), [newEvent()], []);
    const write = store.applyChange({ incidentId: incident.id, patch: { title: 'renamed' }, now: T0 + 1 });
    expect((await store.getIncident(incident.id))?.title).toBe(incident.title); // still queued
    await write;
    expect((await store.getIncident(incident.id))?.title).toBe('renamed');
    await store.close();
  });

  it('when the store is closed with writes queued, then they are committed first', async () => {
    const store = SqliteIncidentStore.open(file);
    const incident = newIncident();
    const declared = store.declareIncident(incident, [newEvent()], []);
    await store.close();
    await expect(declared).resolves.toMatchObject({ duplicate: false });
    await expect(store.applyChange({ incidentId: incident.id, patch: { title: 'too late' }, now: T0 + 1 })).rejects.toThrow('not open');
    const reopened = SqliteIncidentStore.open(file);
    expect(await reopened.getIncident(incident.id)).toMatchObject({ id: incident.id });
    await reopened.close();
  });
});
