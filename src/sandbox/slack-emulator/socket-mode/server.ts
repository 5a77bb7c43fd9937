// Slack's Socket Mode end: apps.connections.open hands out single-use WebSocket URLs on the
// emulator's own HTTP server; a connection gets `hello`, then envelopes, and answers each with
// `{ envelope_id, payload? }`. Tests steer the link: refresh it (`disconnect`), cut it
// (`dropConnection`), and see what was sent and acked.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { isObject } from '../web-api/define';
import { EnvelopeQueue, type Outlet } from './envelopes';
import type { CommandAckResponse, DeliverOptions, DeliveryResult, EnvelopeType, SentEnvelope, SocketModeAck, SocketModeEnvelope } from './types';

export const SOCKET_MODE_PATH_PREFIX = '/socket-mode/';
/** Slack's ack deadline. */
export const ACK_TIMEOUT_MS = 3000;
/** A URL from apps.connections.open is short-lived and good for one connection. */
const TICKET_TTL_MS = 30_000;
/** How long `waitForConnection` waits by default: Bolt's default reconnect delay is 5 s. */
const CONNECTION_WAIT_MS = 15_000;
const DEBUG_HOST = 'applink-emulated-1';
/** How long a client gets to finish the close handshake before it is cut off. */
const CLOSE_GRACE_MS = 1000;

interface Connection {
  id: number;
  socket: WebSocket;
  /** Told to go (or cut): no new envelopes, not counted as connected. */
  closing: boolean;
  closed: Promise<void>;
}

interface ConnectionWaiter {
  resolve(): void;
  reject(err: Error): void;
}

export interface SocketModeServerOptions {
  appId(): string;
  /** The emulator's `http://127.0.0.1:PORT`. */
  baseUrl(): string;
  ackTimeoutMs?: number;
}

function textOf(data: RawData): string {
  const buffer = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  return buffer.toString('utf8');
}

function commandResponse(envelope: SocketModeEnvelope, body: Record<string, unknown>): CommandAckResponse {
  const field = (name: string) => String(envelope.payload[name] ?? '');
  return { envelopeId: envelope.envelope_id, channel: field('channel_id'), user: field('user_id'), command: field('command'), body };
}

/** Close handshake, then a cut for peers that do not answer; resolves once every socket is closed. */
async function closeGracefully(connections: Connection[], code: number): Promise<void> {
  for (const connection of connections) {
    connection.closing = true;
    connection.socket.close(code);
  }
  const cutOff = setTimeout(() => connections.forEach((c) => c.socket.terminate()), CLOSE_GRACE_MS);
  await Promise.all(connections.map((c) => c.closed));
  clearTimeout(cutOff);
}

