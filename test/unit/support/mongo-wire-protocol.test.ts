// Lower-level checks of the test-only mongo-wire server: raw wire frames, the driver's streaming
// monitor, and MongoDB semantics the mongoose-level suite does not reach.
import net from 'node:net';
import { deserialize, serialize, type Document } from 'bson';
import { MongoClient, type Db } from 'mongodb';
import { startMongoWireServer, type MongoWireServer } from '../../support/mongo-wire';

/** Builds an OP_MSG independently of the server's own framing code. */
function opMsg(requestId: number, body: Document, opts: { flags?: number; sequence?: [string, Document[]] } = {}): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), Buffer.from(serialize(body))];
  if (opts.sequence) {
    const [id, docs] = opts.sequence;
    const payload = Buffer.concat([Buffer.from(`${id}\0`), ...docs.map((d) => Buffer.from(serialize(d)))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4);
    parts.push(Buffer.from([1]), size, payload);
  }
  const flags = opts.flags ?? 0;
  if (flags & 1) parts.push(Buffer.alloc(4)); // checksum trailer (not verified by the server)
  const head = Buffer.alloc(20);
  const length = head.length + parts.reduce((n, p) => n + p.length, 0);
  head.writeInt32LE(length, 0);
  head.writeInt32LE(requestId, 4);
  head.writeInt32LE(2013, 12);
  head.writeUInt32LE(flags, 16);
  return Buffer.concat([head, ...parts]);
}

function opQuery(requestId: number, ns: string, query: Document): Buffer {
  const body = Buffer.concat([Buffer.alloc(4), Buffer.from(`${ns}\0`), Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]), Buffer.from(serialize(query))]);
  const head = Buffer.alloc(16);
  head.writeInt32LE(16 + body.length, 0);
  head.writeInt32LE(requestId, 4);
  head.writeInt32LE(2004, 12);
  return Buffer.concat([head, body]);
}

interface Reply {
  responseTo: number;
  opCode: number;
  doc: Document;
}

/** A raw socket that collects whole replies. */
async function rawClient(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let buffered = Buffer.alloc(0);
  const replies: Reply[] = [];
  const waiters: Array<() => void> = [];
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4 && buffered.length >= buffered.readInt32LE(0)) {
      const msg = buffered.subarray(0, buffered.readInt32LE(0));
      buffered = buffered.subarray(msg.length);
      const opCode = msg.readInt32LE(12);
      const docStart = opCode === 2013 ? 21 : 36; // OP_MSG: flags + kind byte; OP_REPLY: 20 bytes of fields
      replies.push({ responseTo: msg.readInt32LE(8), opCode, doc: deserialize(msg.subarray(docStart)) });
      waiters.shift()?.();
    }
  });
  return {
    send: (buf: Buffer) => socket.write(buf),
    next: async (): Promise<Reply> => {
      if (replies.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
      return replies.shift() as Reply;
    },
    close: () => socket.destroy(),
  };
}

let server: MongoWireServer;
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  server = await startMongoWireServer({ transactionLifetimeMs: 300 });
  client = await MongoClient.connect(server.uri, { serverSelectionTimeoutMS: 2000, heartbeatFrequencyMS: 500 });
  db = client.db();
});

afterAll(async () => {
  await client.close();
  await server.stop();
});

