// Proves the test-only mongo-wire server is faithful enough for the mongoose adapter's tests:
// everything here goes through REAL mongoose 9 and the mongodb driver it bundles.
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { startMongoWireServer, type MongoWireServer } from '../../support/mongo-wire';

interface User {
  email: string;
  name: string;
  team: string;
  score: number;
  tags: string[];
}

const userSchema = new Schema<User>({
  email: { type: String, required: true, unique: true },
  name: String,
  team: String,
  score: { type: Number, default: 0 },
  tags: [String],
});

const counterSchema = new Schema<{ _id: string; value: number }>({ _id: String, value: Number });

let server: MongoWireServer;
let conn: Connection;
let Users: Model<User>;

beforeAll(async () => {
  server = await startMongoWireServer();
  conn = await mongoose.createConnection(server.uri, { serverSelectionTimeoutMS: 2000 }).asPromise();
  Users = conn.model<User>('User', userSchema);
  await Users.syncIndexes();
});

afterAll(async () => {
  await conn.close();
  await server.stop();
});

beforeEach(async () => {
  await Users.deleteMany({});
});

const seed = (count: number): Array<Partial<User>> =>
  Array.from({ length: count }, (_, i) => ({
    email: `u${i}@example.com`,
    name: `user ${i}`,
    team: i % 2 === 0 ? 'sre' : 'app',
    score: i,
  }));

