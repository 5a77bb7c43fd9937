import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, migrate, schemaVersion } from '../../../src/store/sqlite/migrations';
import { patchIncident } from '../../../src/domain/incident-patch';
import { SqliteIncidentStore } from '../../../src/store/sqlite/sqlite-store';
import { describeIncidentStoreContract } from '../../contract/incident-store.contract';
import { newEscalation, newEvent, newIncident, T0 } from '../../contract/fixtures';

function tempDir(): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-store-'));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

describeIncidentStoreContract('sqlite file', async () => {
  const { dir, remove } = tempDir();
  const file = path.join(dir, 'incidents.db');
  const store = SqliteIncidentStore.open(file);
  const corrupt = async (incidentId: string, fields: Record<string, unknown>) => {
    const db = new Database(file);
    const row = db.prepare<[string], { doc: string }>('SELECT doc FROM incidents WHERE id = ?').get(incidentId);
    db.prepare('UPDATE incidents SET doc = ? WHERE id = ?').run(JSON.stringify({ ...(JSON.parse(row?.doc ?? '{}') as object), ...fields }), incidentId);
    db.close();
  };
  return { store, cleanup: async () => (await store.close(), remove()), corrupt };
});

describeIncidentStoreContract('sqlite :memory:', async () => {
  const store = SqliteIncidentStore.open(':memory:');
  return { store, cleanup: () => store.close() };
});

