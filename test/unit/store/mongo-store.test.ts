// The MongoDB adapter against the shared IncidentStore contract, plus what only it has: indexes,
// concurrency across connections, outages and startup retries.
//
// It runs against the test-only wire-protocol server in test/support/mongo-wire (no mongod here).
// With MONGODB_URI set, the contract suite also runs against that server: it must be a replica set
// (transactions), e.g. `docker run -p 27017:27017 mongo:7 --replSet rs0` then `rs.initiate()`, and
// MONGODB_URI=mongodb://127.0.0.1:27017/?directConnection=true. Each test uses a fresh database
// named incident_store_test_* and drops it afterwards; the URI's own database is never touched. Only
// loopback hosts work: test/support/no-outbound-network.ts blocks everything else.

import { randomUUID } from 'node:crypto';
import type { Effect } from '../../../src/domain/effects';
import type { NewIncident } from '../../../src/domain/incident';
import { StorageUnavailableError } from '../../../src/ports/incident-store';
import { describeHosts, redact } from '../../../src/store/mongo/connect';
import { MongoIncidentStore } from '../../../src/store/mongo/mongo-store';
import { Writes } from '../../../src/store/mongo/writes';
import { describeIncidentStoreContract } from '../../contract/incident-store.contract';
import { newEscalation, newEvent, newIncident, T0 } from '../../contract/fixtures';
import { startMongoWireServer, type MongoWireServer } from '../../support/mongo-wire';

/** The same server, another database (the path of the URI), keeping hosts and options. */
function withDatabase(uri: string, name: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)\/?([^?]*)(\?.*)?$/.exec(uri);
  if (!match) throw new Error('not a MongoDB connection string');
  return `${match[1]}/${name}${match[3] ?? ''}`;
}

async function openFresh(
  uri: string,
): Promise<{ store: MongoIncidentStore; cleanup: () => Promise<void>; corrupt: (incidentId: string, fields: Record<string, unknown>) => Promise<void> }> {
  const store = await MongoIncidentStore.connect(withDatabase(uri, `incident_store_test_${randomUUID().slice(0, 8)}`), {
    attempts: 1,
    serverSelectionTimeoutMS: 2000,
  });
  return {
    store,
    cleanup: async () => {
      await store.mongooseConnection.dropDatabase();
      await store.close();
    },
    corrupt: async (incidentId: string, fields: Record<string, unknown>) => {
      const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      const unset = Object.fromEntries(
        Object.keys(fields)
          .filter((k) => fields[k] === undefined)
          .map((k) => [k, '']),
      );
      await store.mongooseConnection
        .collection('incidents')
        .updateOne({ id: incidentId }, { ...(Object.keys(set).length ? { $set: set } : {}), ...(Object.keys(unset).length ? { $unset: unset } : {}) });
    },
  };
}

let server: MongoWireServer;
beforeAll(async () => {
  server = await startMongoWireServer();
});
afterAll(async () => {
  await server.stop();
});

describeIncidentStoreContract('mongo (wire test server)', () => openFresh(server.uri));

const realUri = process.env.MONGODB_URI;
if (realUri) describeIncidentStoreContract('mongo (MONGODB_URI)', () => openFresh(realUri));