describe('mongo-wire framing', () => {
  it('answers OP_QUERY handshakes with OP_REPLY and OP_MSG with OP_MSG', async () => {
    const raw = await rawClient(server.port);
    try {
      raw.send(opQuery(1, 'admin.$cmd', { isMaster: 1, helloOk: true }));
      const hello = await raw.next();
      expect(hello).toMatchObject({ responseTo: 1, opCode: 1, doc: { ismaster: true, helloOk: true, setName: 'rs0', ok: 1 } });

      // Checksum flag + a kind-1 document sequence, as the driver sends insert batches.
      raw.send(opMsg(2, { insert: 'raw', $db: 'incidents' }, { flags: 1, sequence: ['documents', [{ a: 1 }, { a: 2 }]] }));
      expect(await raw.next()).toMatchObject({ responseTo: 2, opCode: 2013, doc: { n: 2, ok: 1 } });

      // moreToCome (w: 0) gets no reply: the next reply answers the ping.
      raw.send(opMsg(3, { insert: 'raw', documents: [{ a: 3 }], $db: 'incidents' }, { flags: 2 }));
      raw.send(opMsg(4, { ping: 1, $db: 'admin' }));
      expect(await raw.next()).toMatchObject({ responseTo: 4, doc: { ok: 1 } });

      raw.send(opMsg(5, { frobnicate: 1, $db: 'admin' }));
      expect((await raw.next()).doc).toMatchObject({ ok: 0, errmsg: "no such command: 'frobnicate'", code: 59, codeName: 'CommandNotFound' });
    } finally {
      raw.close();
    }
    expect(await db.collection('raw').countDocuments()).toBe(3);
  });

  it('keeps the driver monitor happy with streaming (exhaust) hello', async () => {
    const events: string[] = [];
    const watcher = await MongoClient.connect(server.uri, { heartbeatFrequencyMS: 500 });
    watcher.on('serverHeartbeatSucceeded', (e) => events.push(e.awaited ? 'awaited' : 'polled'));
    watcher.on('serverHeartbeatFailed', () => events.push('failed'));
    await new Promise((resolve) => setTimeout(resolve, 1300));
    await watcher.close();
    expect(events).toContain('awaited');
    expect(events).not.toContain('failed');
  });
});