describe('mongo-wire server through mongoose 9', () => {
  it('connects as a replica-set primary that offers sessions', async () => {
    const hello = await conn.db!.admin().command({ hello: 1 });
    expect(hello).toMatchObject({ isWritablePrimary: true, setName: 'rs0', maxWireVersion: 21, logicalSessionTimeoutMinutes: 30 });
    expect(hello.hosts).toEqual([`127.0.0.1:${server.port}`]);
    expect(server.uri).toBe(`mongodb://127.0.0.1:${server.port}/incidents?directConnection=true`);
    expect(conn.db!.databaseName).toBe('incidents');
    const info = await conn.db!.admin().command({ buildInfo: 1 });
    expect(info.version).toBe('7.0.0');
  });

  it('creates the schema indexes, unique one included', async () => {
    const indexes = await Users.listIndexes();
    expect(indexes.map((i) => i.name).sort()).toEqual(['_id_', 'email_1']);
    expect(indexes.find((i) => i.name === 'email_1')).toMatchObject({ key: { email: 1 }, unique: true });
    await expect(Users.syncIndexes()).resolves.toEqual([]);
  });

  it('finds with filter, sort, skip, limit, projection and cursor batches', async () => {
    await Users.insertMany(seed(250));
    const top = await Users.find({ team: 'sre' }, { name: 1, score: 1 }).sort({ score: -1 }).skip(1).limit(3).lean();
    expect(top.map((u) => u.score)).toEqual([246, 244, 242]);
    expect(top[0]).not.toHaveProperty('email');

    const before = server.stats().commands.getMore ?? 0;
    const seen: number[] = [];
    for await (const u of Users.find().sort({ score: 1 }).batchSize(40).cursor()) seen.push(u.score);
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect((server.stats().commands.getMore ?? 0) - before).toBeGreaterThanOrEqual(6);
  });

  it('updates with $inc, $set and $push', async () => {
    await Users.create({ email: 'a@example.com', name: 'A', score: 1 });
    const res = await Users.updateOne({ email: 'a@example.com' }, { $inc: { score: 4 }, $set: { name: 'Ann' }, $push: { tags: 'oncall' } });
    expect(res).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    const noop = await Users.updateOne({ email: 'a@example.com' }, { $set: { name: 'Ann' } });
    expect(noop).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    expect(await Users.findOne({ email: 'a@example.com' }).lean()).toMatchObject({ name: 'Ann', score: 5, tags: ['oncall'] });
  });

  it('findOneAndUpdate upserts and returns the new document', async () => {
    const created = await Users.findOneAndUpdate(
      { email: 'new@example.com' },
      { $set: { name: 'New' }, $setOnInsert: { team: 'sre' }, $inc: { score: 1 } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    expect(created).toMatchObject({ email: 'new@example.com', name: 'New', team: 'sre', score: 1 });
    const updated = await Users.findOneAndUpdate(
      { email: 'new@example.com' },
      { $setOnInsert: { team: 'app' }, $inc: { score: 1 } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    expect(updated).toMatchObject({ _id: created!._id, team: 'sre', score: 2 });
    const before = await Users.findOneAndUpdate({ email: 'new@example.com' }, { $set: { name: 'Old' } }).lean();
    expect(before?.name).toBe('New');
  });

  it('rejects a duplicate unique key with E11000', async () => {
    await Users.create({ email: 'dup@example.com', name: 'first' });
    const err = await Users.create({ email: 'dup@example.com', name: 'second' }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 11000,
      keyPattern: { email: 1 },
      keyValue: { email: 'dup@example.com' },
      message: expect.stringContaining('E11000 duplicate key error collection: incidents.users index: email_1 dup key: { email: "dup@example.com" }'),
    });
    const upsertDup = await Users.findOneAndUpdate({ email: 'other@example.com' }, { $set: { email: 'dup@example.com' } }, { upsert: true })
      .exec()
      .catch((e: unknown) => e);
    expect(upsertDup).toMatchObject({ code: 11000, codeName: 'DuplicateKey' });
    expect(await Users.countDocuments()).toBe(1);
  });

  it('keeps going past duplicates in unordered insertMany', async () => {
    const err = await Users.insertMany([{ email: 'x@example.com' }, { email: 'x@example.com' }, { email: 'y@example.com' }], { ordered: false }).catch(
      (e: unknown) => e as { code: number; insertedDocs: unknown[] },
    );
    expect(err).toMatchObject({ code: 11000 });
    expect(await Users.countDocuments()).toBe(2);
  });

  it('aggregates, counts, distincts and deletes', async () => {
    await Users.insertMany(seed(10));
    const totals = await Users.aggregate<{ _id: string; total: number; n: number }>([
      { $match: { score: { $gte: 2 } } },
      { $group: { _id: '$team', total: { $sum: '$score' }, n: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ]);
    expect(totals).toEqual([
      { _id: 'app', total: 3 + 5 + 7 + 9, n: 4 },
      { _id: 'sre', total: 2 + 4 + 6 + 8, n: 4 },
    ]);
    expect(await Users.countDocuments({ team: 'sre' })).toBe(5);
    expect(await Users.estimatedDocumentCount()).toBe(10);
    expect((await Users.distinct('team')).sort()).toEqual(['app', 'sre']);
    expect(await Users.deleteMany({ score: { $lt: 4 } })).toMatchObject({ deletedCount: 4 });
    expect(await Users.deleteOne({ team: 'app' })).toMatchObject({ deletedCount: 1 });
    expect(await Users.countDocuments()).toBe(5);
  });

  it('commits a transaction: both writes become visible together, and only then', async () => {
    const session = await conn.startSession();
    session.startTransaction();
    await Users.create([{ email: 't1@example.com' }], { session });
    await Users.updateOne({ email: 't1@example.com' }, { $set: { name: 'in txn' } }, { session });
    await Users.create([{ email: 't2@example.com' }], { session });
    // Outside the transaction nothing is visible yet (and reads do not wait for it).
    expect(await Users.countDocuments()).toBe(0);
    expect(await Users.countDocuments({}, { session })).toBe(2);
    await session.commitTransaction();
    await session.endSession();
    expect((await Users.find().sort({ email: 1 }).lean()).map((u) => [u.email, u.name])).toEqual([
      ['t1@example.com', 'in txn'],
      ['t2@example.com', undefined],
    ]);
  });

  it('rolls a transaction back when it hits a duplicate key', async () => {
    await Users.create({ email: 'taken@example.com', score: 1 });
    const attempt = conn.transaction(async (session) => {
      await Users.updateOne({ email: 'taken@example.com' }, { $inc: { score: 10 } }, { session });
      await Users.create([{ email: 'fresh@example.com' }], { session });
      await Users.create([{ email: 'taken@example.com' }], { session });
    });
    const err = (await attempt.then(
      () => undefined,
      (e: unknown) => e,
    )) as { code: number; errorLabels?: string[] } | undefined;
    expect(err).toMatchObject({ code: 11000 });
    // Not transient, so withTransaction does not retry it forever.
    expect(err?.errorLabels ?? []).not.toContain('TransientTransactionError');
    expect(await Users.find().lean()).toEqual([expect.objectContaining({ email: 'taken@example.com', score: 1 })]);
  });

  it('serialises 50 concurrent $inc counter updates into 50 distinct values', async () => {
    const Counters = conn.model('Counter', counterSchema);
    const values = await Promise.all(
      Array.from({ length: 50 }, () => Counters.findOneAndUpdate({ _id: 'incident-seq' }, { $inc: { value: 1 } }, { upsert: true, returnDocument: 'after' }).lean()),
    );
    const seq = values.map((v) => v!.value).sort((a, b) => a - b);
    expect(seq).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});

async function eventually<T>(attempt: () => Promise<T>, tries: number): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= tries || (error as Error).name !== 'MongoServerSelectionError') throw error;
    }
  }
}

describe('mongo-wire availability switch', () => {
  it('fails while unavailable and recovers afterwards', async () => {
    const local = await startMongoWireServer();
    // bufferCommands: false — otherwise mongoose queues operations while disconnected and they
    // fail only after bufferTimeoutMS (10 s) instead of the driver's server selection timeout.
    const c = await mongoose.createConnection(local.uri, { serverSelectionTimeoutMS: 500, bufferCommands: false }).asPromise();
    const Incidents = c.model('Incident', new Schema({ title: String }));
    try {
      await Incidents.create({ title: 'before outage' });
      local.setUnavailable(true);
      const err = await Incidents.findOne()
        .exec()
        .catch((e: unknown) => e as Error);
      expect(err).toBeInstanceOf(Error);
      // Server selection gives up after serverSelectionTimeoutMS with ECONNREFUSED as the cause.
      expect((err as Error).name).toMatch(/MongoServerSelectionError|MongoNetworkError/);
      await expect(Incidents.create({ title: 'during outage' })).rejects.toThrow();

      local.setUnavailable(false);
      // The driver finds the server again on its next heartbeat; how soon depends on the machine's
      // load, so a selection that times out first is retried (each is bounded by the 500 ms above).
      await expect(eventually(() => Incidents.create({ title: 'after outage' }), 20)).resolves.toBeDefined();
      expect((await Incidents.find().sort({ title: 1 }).lean()).map((d) => d.title)).toEqual(['after outage', 'before outage']);
    } finally {
      await c.close();
      await local.stop();
    }
  });
});