function silentLogger() {
  return { info: jest.fn(), warn: jest.fn() };
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('MongoIncidentStore (MongoDB specifics)', () => {
  let store: MongoIncidentStore;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await openFresh(server.uri));
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await cleanup();
  });

  /** A second store on the same database: another connection, as a second bot replica has. */
  async function secondReplica(): Promise<MongoIncidentStore> {
    const dbName = store.mongooseConnection.name;
    return MongoIncidentStore.connect(withDatabase(server.uri, dbName), { attempts: 1 });
  }

  it('when connected, then every collection has the indexes its queries and uniqueness need', async () => {
    const db = store.mongooseConnection.db;
    if (!db) throw new Error('not connected');
    const indexes = async (collection: string) => (await db.collection(collection).listIndexes().toArray()).map((i) => ({ key: i.key as object, unique: i.unique === true }));
    expect(await indexes('incidents')).toEqual(
      expect.arrayContaining([
        { key: { id: 1 }, unique: true },
        { key: { teamId: 1, number: 1 }, unique: true },
        { key: { 'chat.channelId': 1, declaredAt: -1 }, unique: false },
      ]),
    );
    expect(await indexes('timeline_events')).toEqual(
      expect.arrayContaining([
        { key: { sourceId: 1 }, unique: true },
        { key: { incidentId: 1, at: 1, recordedAt: 1, seq: 1 }, unique: false },
      ]),
    );
    expect(await indexes('transcript_messages')).toContainEqual({ key: { channelId: 1, ts: 1 }, unique: true });
    expect(await indexes('effects')).toEqual(
      expect.arrayContaining([
        { key: { id: 1 }, unique: true },
        { key: { state: 1, notBefore: 1, id: 1 }, unique: false },
      ]),
    );
    expect(await indexes('escalations')).toEqual(
      expect.arrayContaining([
        { key: { id: 1 }, unique: true },
        { key: { state: 1, deadlineAt: 1, seq: 1 }, unique: false },
      ]),
    );
    expect(await indexes('postmortems')).toContainEqual({ key: { incidentId: 1, version: 1 }, unique: true });
  });

  it('when connecting to a database that already has its indexes, then connect succeeds unchanged', async () => {
    const again = await secondReplica();
    expect(await again.ping()).toBe(true);
    await again.close();
  });

  it('when role names have dots or a leading $, then they round-trip (stored as pairs, not as field names)', async () => {
    const roles = { 'ops.lead': 'U1', $comms: 'U2', 'scribe ': 'U3' };
    const { incident } = await store.declareIncident(newIncident({ roles }), [newEvent()], []);
    await store.applyChange({ incidentId: incident.id, patch: { roles: { ...roles, 'a.b.c': 'U4' } }, now: T0 + 1 });
    expect((await store.getIncident(incident.id))?.roles).toStrictEqual({ ...roles, 'a.b.c': 'U4' });
    const raw = await store.mongooseConnection.db?.collection('incidents').findOne({ id: incident.id });
    expect(raw?.roles).toContainEqual({ name: 'ops.lead', userId: 'U1' });
  });

  it('when a text is empty, then it is stored (a Slack message may have no text)', async () => {
    const { incident, events } = await store.declareIncident(newIncident(), [newEvent({ text: '' })], []);
    expect(await store.listTimeline(incident.id)).toStrictEqual(events);
    const message = { channelId: 'C1', ts: '1.2', userId: 'U1', text: '', at: T0, deleted: false, pushpinnedBy: [], pinned: false };
    await store.saveTranscriptMessage(message);
    expect(await store.getTranscriptMessage('C1', '1.2')).toStrictEqual(message);
  });

  it('when a document breaks the schema, then the write is refused and nothing is stored', async () => {
    const bad = { ...newIncident(), severity: 'sev9' } as unknown as NewIncident;
    await expect(store.declareIncident(bad, [newEvent()], [])).rejects.toMatchObject({ name: 'ValidationError' });
    // A field the schema does not know is refused too, rather than silently dropped.
    const extra = { ...newIncident(), pager: 'U1' } as NewIncident;
    await expect(store.declareIncident(extra, [newEvent()], [])).rejects.toThrow('pager');
    expect(await store.getIncident(bad.id)).toBeUndefined();
    expect(await store.getIncident(extra.id)).toBeUndefined();
    expect((await store.declareIncident(newIncident(), [newEvent()], [])).incident.number).toBe(1);
  });

  it('when 50 declares run concurrently, then every incident gets a distinct number', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => store.declareIncident(newIncident(), [newEvent()], [{ kind: 'header.post' }])));
    expect(results.map((r) => r.incident.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const effectIds = (await Promise.all(results.map((r) => store.outbox.pending(r.incident.id)))).flat().map((e) => e.id);
    expect(new Set(effectIds).size).toBe(50);
  });

  it('when the same declare is delivered twice at once, then one incident is stored and the other is its duplicate', async () => {
    const event = newEvent({ kind: 'declared' });
    const [a, b] = await Promise.all([store.declareIncident(newIncident(), [event], []), store.declareIncident(newIncident(), [event], [])]);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(a.incident).toStrictEqual(b.incident);
  });

  // The test server runs one transaction at a time, so a true race never gets past the sourceId
  // check there; these make the check miss once, as a concurrent transaction on a replica set can.
  it('when a redelivered change gets past the sourceId check, then the unique index makes it a duplicate', async () => {
    const { incident } = await store.declareIncident(newIncident(), [newEvent()], []);
    const event = newEvent({ text: 'first delivery' });
    const [stored] = (await store.applyChange({ incidentId: incident.id, events: [event], now: T0 })).events;
    const current = await store.getIncident(incident.id);
    jest.spyOn(Writes.prototype, 'storedEvents').mockResolvedValueOnce([]);
    const again = await store.applyChange({ incidentId: incident.id, patch: { title: 'x' }, events: [event], effects: [{ kind: 'header.update' }], now: T0 + 1 });
    expect(again).toEqual({ duplicate: true, incident: current, events: [stored], escalations: [] });
    expect(await store.getIncident(incident.id)).toStrictEqual(current);
    expect(await store.outbox.pending(incident.id)).toEqual([]);
  });

  it('when a redelivered declare gets past the sourceId check, then it answers with the original incident', async () => {
    const event = newEvent({ kind: 'declared' });
    const original = await store.declareIncident(newIncident(), [event], [{ kind: 'header.post' }]);
    jest.spyOn(Writes.prototype, 'eventBySource').mockResolvedValueOnce(undefined);
    const retry = newIncident();
    expect(await store.declareIncident(retry, [event], [{ kind: 'header.post' }])).toEqual({ ...original, duplicate: true });
    expect(await store.getIncident(retry.id)).toBeUndefined();
    expect((await store.declareIncident(newIncident(), [newEvent()], [])).incident.number).toBe(2);
  });

  it('when one change repeats a sourceId among its own new events, then it rejects and writes nothing', async () => {
    const { incident } = await store.declareIncident(newIncident(), [newEvent()], []);
    const repeated = newEvent();
    const change = { incidentId: incident.id, events: [newEvent(), repeated, { ...newEvent(), sourceId: repeated.sourceId }], now: T0 };
    await expect(store.applyChange(change)).rejects.toMatchObject({ code: 11000 });
    expect(await store.listTimeline(incident.id)).toHaveLength(1);
  });

  it('when two replicas claim due escalations at once, then each escalation is claimed exactly once', async () => {
    const other = await secondReplica();
    const { incident } = await store.declareIncident(newIncident(), [newEvent()], []);
    const escalations = Array.from({ length: 60 }, (_, i) => newEscalation(incident.id, { deadlineAt: T0 + Math.floor(i / 6) * 1000 }));
    await other.applyChange({ incidentId: incident.id, escalations: escalations.map((escalation) => ({ escalation, expectedVersion: null })), now: T0 });

    const claims: string[] = [];
    for (let round = 0; round <= 10; round += 1) {
      const now = T0 + round * 1000;
      const batches = await Promise.all([
        store.claimDueEscalations(now, 'a', 60_000, 2),
        other.claimDueEscalations(now, 'b', 60_000, 3),
        store.claimDueEscalations(now, 'a2', 60_000, 2),
        other.claimDueEscalations(now, 'b2', 60_000, 1),
      ]);
      claims.push(...batches.flat().map((e) => e.id));
    }
    expect(claims).toHaveLength(escalations.length);
    expect(new Set(claims).size).toBe(escalations.length);
    await other.close();
  });

  it('when two replicas race for the same effects, then each effect is claimed by exactly one', async () => {
    const other = await secondReplica();
    const specs = Array.from({ length: 30 }, (_, i) => ({ kind: 'channel.post' as const, text: `line ${i}` }));
    const { incident } = await store.declareIncident(newIncident(), [newEvent()], specs);
    const effects: Effect[] = await other.outbox.pending(incident.id);
    expect(effects.map((e) => e.spec)).toEqual(specs);
    const winners = await Promise.all(
      effects.map(async (effect) => {
        const results = await Promise.all([store.outbox.claim(effect.id, 'a', T0, 60_000), other.outbox.claim(effect.id, 'b', T0, 60_000)]);
        return results.filter(Boolean).length;
      }),
    );
    expect(winners).toEqual(effects.map(() => 1));
    await other.close();
  });

  it('when close is called twice, then the second is a no-op and ping answers false', async () => {
    const extra = await secondReplica();
    await extra.close();
    await expect(extra.close()).resolves.toBeUndefined();
    expect(await extra.ping()).toBe(false);
  });
});

