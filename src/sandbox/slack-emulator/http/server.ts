import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { HttpReply } from '../dispatch';
import type { IncomingRequest } from './body';

/** Slack's own limits are far lower for API calls; this only guards against runaway tests. */
const MAX_BODY_BYTES = 50 * 1024 * 1024;

/** A promise holds the answer back (a slow Slack); the work itself is done when the route returns. */
export type Route = (request: IncomingRequest) => HttpReply | Promise<HttpReply>;
/** Takes over a connection asking for a protocol upgrade (Socket Mode's WebSocket). */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface RunningServer {
  baseUrl: string;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function serve(route: Route, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  let reply: HttpReply;
  try {
    const body = await readBody(req);
    reply = await route({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body });
  } catch (err) {
    reply = { status: 500, headers: { 'content-type': 'text/plain' }, body: `Slack emulator error: ${String(err)}` };
  }
  res.writeHead(reply.status, reply.headers);
  res.end(reply.body);
}

/**
 * Listens on loopback only, on a free port. Upgraded sockets are the upgrade handler's to close:
 * `close()` waits for them, as they still count as the server's connections.
 */
export async function startServer(route: Route, upgrade?: UpgradeHandler): Promise<RunningServer> {
  const server: Server = createServer((req, res) => void serve(route, req, res));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => (upgrade ? upgrade(req, socket, head) : socket.destroy()));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Clients keep connections alive; without this, close() would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}
