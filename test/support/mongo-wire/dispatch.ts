// Routes a command document to its handler, inside or outside a transaction, and shapes the reply
// (ok, errors, $clusterTime) the way the driver expects.
import { Binary, Long, Timestamp, type Document, type ObjectId } from 'bson';
import * as admin from './admin';
import type { CommandContext, Handler } from './context';
import type { CursorRegistry } from './cursors';
import { asCommandError, CommandError } from './errors';
import * as reads from './reads';
import type { Storage } from './store';
import { transactionOf, type TransactionManager } from './transactions';
import * as writes from './writes';

const HANDLERS: Record<string, Handler> = {
  hello: admin.hello,
  isMaster: admin.hello,
  ismaster: admin.hello,
  ping: admin.ping,
  buildInfo: admin.buildInfo,
  buildinfo: admin.buildInfo,
  getParameter: admin.getParameter,
  endSessions: admin.endSessions,
  listCollections: admin.listCollections,
  create: admin.create,
  drop: admin.drop,
  dropDatabase: admin.dropDatabase,
  listIndexes: admin.listIndexes,
  createIndexes: admin.createIndexes,
  dropIndexes: admin.dropIndexes,
  find: reads.find,
  getMore: reads.getMore,
  killCursors: reads.killCursors,
  aggregate: reads.aggregate,
  count: reads.count,
  distinct: reads.distinct,
  insert: writes.insert,
  update: writes.update,
  delete: writes.remove,
  findAndModify: writes.findAndModify,
  findandmodify: writes.findAndModify,
};

/** Commands that change data or metadata: outside a transaction they queue behind it. */
const WRITES = new Set(['create', 'drop', 'dropDatabase', 'createIndexes', 'dropIndexes', 'insert', 'update', 'delete', 'findAndModify', 'findandmodify']);

/** MongoDB refuses these inside a multi-document transaction. */
const NOT_IN_TRANSACTION = new Set(['count', 'listCollections', 'listIndexes', 'drop', 'dropDatabase', 'dropIndexes']);

export interface DispatcherDeps {
  storage: Storage;
  cursors: CursorRegistry;
  txns: TransactionManager;
  processId: ObjectId;
  port: () => number;
  count: (command: string) => void;
}

export class Dispatcher {
  private clusterSeconds = Math.floor(Date.now() / 1000);
  private clusterIncrement = 0;

  constructor(private readonly deps: DispatcherDeps) {}

  /** Never throws: failures become `{ ok: 0, … }` replies, as on a real server. */
  async run(cmd: Document, db: string, connectionId: number): Promise<Document> {
    const name = Object.keys(cmd)[0] ?? '';
    this.deps.count(name);
    let reply: Document;
    try {
      reply = { ...(await this.execute(name, cmd, db, connectionId)), ok: 1 };
    } catch (err) {
      reply = asCommandError(err).toReply();
    }
    return { ...reply, ...this.clock() };
  }

  private async execute(name: string, cmd: Document, db: string, connectionId: number): Promise<Document> {
    const { storage, cursors, txns, processId } = this.deps;
    const ctx: CommandContext = { db, view: storage, storage, cursors, port: this.deps.port(), connectionId, processId };
    if (name === 'commitTransaction' || name === 'abortTransaction') {
      const id = transactionOf(cmd);
      if (!id) throw new CommandError('BadValue', `${name} must be run with autocommit: false`);
      if (name === 'commitTransaction') txns.commit(id);
      else txns.abort(id);
      return {};
    }
    const handler = HANDLERS[name];
    if (!handler) throw new CommandError('CommandNotFound', `no such command: '${name}'`);
    const txn = transactionOf(cmd);
    if (!txn) return WRITES.has(name) ? txns.exclusive(() => handler(cmd, ctx)) : handler(cmd, ctx);

    const view = txn.start ? await txns.begin(txn) : txns.current(txn);
    try {
      if (NOT_IN_TRANSACTION.has(name)) {
        throw new CommandError('OperationNotSupportedInTransaction', `Cannot run '${name}' in a multi-document transaction.`);
      }
      const reply = handler(cmd, { ...ctx, view });
      // Like MongoDB, any failed write inside a transaction aborts it (DuplicateKey included).
      if (Array.isArray(reply.writeErrors) && reply.writeErrors.length > 0) txns.abandon(txn);
      return reply;
    } catch (err) {
      txns.abandon(txn);
      throw err;
    }
  }

  /** Cluster time gossip; the driver echoes it back and uses operationTime for causal reads. */
  private clock(): Document {
    const now = Math.floor(Date.now() / 1000);
    if (now > this.clusterSeconds) {
      this.clusterSeconds = now;
      this.clusterIncrement = 0;
    }
    this.clusterIncrement += 1;
    const time = new Timestamp({ t: this.clusterSeconds, i: this.clusterIncrement });
    return {
      $clusterTime: { clusterTime: time, signature: { hash: new Binary(Buffer.alloc(20)), keyId: Long.fromNumber(0) } },
      operationTime: time,
    };
  }
}