describe('MongoIncidentStore outages', () => {
  let own: MongoWireServer;
  beforeEach(async () => {
    own = await startMongoWireServer();
  });
  afterEach(async () => {
    await own.stop();
  });

  it('when the database goes away, then operations reject quickly with StorageUnavailableError, and work again once it is back', async () => {
    const store = await MongoIncidentStore.connect(own.uri, { attempts: 1, serverSelectionTimeoutMS: 300 });
    const { incident } = await store.declareIncident(newIncident(), [newEvent()], []);

    own.setUnavailable(true);
    const started = Date.now();
    const note = { incidentId: incident.id, events: [newEvent({ text: 'rolled back' })], now: T0 };
    await expect(store.applyChange(note)).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(store.getIncident(incident.id)).rejects.toMatchObject({ name: 'StorageUnavailableError', message: 'storage unavailable' });
    await expect(store.declareIncident(newIncident(), [newEvent()], [])).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(await store.ping()).toBe(false);
    expect(Date.now() - started).toBeLessThan(8000);

    own.setUnavailable(false);
    await eventually(() => store.ping());
    expect((await store.applyChange(note)).duplicate).toBe(false);
    expect((await store.listTimeline(incident.id)).map((e) => e.text)).toContain('rolled back');
    await store.close();
  });

  it('when the server comes up late, then connect logs each wait and then succeeds', async () => {
    own.setUnavailable(true);
    const logger = silentLogger();
    const connecting = MongoIncidentStore.connect(own.uri, { logger, attempts: 20, retryDelayMs: 100, serverSelectionTimeoutMS: 200 });
    setTimeout(() => own.setUnavailable(false), 800);
    const store = await connecting;
    expect(await store.ping()).toBe(true);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining(`waiting for MongoDB at 127.0.0.1:${own.port} (attempt 2/20)`));
    await store.close();
  });

  it('when the server never comes up, then connect gives up after its attempts with StorageUnavailableError', async () => {
    own.setUnavailable(true);
    const logger = silentLogger();
    const uri = own.uri.replace('mongodb://', 'mongodb://bot:s3cret@');
    await expect(MongoIncidentStore.connect(uri, { logger, attempts: 3, retryDelayMs: 10, serverSelectionTimeoutMS: 100 })).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(logger.warn).toHaveBeenCalledTimes(3);
    const logged = JSON.stringify([logger.warn.mock.calls, logger.info.mock.calls]);
    expect(logged).toContain('(attempt 3/3)');
    expect(logged).toContain(`giving up on MongoDB at 127.0.0.1:${own.port} after 3 attempts`);
    expect(logged).not.toContain('s3cret');
  });
});

describe('connection strings in logs', () => {
  it('when a URI has credentials, then only its hosts are shown', () => {
    expect(describeHosts('mongodb+srv://bot:p%40ss@cluster0.example.net/incidents?retryWrites=true')).toBe('cluster0.example.net');
    expect(describeHosts('mongodb://a:1,b:2/?replicaSet=rs0')).toBe('a:1,b:2');
    expect(redact('failed: mongodb://bot:secret@h:1/db')).toBe('failed: mongodb://***@h:1/db');
  });
});
