// Handshake, server-info and DDL commands (collections and indexes).
import { Query } from 'mingo';
import { Long, ObjectId, type Document } from 'bson';
import { optionalDoc, targetName, type CommandContext, type Handler } from './context';
import { CommandError } from './errors';
import { createIndexes as addIndexes, dropIndexes as removeIndexes } from './indexes';

export const SERVER_VERSION = '7.0.0';
/** MongoDB 7.0's wire version: modern enough for every feature mongoose 9 / driver 7 use. */
const MAX_WIRE_VERSION = 21;
const REPLICA_SET = 'rs0';
const ELECTION_ID = new ObjectId('7fffffff0000000000000001');

/**
 * hello/isMaster. Answering as a replica-set primary (not a standalone) is what makes the driver
 * offer sessions and transactions.
 */
export const hello: Handler = (cmd, ctx) => {
  const me = `127.0.0.1:${ctx.port}`;
  const legacy = cmd.isMaster !== undefined || cmd.ismaster !== undefined;
  const reply: Document = {
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    topologyVersion: topologyVersion(ctx),
    setName: REPLICA_SET,
    setVersion: 1,
    hosts: [me],
    primary: me,
    me,
    secondary: false,
    electionId: ELECTION_ID,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
  };
  if (cmd.helloOk === true) reply.helloOk = true;
  return reply;
};

export function topologyVersion(ctx: Pick<CommandContext, 'processId'>): Document {
  return { processId: ctx.processId, counter: Long.fromNumber(0) };
}

export const ping: Handler = () => ({});
export const endSessions: Handler = () => ({});

export const buildInfo: Handler = () => ({
  version: SERVER_VERSION,
  versionArray: SERVER_VERSION.split('.').map(Number).concat(0),
  gitVersion: 'mongo-wire-test-server',
  bits: 64,
  debug: false,
  maxBsonObjectSize: 16 * 1024 * 1024,
  storageEngines: ['mingo'],
  modules: [],
});

const PARAMETERS: Document = {
  featureCompatibilityVersion: { version: '7.0' },
  transactionLifetimeLimitSeconds: 60,
  authenticationMechanisms: [],
};

export const getParameter: Handler = (cmd) => {
  if (cmd.getParameter === '*') return { ...PARAMETERS };
  const reply: Document = {};
  for (const key of Object.keys(cmd)) {
    if (key === 'getParameter' || key.startsWith('$') || key === 'lsid') continue;
    if (!(key in PARAMETERS)) throw new CommandError('InvalidOptions', 'no option found to get');
    reply[key] = PARAMETERS[key];
  }
  return reply;
};

function cursorOf(ctx: CommandContext, ns: string, docs: Document[], cmd: Document): Document {
  return ctx.cursors.first(ns, docs, optionalDoc(cmd.cursor)?.batchSize);
}

export const listCollections: Handler = (cmd, ctx) => {
  const entries = ctx.storage.list(ctx.db).map((c) =>
    cmd.nameOnly === true
      ? { name: c.name, type: 'collection' }
      : {
          name: c.name,
          type: 'collection',
          options: {},
          info: { readOnly: false, uuid: c.uuid },
          idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
        },
  );
  const filter = new Query(optionalDoc(cmd.filter) ?? {});
  return cursorOf(
    ctx,
    `${ctx.db}.$cmd.listCollections`,
    entries.filter((e) => filter.test(e)),
    cmd,
  );
};

export const create: Handler = (cmd, ctx) => {
  const name = targetName(cmd);
  if (ctx.view.get(ctx.db, name)) {
    throw new CommandError('NamespaceExists', `Collection ${ctx.db}.${name} already exists.`);
  }
  ctx.view.getOrCreate(ctx.db, name);
  return {};
};

export const drop: Handler = (cmd, ctx) => {
  const name = targetName(cmd);
  const dropped = ctx.storage.drop(ctx.db, name);
  // MongoDB 7.0 no longer fails when the collection does not exist.
  return { ns: `${ctx.db}.${name}`, nIndexesWas: dropped?.indexes.length ?? 0 };
};

export const dropDatabase: Handler = (_cmd, ctx) => {
  ctx.storage.dropDatabase(ctx.db);
  return { dropped: ctx.db };
};

function existing(ctx: CommandContext, name: string) {
  const coll = ctx.view.get(ctx.db, name);
  if (!coll) throw new CommandError('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
  return coll;
}

export const listIndexes: Handler = (cmd, ctx) => {
  const name = targetName(cmd);
  const specs = existing(ctx, name).indexes.map((i) => ({ ...i }));
  return cursorOf(ctx, `${ctx.db}.$cmd.listIndexes.${name}`, specs, cmd);
};

export const createIndexes: Handler = (cmd, ctx) => {
  const name = targetName(cmd);
  if (!Array.isArray(cmd.indexes)) throw new CommandError('FailedToParse', "'indexes' must be an array");
  const createdCollectionAutomatically = !ctx.view.get(ctx.db, name);
  const coll = ctx.view.getOrCreate(ctx.db, name);
  const numIndexesBefore = coll.indexes.length;
  const created = addIndexes(coll, cmd.indexes as Document[]);
  const reply: Document = { numIndexesBefore, numIndexesAfter: coll.indexes.length, createdCollectionAutomatically };
  if (created === 0) reply.note = 'all indexes already exist';
  return reply;
};

export const dropIndexes: Handler = (cmd, ctx) => {
  const coll = existing(ctx, targetName(cmd));
  const nIndexesWas = coll.indexes.length;
  removeIndexes(coll, cmd.index);
  return { nIndexesWas };
};
