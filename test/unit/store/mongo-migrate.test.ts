// The SQLite → MongoDB migration (src/cli/migrate.ts): counts, idempotency, and that what the bot
// reads through the port is the same on both sides. MongoDB is the test-only wire server.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { formatCounts, migrate, parseArgs } from '../../../src/cli/migrate';
import type { Effect } from '../../../src/domain/effects';
import type { Storage } from '../../../src/ports/incident-store';
import { MongoIncidentStore } from '../../../src/store/mongo/mongo-store';
import { SqliteExport } from '../../../src/store/sqlite/export-all';
import { SqliteIncidentStore } from '../../../src/store/sqlite/sqlite-store';
import { MINUTE, newEscalation, newEvent, newIncident, T0 } from '../../contract/fixtures';
import { startMongoWireServer, type MongoWireServer } from '../../support/mongo-wire';

let server: MongoWireServer;
let dir: string;
let file: string;
let uri: string;

beforeAll(async () => {
  server = await startMongoWireServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-'));
  file = path.join(dir, 'incidents.db');
  uri = server.uri.replace('/incidents?', `/migrate_${randomUUID().slice(0, 8)}?`);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const quiet = { log: () => undefined, connect: { attempts: 1 } };

/** Two incidents in T1 (one with a channel, transcript, escalations, postmortems) and one in T2. */
async function seed(store: SqliteIncidentStore): Promise<string[]> {
  const busy = newIncident({ description: 'checkout down' });
  await store.declareIncident(busy, [newEvent({ kind: 'declared' })], [{ kind: 'channel.create', name: 'inc-1' }, { kind: 'header.post' }], [newEscalation(busy.id)]);
  const chat = { channelId: 'C1', channelName: 'inc-1-checkout' };
  await store.applyChange({
    incidentId: busy.id,
    patch: { chat, severity: 'sev1' },
    events: [newEvent({ at: T0 + MINUTE, text: 'tie a' }), newEvent({ at: T0 + MINUTE, text: 'tie b', data: { to: 'monitoring', n: 1, none: null } })],
    effects: [{ kind: 'channel.post', text: 'severity is now sev1' }],
    now: T0 + MINUTE,
  });
  const [escalation] = await store.listEscalations(busy.id);
  await store.applyChange({ incidentId: busy.id, escalations: [{ escalation: { ...escalation, reason: 'paged' }, expectedVersion: 1 }], now: T0 + 2 * MINUTE });
  const [done, retried] = await store.outbox.pending(busy.id);
  await store.outbox.complete([done.id]); // finished: not copied
  await store.outbox.retry(retried.id, T0 + 5 * MINUTE, 'ratelimited');
  await store.saveTranscriptMessage({ channelId: 'C1', ts: '1709283600.000100', userId: 'U1', text: 'rolling back', at: T0, deleted: false, pushpinnedBy: ['U2'], pinned: false });
  await store.saveTranscriptMessage({
    channelId: 'C1',
    ts: '1709283700.000100',
    threadTs: '1709283600.000100',
    userId: 'U3',
    text: '',
    at: T0 + 1,
    deleted: false,
    pushpinnedBy: [],
    pinned: true,
  });
  await store.saveTranscriptMessage({ channelId: 'C-other', ts: '1.1', userId: 'U1', text: 'not an incident channel', at: T0, deleted: false, pushpinnedBy: [], pinned: false });
  await store.savePostmortem(busy.id, '# Draft', T0 + 3 * MINUTE);
  await store.savePostmortem(busy.id, '# Final', T0 + 4 * MINUTE);

  const quietOne = (await store.declareIncident(newIncident(), [newEvent({ kind: 'declared' })], [])).incident;
  const elsewhere = (await store.declareIncident(newIncident({ teamId: 'T2' }), [newEvent({ kind: 'declared' })], [{ kind: 'header.post' }])).incident;
  return [busy.id, quietOne.id, elsewhere.id];
}

const withoutId = ({ id: _id, ...effect }: Effect) => effect;

async function snapshot(store: Storage, ids: string[]) {
  return Promise.all(
    ids.map(async (id) => {
      const incident = await store.getIncident(id);
      const [latest, first] = [await store.latestPostmortem(id), await store.getPostmortem(id, 1)];
      return {
        incident,
        timeline: await store.listTimeline(id),
        escalations: await store.listEscalations(id),
        postmortems: [first, latest],
        effects: (await store.outbox.pending(id)).map(withoutId),
        transcript: [await store.getTranscriptMessage('C1', '1709283600.000100'), await store.getTranscriptMessage('C1', '1709283700.000100')],
      };
    }),
  );
}

/** Every document of every collection, as stored. */
async function dump(target: string): Promise<Record<string, unknown[]>> {
  const store = await MongoIncidentStore.connect(target, { attempts: 1 });
  const db = store.mongooseConnection.db;
  if (!db) throw new Error('not connected');
  const names = (await db.listCollections().toArray()).map((c) => c.name).sort();
  const entries = await Promise.all(names.map(async (name) => [name, await db.collection(name).find().toArray()] as const));
  await store.close();
  return Object.fromEntries(entries);
}

describe('migrate SQLite → MongoDB', () => {
  it('when a store is migrated, then every kind is counted and reads back the same through the port', async () => {
    const sqlite = SqliteIncidentStore.open(file);
    const ids = await seed(sqlite);

    const counts = await migrate({ from: file, to: uri }, quiet);
    expect(counts).toEqual({
      incidents: { read: 3, written: 3, present: 0 },
      timeline: { read: 5, written: 5, present: 0 },
      transcript: { read: 2, written: 2, present: 0 },
      escalations: { read: 1, written: 1, present: 0 },
      postmortems: { read: 2, written: 2, present: 0 },
      effects: { read: 3, written: 3, present: 0 },
    });

    const mongo = await MongoIncidentStore.connect(uri, { attempts: 1 });
    expect(await snapshot(mongo, ids)).toStrictEqual(await snapshot(sqlite, ids));
    // Claims and numbering go on where SQLite left off.
    expect((await mongo.declareIncident(newIncident(), [newEvent()], [])).incident.number).toBe(3);
    expect((await mongo.declareIncident(newIncident({ teamId: 'T2' }), [newEvent()], [])).incident.number).toBe(2);
    expect(await mongo.claimDueEscalations(T0 + MINUTE, 'me', 30_000, 10)).toHaveLength(1);
    await Promise.all([mongo.close(), sqlite.close()]);
  });

  it('when it runs a second time, then nothing is written and everything is already present', async () => {
    const sqlite = SqliteIncidentStore.open(file);
    await seed(sqlite);
    await sqlite.close();
    const first = await migrate({ from: file, to: uri }, quiet);
    const before = await dump(uri);
    expect(before.incidents).toHaveLength(3);
    const again = await migrate({ from: file, to: uri }, quiet);
    for (const [kind, { read }] of Object.entries(first)) {
      expect([kind, again[kind as keyof typeof again]]).toEqual([kind, { read, written: 0, present: read }]);
    }
    // Not a document changed, counters included.
    expect(await dump(uri)).toEqual(before);
  });

  it('when the target already has newer data for a copied incident, then the migration leaves it alone', async () => {
    const sqlite = SqliteIncidentStore.open(file);
    const [id] = await seed(sqlite);
    await sqlite.close();
    await migrate({ from: file, to: uri }, quiet);
    const mongo = await MongoIncidentStore.connect(uri, { attempts: 1 });
    await mongo.applyChange({ incidentId: id, patch: { title: 'renamed on MongoDB' }, now: T0 + 9 * MINUTE });
    await migrate({ from: file, to: uri }, quiet);
    expect((await mongo.getIncident(id))?.title).toBe('renamed on MongoDB');
    await mongo.close();
  });

  it('when the file holds an incident the schema refuses, then the migration stops before writing it', async () => {
    const sqlite = SqliteIncidentStore.open(file);
    const { incident } = await sqlite.declareIncident(newIncident(), [newEvent()], []);
    await sqlite.close();
    const Database = require('better-sqlite3') as typeof import('better-sqlite3');
    const db = new Database(file);
    db.prepare('UPDATE incidents SET doc = ? WHERE id = ?').run(JSON.stringify({ ...incident, severity: 'sev9' }), incident.id);
    db.close();
    // Refused as it is read from the file, by the schema both stores read through.
    await expect(migrate({ from: file, to: uri }, quiet)).rejects.toMatchObject({ name: 'MalformedIncidentError', message: expect.stringContaining('severity') });
    expect((await dump(uri)).incidents).toEqual([]);
  });

  it('when the file does not exist, then it fails without creating it', async () => {
    await expect(migrate({ from: file, to: uri }, quiet)).rejects.toThrow(`no SQLite file at ${file}`);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('when the file is at an older schema version, then the export says how to upgrade it', () => {
    const Database = require('better-sqlite3') as typeof import('better-sqlite3');
    const db = new Database(file);
    db.pragma('user_version = 1');
    db.close();
    expect(() => SqliteExport.open(file)).toThrow(/schema version 1.*start the bot/);
  });
});

describe('migrate command line', () => {
  it('when given --from sqlite:<path> and --to <uri>, then they are parsed, in either spelling', () => {
    expect(parseArgs(['--from', 'sqlite:data/incidents.db', '--to', 'mongodb://h/db'])).toEqual({ from: 'data/incidents.db', to: 'mongodb://h/db' });
    expect(parseArgs(['--to=mongodb+srv://u:p@h/db?x=1', '--from=sqlite:/a=b.db'])).toEqual({ from: '/a=b.db', to: 'mongodb+srv://u:p@h/db?x=1' });
  });

  it('when an argument is missing or wrong, then the usage is shown', () => {
    expect(() => parseArgs([])).toThrow('usage: npm run migrate');
    expect(() => parseArgs(['--from', 'data/incidents.db', '--to', 'mongodb://h'])).toThrow('sqlite:<path>');
    expect(() => parseArgs(['--from', 'sqlite:x.db', '--to', 'postgres://h'])).toThrow('mongodb://');
    expect(() => parseArgs(['--from', 'sqlite:x.db', '--to'])).toThrow('--to needs a value');
    expect(() => parseArgs(['--verbose'])).toThrow('unknown argument --verbose');
  });

  it('when counts are printed, then each kind is a row with read, written and already present', () => {
    const zero = { read: 0, written: 0, present: 0 };
    const table = formatCounts({ incidents: { read: 3, written: 1, present: 2 }, timeline: zero, transcript: zero, escalations: zero, postmortems: zero, effects: zero });
    expect(table.split('\n')[0]).toMatch(/^kind\s+read\s+written\s+already present$/);
    expect(table.split('\n')[1]).toMatch(/^incidents\s+3\s+1\s+2$/);
    expect(table.split('\n')).toHaveLength(7);
  });
});