describe('mongo-wire semantics', () => {
  it('applies the less common update forms', async () => {
    const c = db.collection('updates');
    await c.insertMany([
      {
        _id: 1 as never,
        items: [
          { sku: 'a', qty: 1 },
          { sku: 'b', qty: 5 },
        ],
        tags: ['x'],
        low: 5,
        high: 5,
      },
      { _id: 2 as never, items: [], tags: [], low: 5, high: 5 },
    ]);
    await c.updateOne({ _id: 1 as never, 'items.sku': 'b' }, { $set: { 'items.$.qty': 6 } });
    await c.updateMany({}, { $set: { 'items.$[big].flag': true } }, { arrayFilters: [{ 'big.qty': { $gt: 2 } }] });
    await c.updateOne({ _id: 1 as never }, { $addToSet: { tags: 'x' }, $min: { low: 2 }, $max: { high: 9 }, $unset: { gone: '' } });
    await c.updateOne({ _id: 2 as never }, [{ $set: { total: { $add: ['$low', '$high'] } } }]);
    await c.replaceOne({ _id: 2 as never }, { replaced: true });
    const res = await c.updateOne({ _id: 3 as never }, { $set: { n: 1 } }, { upsert: true });
    expect(res).toMatchObject({ upsertedId: 3, upsertedCount: 1 });
    expect(await c.find().sort({ _id: 1 }).toArray()).toEqual([
      {
        _id: 1,
        items: [
          { sku: 'a', qty: 1 },
          { sku: 'b', qty: 6, flag: true },
        ],
        tags: ['x'],
        low: 2,
        high: 9,
      },
      { _id: 2, replaced: true },
      { _id: 3, n: 1 },
    ]);
    await expect(c.updateOne({ _id: 1 as never }, { $set: { _id: 9 } })).rejects.toMatchObject({ code: 66 });
  });

  it('enforces unique indexes like MongoDB: null collisions, sparse, partial, compound, existing data', async () => {
    const c = db.collection('uniq');
    await c.createIndex({ handle: 1 }, { unique: true });
    await c.insertOne({ name: 'no handle' });
    await expect(c.insertOne({ name: 'also none' })).rejects.toMatchObject({ code: 11000, keyValue: { handle: null } });
    await c.createIndex({ code: 1 }, { unique: true, sparse: true, name: 'code_sparse' });
    await c.insertMany([{ handle: 'h1' }, { handle: 'h2' }]);
    // Without the partial filter this would fail like MongoDB: h1 and h2 both index as { null, null }.
    await expect(c.createIndex({ team: 1, seq: -1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    await c.createIndex({ team: 1, seq: -1 }, { unique: true, partialFilterExpression: { team: { $exists: true } } });
    await c.insertOne({ handle: 'h3', team: 'sre', seq: 1 });
    const err = await c.insertOne({ handle: 'h4', team: 'sre', seq: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 11000,
      errmsg: 'E11000 duplicate key error collection: incidents.uniq index: team_1_seq_-1 dup key: { team: "sre", seq: 1 }',
      keyPattern: { team: 1, seq: -1 },
    });
    await c.insertMany([
      { handle: 'h5', tier: 1 },
      { handle: 'h6', tier: 1 },
    ]);
    await expect(c.createIndex({ tier: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    expect((await c.listIndexes().toArray()).map((i) => i.name)).not.toContain('tier_1');
    await c.dropIndex('code_sparse');
    await expect(c.dropIndex('_id_')).rejects.toMatchObject({ code: 72 });
    await expect(c.findOneAndUpdate({ handle: 'h5' }, { $set: { handle: 'h6' } })).rejects.toMatchObject({ code: 11000, codeName: 'DuplicateKey' });
  });

  it('lists, creates and drops collections', async () => {
    await db.createCollection('ddl');
    // mongoose's autoCreate ignores exactly this error (code 48).
    await expect(db.createCollection('ddl')).rejects.toMatchObject({ code: 48, codeName: 'NamespaceExists' });
    expect((await db.listCollections({ name: 'ddl' }).toArray()).map((c) => c.name)).toEqual(['ddl']);
    await db.collection('ddl').drop();
    expect(await db.listCollections({ name: 'ddl' }).toArray()).toEqual([]);
    await expect(db.collection('ddl').drop()).resolves.toBe(true);
  });

  it('isolates transactions: explicit abort discards, and writers wait for the running transaction', async () => {
    const c = db.collection('txn');
    const a = client.startSession();
    a.startTransaction();
    await c.insertOne({ who: 'aborted' }, { session: a });
    await a.abortTransaction();
    await a.endSession();

    const b = client.startSession();
    b.startTransaction();
    await c.insertOne({ who: 'txn' }, { session: b });
    const outside = c.insertOne({ who: 'outside' }); // queues behind b's lock
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await c.find().toArray()).toEqual([]);
    await b.commitTransaction();
    await b.endSession();
    await outside;
    expect((await c.find().toArray()).map((d) => d.who)).toEqual(['txn', 'outside']);
  });

  it('refuses what MongoDB refuses inside a transaction, and aborts it', async () => {
    const c = db.collection('txn-refused');
    const s = client.startSession();
    s.startTransaction();
    await c.insertOne({ n: 1 }, { session: s });
    await expect(c.estimatedDocumentCount({ session: s })).rejects.toMatchObject({ code: 263, codeName: 'OperationNotSupportedInTransaction' });
    await expect(c.insertOne({ n: 2 }, { session: s })).rejects.toMatchObject({ code: 251 });
    await s.abortTransaction().catch(() => undefined);
    await s.endSession();
    expect(await c.countDocuments()).toBe(0);
  });

  it('aborts a transaction left open past its lifetime and releases the lock', async () => {
    const c = db.collection('stale');
    const s = client.startSession();
    s.startTransaction();
    await c.insertOne({ n: 1 }, { session: s });
    await c.insertOne({ n: 2 }); // waits until the 300 ms lifetime aborts the stale transaction
    await expect(c.insertOne({ n: 3 }, { session: s })).rejects.toMatchObject({ code: 251, codeName: 'NoSuchTransaction' });
    await s.abortTransaction().catch(() => undefined);
    await s.endSession();
    expect((await c.find().toArray()).map((d) => d.n)).toEqual([2]);
  });

  it('counts commands', () => {
    const { commands } = server.stats();
    expect(commands.insert).toBeGreaterThan(0);
    expect(commands.frobnicate).toBe(1);
  });
});
