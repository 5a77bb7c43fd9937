// One client socket: decodes requests, runs them in arrival order, writes replies, and serves the
// driver's streaming ("awaitable") hello used by its server monitor.
import type net from 'node:net';
import type { Document, ObjectId } from 'bson';
import type { Dispatcher } from './dispatch';
import { encodeOpMsg, encodeOpReply, FLAG_EXHAUST_ALLOWED, FLAG_MORE_TO_COME, MessageReader, OP_QUERY, type WireRequest } from './framing';

export interface ConnectionDeps {
  dispatcher: Dispatcher;
  processId: ObjectId;
  nextRequestId: () => number;
}

function isAwaitableHello(cmd: Document): boolean {
  const name = Object.keys(cmd)[0];
  return (name === 'hello' || name === 'isMaster' || name === 'ismaster') && cmd.topologyVersion !== undefined && cmd.maxAwaitTimeMS !== undefined;
}

export class WireConnection {
  private readonly reader = new MessageReader();
  private queue: Promise<void> = Promise.resolve();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly socket: net.Socket,
    readonly id: number,
    private readonly deps: ConnectionDeps,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    // Clients vanish with ECONNRESET all the time (pool pruning, tests ending); that's not an error.
    socket.on('error', () => this.destroy());
    socket.on('close', () => this.destroy());
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    let requests: WireRequest[];
    try {
      requests = this.reader.push(chunk);
    } catch {
      this.destroy(); // a real mongod also drops a connection that sends garbage
      return;
    }
    // Requests run strictly in order; a failure while replying (e.g. a reply too large to encode)
    // leaves the stream in an unknown state, so the connection is dropped, as mongod would.
    for (const r of requests) this.queue = this.queue.then(() => this.handle(r)).catch(() => this.destroy());
  }

  private write(buf: Buffer): void {
    if (!this.closed) this.socket.write(buf);
  }

  private async handle(r: WireRequest): Promise<void> {
    if (this.closed) return;
    if (r.opCode === OP_QUERY) {
      const reply = await this.deps.dispatcher.run(r.command, r.db, this.id);
      this.write(encodeOpReply(this.deps.nextRequestId(), r.requestId, reply));
      return;
    }
    if (isAwaitableHello(r.command)) {
      this.streamHello(r);
      return;
    }
    const reply = await this.deps.dispatcher.run(r.command, r.db, this.id);
    // moreToCome on a request means fire-and-forget (w: 0): the client reads no reply.
    if (r.flags & FLAG_MORE_TO_COME) return;
    this.write(encodeOpMsg(this.deps.nextRequestId(), r.requestId, reply));
  }

  /**
   * The monitor sends hello with topologyVersion + maxAwaitTimeMS and exhaustAllowed. The server
   * answers when the topology changes (never, here) or the wait elapses; with exhaust it keeps
   * answering every maxAwaitTimeMS with moreToCome set, each reply responding to the previous one.
   */
  private streamHello(r: WireRequest): void {
    const exhaust = (r.flags & FLAG_EXHAUST_ALLOWED) !== 0;
    const waitMs = Math.max(0, Number(r.command.maxAwaitTimeMS) || 0);
    const known = r.command.topologyVersion as Document;
    const stale = String(known.processId) !== String(this.deps.processId);
    const { topologyVersion: _tv, maxAwaitTimeMS: _wait, ...plain } = r.command;
    let responseTo = r.requestId;
    const tick = async (): Promise<void> => {
      const reply = await this.deps.dispatcher.run(plain, r.db, this.id);
      const requestId = this.deps.nextRequestId();
      this.write(encodeOpMsg(requestId, responseTo, reply, exhaust ? FLAG_MORE_TO_COME : 0));
      responseTo = requestId;
      if (exhaust) this.after(waitMs, tick);
    };
    this.after(stale ? 0 : waitMs, tick);
  }

  private after(ms: number, fn: () => Promise<void>): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn().catch(() => this.destroy());
    }, ms);
    this.timers.add(t);
  }
}