describe('SqliteIncidentStore (SQLite specifics)', () => {
  let dir: string;
  let remove: () => void;
  let file: string;

  beforeEach(() => {
    ({ dir, remove } = tempDir());
    file = path.join(dir, 'nested', 'deeper', 'incidents.db');
  });
  afterEach(() => remove());

  /** Read the file through a second, independent connection. */
  function inspect<T>(query: (db: Database.Database) => T): T {
    const db = new Database(file, { readonly: true });
    try {
      return query(db);
    } finally {
      db.close();
    }
  }

  it('when the file path has missing parent directories, then they are created', async () => {
    const store = SqliteIncidentStore.open(file);
    await store.close();
    expect(fs.existsSync(file)).toBe(true);
  });

  it('when the store is closed and reopened, then its data is still there', async () => {
    const first = SqliteIncidentStore.open(file);
    const { incident, events } = await first.declareIncident(newIncident(), [newEvent()], [{ kind: 'header.post' }]);
    await first.savePostmortem(incident.id, '# Draft', T0);
    await first.close();

    const reopened = SqliteIncidentStore.open(file);
    expect(await reopened.getIncident(incident.id)).toStrictEqual(incident);
    expect(await reopened.listTimeline(incident.id)).toStrictEqual(events);
    expect(await reopened.outbox.pending(incident.id)).toHaveLength(1);
    expect((await reopened.latestPostmortem(incident.id))?.version).toBe(1);
    expect((await reopened.declareIncident(newIncident(), [newEvent()], [])).incident.number).toBe(2);
    await reopened.close();
  });

  it('when a file is reopened, then migrations do not run again', async () => {
    await SqliteIncidentStore.open(file).close();
    const version = inspect(schemaVersion);
    expect(version).toBe(MIGRATIONS.length);
    // Re-running the initial CREATE TABLEs would throw, so a clean reopen proves they were skipped.
    const reopened = SqliteIncidentStore.open(file);
    expect(await reopened.ping()).toBe(true);
    await reopened.close();
    expect(inspect(schemaVersion)).toBe(version);
  });

  it('when a file is on disk, then it is in WAL mode', async () => {
    const store = SqliteIncidentStore.open(file);
    expect(inspect((db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
    await store.close();
  });

  it('when the file comes from a newer build, then opening it fails instead of guessing', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => SqliteIncidentStore.open(file)).toThrow('newer');
  });

  it('when a change repeats one sourceId among several new events, then none of them is written', async () => {
    const store = SqliteIncidentStore.open(file);
    const { incident } = await store.declareIncident(newIncident(), [newEvent()], []);
    const fresh = newEvent();
    const repeated = newEvent();
    const change = { incidentId: incident.id, patch: { title: 'changed' }, effects: [{ kind: 'header.update' } as const], now: T0 + 1 };
    // Neither sourceId is stored yet, so this passes the duplicate check and fails inside the transaction.
    const events = [fresh, repeated, { ...newEvent(), sourceId: repeated.sourceId }];
    // Matched by code, not toThrow(): better-sqlite3's native addon keeps the SqliteError class of the
    // first jest sandbox that loaded it, so in later test files it is not an instance of this realm's Error.
    await expect(store.applyChange({ ...change, events })).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(await store.getIncident(incident.id)).toStrictEqual(incident);
    expect(await store.findEventBySource(fresh.sourceId)).toBeUndefined();
    expect(await store.listTimeline(incident.id)).toHaveLength(1);
    expect(await store.outbox.pending(incident.id)).toEqual([]);
    await store.close();
  });

  it('when a declare fails inside its transaction, then no incident is stored and no number is used up', async () => {
    const store = SqliteIncidentStore.open(':memory:');
    const event = newEvent();
    const broken = newIncident();
    const events = [event, { ...newEvent(), sourceId: event.sourceId }];
    await expect(store.declareIncident(broken, events, [{ kind: 'header.post' }])).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(await store.getIncident(broken.id)).toBeUndefined();
    expect(await store.findEventBySource(event.sourceId)).toBeUndefined();
    expect((await store.declareIncident(newIncident(), [newEvent()], [])).incident.number).toBe(1);
    await store.close();
  });

  it('when an effect is abandoned, then it stays stored with its error', async () => {
    const store = SqliteIncidentStore.open(file);
    const { incident } = await store.declareIncident(newIncident(), [newEvent()], [{ kind: 'header.post' }]);
    const [effect] = await store.outbox.pending(incident.id);
    await store.outbox.abandon(effect.id, 'channel_not_found');
    await store.close();
    const row = inspect((db) => db.prepare('SELECT state, attempts, last_error FROM effects WHERE id = ?').get(effect.id));
    expect(row).toEqual({ state: 'abandoned', attempts: 1, last_error: 'channel_not_found' });
  });

  it('when closed, then close is idempotent and ping answers false', async () => {
    const store = SqliteIncidentStore.open(':memory:');
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
    expect(await store.ping()).toBe(false);
  });

  it('when patchIncident clears a field, then the key is removed rather than set to undefined', () => {
    const incident = { ...newIncident({ description: 'gone' }), number: 1, updatedAt: T0 };
    expect(patchIncident(incident, { description: undefined }, T0 + 1)).not.toHaveProperty('description');
  });

  describe('escalations', () => {
    it('when two processes claim due escalations at once, then each is claimed exactly once', async () => {
      // Two connections to one file, as two bot processes would have. better-sqlite3 is synchronous,
      // so the calls interleave rather than overlap: this checks that each connection sees the other's
      // claims at once; the atomicity under real overlap is the single UPDATE … RETURNING's.
      const [a, b] = [SqliteIncidentStore.open(file), SqliteIncidentStore.open(file)];
      const { incident } = await a.declareIncident(newIncident(), [newEvent()], []);
      const rounds = 40;
      const perRound = 5;
      const escalations = Array.from({ length: rounds * perRound }, (_, i) => newEscalation(incident.id, { deadlineAt: T0 + Math.floor(i / perRound) * 1000 }));
      const writes = escalations.map((escalation) => ({ escalation, expectedVersion: null }));
      await b.applyChange({ incidentId: incident.id, escalations: writes, now: T0 });

      const claims: string[] = [];
      for (let round = 0; round <= rounds; round += 1) {
        const now = T0 + round * 1000;
        // Limits below what is due, so claimers compete for the same rows in most rounds.
        const batches = await Promise.all([
          a.claimDueEscalations(now, 'a', 60_000, 2),
          b.claimDueEscalations(now, 'b', 60_000, 3),
          a.claimDueEscalations(now, 'a2', 60_000, 2),
          b.claimDueEscalations(now, 'b2', 60_000, 1),
        ]);
        claims.push(...batches.flat().map((e) => e.id));
      }
      expect(claims).toHaveLength(escalations.length);
      expect(new Set(claims).size).toBe(escalations.length);
      await Promise.all([a.close(), b.close()]);
    });

    it('when a change creates an id that is already stored, then the primary key rejects it', async () => {
      const store = SqliteIncidentStore.open(':memory:');
      const declared = newIncident();
      const { incident, escalations } = await store.declareIncident(declared, [newEvent()], [], [newEscalation(declared.id)]);
      await expect(store.applyChange({ incidentId: incident.id, escalations: [{ escalation: escalations[0], expectedVersion: null }], now: T0 })).rejects.toMatchObject({
        code: 'SQLITE_CONSTRAINT_PRIMARYKEY',
      });
      await store.close();
    });

    it('when an escalation is claimed, then the lease is kept in its columns, out of the document', async () => {
      const store = SqliteIncidentStore.open(file);
      const { incident } = await store.declareIncident(newIncident(), [newEvent()], []);
      const escalation = newEscalation(incident.id);
      await store.applyChange({ incidentId: incident.id, escalations: [{ escalation, expectedVersion: null }], now: T0 });
      await store.claimDueEscalations(T0 + 60_000, 'me', 30_000, 1);
      await store.close();
      const row = inspect((db) => db.prepare('SELECT version, lease_owner, lease_until, doc FROM escalations').get());
      expect(row).toEqual({ version: 1, lease_owner: 'me', lease_until: T0 + 90_000, doc: JSON.stringify(escalation) });
    });

    it('when a file from before escalations is opened, then it is upgraded in place and keeps its incidents', async () => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const db = new Database(file);
      migrate(db, MIGRATIONS.slice(0, 1));
      db.close();
      const store = SqliteIncidentStore.open(file);
      const { incident } = await store.declareIncident(newIncident(), [newEvent()], [], []);
      const escalation = newEscalation(incident.id);
      await store.applyChange({ incidentId: incident.id, escalations: [{ escalation, expectedVersion: null }], now: T0 });
      expect(await store.listEscalations(incident.id)).toStrictEqual([{ ...escalation, version: 1 }]);
      await store.close();
      expect(inspect(schemaVersion)).toBe(MIGRATIONS.length);
    });
  });

  describe('effect claims', () => {
    it('when two processes race for the same effects, then each effect is claimed by exactly one', async () => {
      // Two connections to one file, as two bot processes would have (see the escalation race above).
      const [a, b] = [SqliteIncidentStore.open(file), SqliteIncidentStore.open(file)];
      const specs = Array.from({ length: 50 }, (_, i) => ({ kind: 'channel.post' as const, text: `line ${i}` }));
      const { incident } = await a.declareIncident(newIncident(), [newEvent()], specs);
      const effects = await b.outbox.pending(incident.id);
      expect(effects).toHaveLength(specs.length);

      const winners = await Promise.all(
        effects.map(async (effect) => {
          const [byA, byB] = await Promise.all([a.outbox.claim(effect.id, 'a', T0, 60_000), b.outbox.claim(effect.id, 'b', T0, 60_000)]);
          return [byA, byB].filter(Boolean).length;
        }),
      );
      expect(winners).toEqual(effects.map(() => 1));
      await Promise.all([a.close(), b.close()]);
    });

    it('when one process holds an effect, then another sees it held until the lease ends and then takes it', async () => {
      const [a, b] = [SqliteIncidentStore.open(file), SqliteIncidentStore.open(file)];
      const { incident } = await a.declareIncident(newIncident(), [newEvent()], [{ kind: 'header.post' }]);
      const [effect] = await a.outbox.pending(incident.id);
      expect(await a.outbox.claim(effect.id, 'a', T0, 30_000)).toBe(true);
      expect(await b.outbox.claim(effect.id, 'b', T0 + 29_999, 30_000)).toBe(false);
      expect(await b.outbox.claim(effect.id, 'b', T0 + 30_000, 30_000)).toBe(true);
      await b.outbox.complete([effect.id]);
      expect(await a.outbox.claim(effect.id, 'a', T0 + 90_000, 30_000)).toBe(false);
      await Promise.all([a.close(), b.close()]);
    });

    it('when an effect is claimed and then retried, then the lease lives in its columns and is cleared', async () => {
      const store = SqliteIncidentStore.open(file);
      const { incident } = await store.declareIncident(newIncident(), [newEvent()], [{ kind: 'header.post' }]);
      const [effect] = await store.outbox.pending(incident.id);
      const lease = () => inspect((db) => db.prepare('SELECT lease_owner, lease_until FROM effects WHERE id = ?').get(effect.id));
      await store.outbox.claim(effect.id, 'me', T0, 30_000);
      expect(lease()).toEqual({ lease_owner: 'me', lease_until: T0 + 30_000 });
      await store.outbox.retry(effect.id, T0 + 1000, 'timeout');
      expect(lease()).toEqual({ lease_owner: null, lease_until: null });
      await store.close();
    });

    it('when a file from before effect leases is opened, then its pending effects are upgraded unclaimed', async () => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const db = new Database(file);
      migrate(db, MIGRATIONS.slice(0, 2));
      db.close();
      // Written as the version-2 build did: effects had no lease columns yet.
      const raw = new Database(file);
      const incident = newIncident();
      raw
        .prepare(`INSERT INTO incidents (id, team_id, number, status, channel_id, declared_at, doc) VALUES (?, ?, 1, ?, NULL, ?, ?)`)
        .run(incident.id, incident.teamId, incident.status, incident.declaredAt, JSON.stringify({ ...incident, number: 1, updatedAt: T0 }));
      raw.prepare(`INSERT INTO effects (incident_id, spec, not_before, created_at) VALUES (?, ?, 0, ?)`).run(incident.id, JSON.stringify({ kind: 'header.post' }), T0);
      raw.close();

      const store = SqliteIncidentStore.open(file);
      const [effect] = await store.outbox.pending(incident.id);
      expect(effect.spec).toEqual({ kind: 'header.post' });
      expect(await store.outbox.claim(effect.id, 'a', T0, 30_000)).toBe(true);
      expect(await store.outbox.claim(effect.id, 'b', T0, 30_000)).toBe(false);
      await store.close();
      expect(inspect(schemaVersion)).toBe(MIGRATIONS.length);
    });

    it('when a file from before start times is opened, then effects claimed or retried by then count as started', async () => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const db = new Database(file);
      migrate(db, MIGRATIONS.slice(0, 3));
      // Written as the version-3 build did: one effect held by a process, one retried, one untouched.
      const incident = newIncident();
      db.prepare(`INSERT INTO incidents (id, team_id, number, status, channel_id, declared_at, doc) VALUES (?, ?, 1, ?, NULL, ?, ?)`).run(
        incident.id,
        incident.teamId,
        incident.status,
        incident.declaredAt,
        JSON.stringify({ ...incident, number: 1, updatedAt: T0 }),
      );
      const insert = db.prepare(`INSERT INTO effects (incident_id, spec, attempts, not_before, created_at, lease_owner, lease_until) VALUES (?, ?, ?, 0, ?, ?, ?)`);
      insert.run(incident.id, JSON.stringify({ kind: 'channel.post', text: 'held' }), 0, T0, 'old-process', T0 + 60_000);
      insert.run(incident.id, JSON.stringify({ kind: 'channel.post', text: 'retried' }), 2, T0 + 1, null, null);
      insert.run(incident.id, JSON.stringify({ kind: 'channel.post', text: 'new' }), 0, T0 + 2, null, null);
      db.close();

      const store = SqliteIncidentStore.open(file);
      const started = (await store.outbox.pending(incident.id)).map((e) => [e.spec.kind === 'channel.post' && e.spec.text, e.startedAt]);
      expect(started).toEqual([
        ['held', T0],
        ['retried', T0 + 1],
        ['new', undefined],
      ]);
      await store.close();
    });
  });

  describe('migrate', () => {
    const step = (version: number, sql: string) => ({ version, description: `step ${version}`, sql });

    it('when a file is at an older version, then only the newer migrations run', () => {
      const db = new Database(':memory:');
      migrate(db, [step(1, 'CREATE TABLE a (x)')]);
      expect(migrate(db, [step(1, 'CREATE TABLE a (x)'), step(2, 'CREATE TABLE b (y)')])).toBe(2);
      db.close();
    });

    it('when a migration fails, then its changes are rolled back and the version stays', () => {
      const db = new Database(':memory:');
      expect(() => migrate(db, [step(1, 'CREATE TABLE a (x)'), step(2, 'CREATE TABLE b (y); CREATE TABLE a (x)')])).toThrow(/already exists/);
      expect(schemaVersion(db)).toBe(1);
      expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'b'`).get()).toBeUndefined();
      db.close();
    });

    it('when the shipped migrations are listed, then their versions count 1, 2, 3 in order', () => {
      expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    });
  });
});
