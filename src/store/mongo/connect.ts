// Opening the connection: bounded retries while the database comes up (a container started next to
// the bot, a replica set electing its primary), never logging the credentials in the URI.

import { setTimeout as sleep } from 'node:timers/promises';
import mongoose, { type Connection } from 'mongoose';
import { isUnavailable, StorageUnavailableError } from './errors';

export interface StoreLogger {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
}

export interface MongoConnectOptions {
  logger?: StoreLogger;
  /** Connection attempts before giving up (default 10). */
  attempts?: number;
  /** Pause between attempts (default 3000 ms). */
  retryDelayMs?: number;
  /**
   * How long one operation waits for a reachable server before it fails with StorageUnavailableError
   * (default 5000 ms): long enough for a replica set election, short enough to answer the user.
   */
  serverSelectionTimeoutMS?: number;
}

/** The hosts of a connection string, without scheme, user, password, path or options. */
export function describeHosts(uri: string): string {
  const afterScheme = uri.replace(/^[a-z+]+:\/\//i, '');
  const authority = afterScheme.split(/[/?]/, 1)[0] ?? '';
  const hosts = authority.slice(authority.lastIndexOf('@') + 1);
  return hosts || '(no host)';
}

/** A message with any `user:password@` of the URI taken out (driver messages may quote the URI). */
export function redact(message: string): string {
  return message.replace(/(mongodb(?:\+srv)?:\/\/)[^@/\s]*@/gi, '$1***@');
}

/**
 * Connects, retrying while the server is unreachable. Other failures (bad URI, wrong password) are
 * not retried: waiting will not fix them. The last unreachable attempt throws StorageUnavailableError.
 */
export async function openConnection(uri: string, options: MongoConnectOptions = {}): Promise<Connection> {
  const { logger, attempts = 10, retryDelayMs = 3000, serverSelectionTimeoutMS = 5000 } = options;
  const where = describeHosts(uri);
  for (let attempt = 1; ; attempt += 1) {
    const connection = mongoose.createConnection(uri, {
      serverSelectionTimeoutMS,
      // Operations while disconnected fail at once; mongoose would otherwise queue them silently.
      bufferCommands: false,
      autoIndex: false,
      autoCreate: false,
      // Belt and braces: the adapter strips undefined itself; the driver would store it as null.
      ignoreUndefined: true,
    });
    // An 'error' event without a listener would crash the process; failures surface through asPromise.
    connection.on('error', () => undefined);
    try {
      await connection.asPromise();
      logger?.info(`connected to MongoDB at ${where}`);
      return connection;
    } catch (error) {
      await connection.close(true).catch(() => undefined);
      if (!isUnavailable(error)) throw error;
      const reason = redact(error instanceof Error ? error.message : String(error));
      if (attempt >= attempts) {
        logger?.warn(`giving up on MongoDB at ${where} after ${attempts} attempts: ${reason}`);
        throw new StorageUnavailableError({ cause: error });
      }
      logger?.warn(`waiting for MongoDB at ${where} (attempt ${attempt + 1}/${attempts}): ${reason}`);
      await sleep(retryDelayMs);
    }
  }
}

/** Transactions need a replica set or mongos: say so at startup, not at the first write. */
export async function requireTransactions(connection: Connection, uri: string): Promise<void> {
  const db = connection.db;
  if (!db) throw new Error('MongoDB connection has no database');
  const hello = await db.admin().command({ hello: 1 });
  if (typeof hello.setName === 'string' || hello.msg === 'isdbgrid') return;
  throw new Error(`MongoDB at ${describeHosts(uri)} is a standalone server; the store needs transactions, so a replica set ` + '(Atlas, or mongod --replSet with rs.initiate()).');
}