export class SocketModeServer {
  /** Every envelope sent, once per attempt. */
  readonly sent: SentEnvelope[] = [];
  /** Every acknowledgement received, in order. */
  readonly acks: SocketModeAck[] = [];
  /** Slash command responses that came back in acks (what the person sees, as with an HTTP response body). */
  readonly responses: CommandAckResponse[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly queue: EnvelopeQueue;
  private readonly tickets = new Map<string, number>();
  private readonly connections = new Map<number, Connection>();
  private readonly delivered = new Map<string, SocketModeEnvelope>();
  private readonly waiters = new Set<ConnectionWaiter>();
  private nextConnectionId = 1;
  private stopped = false;

  constructor(private readonly options: SocketModeServerOptions) {
    this.queue = new EnvelopeQueue(options.ackTimeoutMs ?? ACK_TIMEOUT_MS, (envelope, connectionId) =>
      this.sent.push({
        envelopeId: envelope.envelope_id,
        type: envelope.type,
        retryAttempt: envelope.retry_attempt,
        retryReason: envelope.retry_reason,
        connectionId,
      }),
    );
  }

  /** What apps.connections.open returns: a fresh single-use URL. */
  issueUrl(): string {
    const ticket = randomBytes(16).toString('hex');
    this.tickets.set(ticket, Date.now());
    return `${this.options.baseUrl().replace(/^http/, 'ws')}${SOCKET_MODE_PATH_PREFIX}${ticket}`;
  }

  /** Takes over the HTTP server's upgrade requests; only valid, unused tickets get a WebSocket. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const ticket = path.startsWith(SOCKET_MODE_PATH_PREFIX) ? path.slice(SOCKET_MODE_PATH_PREFIX.length) : '';
    const issuedAt = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    if (this.stopped || issuedAt === undefined || Date.now() - issuedAt > TICKET_TTL_MS) {
      socket.on('error', () => undefined); // the client may hang up first; nothing to clean up
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  /**
   * Sends a payload in an envelope to the newest live connection (or the next one to open) and
   * resolves when the app acks it, or unacked after `timeoutMs`. Unacked envelopes stay pending
   * and are redelivered, as Slack does, until acked or retried three times.
   */
  deliver(kind: EnvelopeType, payload: Record<string, unknown>, options: DeliverOptions = {}): Promise<DeliveryResult> {
    if (this.stopped) return Promise.reject(new Error('Slack emulator is stopped'));
    const { envelope, result } = this.queue.add(kind, payload, options);
    this.delivered.set(envelope.envelope_id, envelope);
    this.queue.flush(this.outlet());
    return result;
  }

  /** Slack's connection refresh: `disconnect` then close; the app is expected to open a new one. Resolves once closed. */
  async disconnect(reason = 'refresh_requested'): Promise<void> {
    const open = [...this.connections.values()].filter((c) => !c.closing);
    for (const connection of open) connection.socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: DEBUG_HOST } }));
    await closeGracefully(open, 1000);
  }

  /** A network cut: the TCP sockets die without a close frame. Resolves once the emulator has noticed. */
  async dropConnection(): Promise<void> {
    const all = [...this.connections.values()];
    for (const connection of all) {
      connection.closing = true;
      connection.socket.terminate();
    }
    await Promise.all(all.map((c) => c.closed));
  }

  /**
   * Sends one frame exactly as given to the newest live connection, outside envelope bookkeeping
   * (nothing pending, no redelivery): for tests of malformed or unknown frames. Resolves false when
   * no connection is live, true once the frame is written.
   */
  sendRaw(frame: string | Buffer, options: { binary?: boolean } = {}): Promise<boolean> {
    const newest = this.liveConnections().at(-1);
    if (!newest) return Promise.resolve(false);
    return new Promise((resolve, reject) => newest.socket.send(frame, { binary: options.binary ?? false }, (err) => (err ? reject(err) : resolve(true))));
  }

  /** True while some connection has had its `hello` and is not being closed. */
  connected(): boolean {
    return this.outlet() !== undefined;
  }

  /** Resolves when a connection is live (at once if one is); rejects after `timeoutMs`. */
  waitForConnection(timeoutMs = CONNECTION_WAIT_MS): Promise<void> {
    if (this.connected()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: ConnectionWaiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`No Socket Mode connection within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Envelopes not acked yet (in flight or waiting for a connection). */
  pending(): number {
    return this.queue.size;
  }

  /** Forgets envelopes and logs (pending deliveries resolve unacked); connections stay. */
  reset(): void {
    this.queue.clear();
    this.delivered.clear();
    this.sent.length = 0;
    this.acks.length = 0;
    this.responses.length = 0;
  }

  /**
   * Closes every socket and timer; the emulator's stop() calls it before closing the HTTP server.
   * Sockets get a close handshake first: @slack/socket-mode 3.1 leaks a 30 s timer (keeping jest
   * alive) when a socket it is already closing is cut instead.
   */
  async close(): Promise<void> {
    this.stopped = true;
    this.queue.clear();
    this.tickets.clear();
    for (const waiter of this.waiters) waiter.reject(new Error('Slack emulator stopped'));
    this.waiters.clear();
    await closeGracefully([...this.connections.values()], 1001);
    this.wss.close();
  }

  private accept(socket: WebSocket): void {
    const id = this.nextConnectionId++;
    const connection: Connection = { id, socket, closing: false, closed: new Promise((resolve) => socket.once('close', () => resolve())) };
    this.connections.set(id, connection);
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) this.receive(connection, textOf(data));
    });
    socket.on('close', () => this.lost(connection));
    // A peer that vanishes mid-frame errors first; 'close' follows and does the bookkeeping.
    socket.on('error', () => undefined);
    socket.send(JSON.stringify(this.hello()));
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters.clear();
    this.queue.flush(this.outlet());
  }

  private hello(): Record<string, unknown> {
    return {
      type: 'hello',
      num_connections: [...this.connections.values()].filter((c) => !c.closing).length,
      debug_info: { host: DEBUG_HOST, build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: this.options.appId() },
    };
  }

  /** Acks are the only messages an app sends; anything unreadable is ignored, as Slack does. */
  private receive(connection: Connection, text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (!isObject(message) || typeof message.envelope_id !== 'string') return;
    const envelopeId = message.envelope_id;
    const payload = isObject(message.payload) && Object.keys(message.payload).length > 0 ? message.payload : undefined;
    const acked = this.queue.ack(envelopeId, payload);
    const type = this.delivered.get(envelopeId)?.type;
    this.acks.push({ envelopeId, ...(type ? { type } : {}), ...(payload ? { payload } : {}), connectionId: connection.id, accepted: acked !== undefined });
    if (acked?.type === 'slash_commands' && payload) this.responses.push(commandResponse(acked, payload));
  }

  private lost(connection: Connection): void {
    this.connections.delete(connection.id);
    this.queue.connectionLost(connection.id);
    if (!this.stopped) this.queue.flush(this.outlet());
  }

  private liveConnections(): Connection[] {
    return [...this.connections.values()].filter((c) => !c.closing && c.socket.readyState === WebSocket.OPEN);
  }

  /** The newest live connection: Slack spreads envelopes over connections; one is enough here. */
  private outlet(): Outlet | undefined {
    const newest = this.liveConnections().at(-1);
    if (!newest) return undefined;
    return { id: newest.id, send: (envelope) => newest.socket.send(JSON.stringify(envelope)) };
  }
}
