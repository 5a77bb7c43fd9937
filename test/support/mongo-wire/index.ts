// TEST-ONLY MongoDB stand-in: speaks enough of the wire protocol for mongoose 9 / driver 7 and
// stores data in memory, evaluated by mingo. It exists because no mongod can run here; it is
// never shipped, and anything it gets wrong is a test-fidelity bug, not a product feature.
import net from 'node:net';
import { ObjectId } from 'bson';
import { WireConnection } from './connection';
import { CursorRegistry } from './cursors';
import { Dispatcher } from './dispatch';
import { Storage } from './store';
import { TransactionManager } from './transactions';

export interface MongoWireServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Server-side limit after which an unfinished transaction is aborted (MongoDB: 60 s). */
  transactionLifetimeMs?: number;
}

export interface MongoWireServer {
  /** e.g. mongodb://127.0.0.1:PORT/incidents?directConnection=true */
  uri: string;
  port: number;
  /** Closes the listener and every socket so jest can exit. */
  stop(): Promise<void>;
  /** true: drop all connections and refuse new ones (ECONNREFUSED); false: listen again. */
  setUnavailable(down: boolean): void;
  /** How many times each command name was received. */
  stats(): { commands: Record<string, number> };
}

const HOST = '127.0.0.1';

function listen(server: net.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, HOST, () => {
      server.off('error', onError);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

export async function startMongoWireServer(options: MongoWireServerOptions = {}): Promise<MongoWireServer> {
  const storage = new Storage();
  const cursors = new CursorRegistry();
  const txns = new TransactionManager(storage, options.transactionLifetimeMs ?? 10_000);
  const processId = new ObjectId();
  const commands: Record<string, number> = {};
  const connections = new Set<WireConnection>();
  let requestId = 0;
  let connectionId = 0;
  let port = 0;
  let down = false;
  let stopped = false;
  /** A failure to listen again after setUnavailable(false) surfaces from stop(). */
  let relistenError: Error | undefined;

  const dispatcher = new Dispatcher({
    storage,
    cursors,
    txns,
    processId,
    port: () => port,
    count: (name) => {
      commands[name] = (commands[name] ?? 0) + 1;
    },
  });

  const server = net.createServer((socket) => {
    if (down || stopped) {
      socket.destroy();
      return;
    }
    connectionId += 1;
    const conn = new WireConnection(socket, connectionId, {
      dispatcher,
      processId,
      nextRequestId: () => (requestId = (requestId + 1) | 0),
    });
    connections.add(conn);
    socket.on('close', () => connections.delete(conn));
  });
  server.on('error', (err) => {
    relistenError = err;
  });

  port = await listen(server, options.port ?? 0);

  const dropEverything = (): void => {
    for (const c of connections) c.destroy();
    connections.clear();
    // Like a primary restarting: open transactions and cursors do not survive.
    txns.abortAll();
    cursors.clear();
  };

  return {
    uri: `mongodb://${HOST}:${port}/incidents?directConnection=true`,
    port,
    setUnavailable(next: boolean): void {
      if (stopped || next === down) return;
      down = next;
      if (down) {
        server.close();
        dropEverything();
      } else {
        listen(server, port).catch((err: Error) => {
          relistenError = err;
        });
      }
    },
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      dropEverything();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      if (relistenError) throw relistenError;
    },
    stats: () => ({ commands: { ...commands } }),
  };
}
