// A scripted HTTP server on 127.0.0.1 for the Confluence adapter tests: real sockets and real JSON,
// every request recorded so tests can assert paths, query strings, methods, bodies and headers.
// (The full Confluence emulator comes separately; this only answers what each test scripts.)
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  /** The query string exactly as sent, without the '?'. */
  rawQuery: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface Reply {
  status?: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
  /** Never answer (to force a timeout). */
  hang?: boolean;
}

export type Handler = (request: Recorded) => Reply;

export interface LocalServer {
  url: string;
  requests: Recorded[];
  /** Replace the handler mid-test. */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export async function startLocalServer(handler: Handler = () => ({ status: 404, json: {} })): Promise<LocalServer> {
  const requests: Recorded[] = [];
  let current = handler;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: Recorded = {
        method: req.method ?? '',
        path: url.pathname,
        rawQuery: url.search.replace(/^\?/, ''),
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
      requests.push(recorded);
      const reply = current(recorded);
      if (reply.hang) return;
      const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
      const type = reply.json !== undefined ? 'application/json' : 'text/plain';
      res.writeHead(reply.status ?? 200, { 'Content-Type': type, ...reply.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Replies in order; the last one repeats. */
export function sequence(...replies: Reply[]): Handler {
  let index = 0;
  return () => replies[Math.min(index++, replies.length - 1)];
}

/** A sleep that records the waits asked for and returns at once. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
