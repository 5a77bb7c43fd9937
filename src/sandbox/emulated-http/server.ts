// The Confluence, Jira and GitHub emulators' HTTP plumbing: a loopback server on a free port,
// requests read whole, replies as plain data, and the status pages proxies send.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Confluence and Jira refuse bodies over 5 MB (413); tests never need more. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface Request {
  method: string;
  /** Percent-encoded, as sent; without the query string. */
  path: string;
  rawQuery: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RunningServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  origin: string;
  close(): Promise<void>;
}

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json;charset=UTF-8', ...headers }, body: JSON.stringify(body) };
}

export function textReply(status: number, body: string, contentType = 'text/plain;charset=UTF-8', headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': contentType, ...headers }, body };
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Error';
}

/** The HTML page a load balancer or proxy in front of the service answers with. */
export function gatewayPage(status: number): Reply {
  const title = `${status} ${reasonPhrase(status)}`;
  return textReply(status, `<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`, 'text/html;charset=utf-8');
}

/** Atlassian Cloud's text/plain 401 to wrong Basic credentials, the same for Confluence and Jira. */
export const ATLASSIAN_BAD_CREDENTIALS =
  'Basic authentication with passwords is deprecated.  For more information, see: https://developer.atlassian.com/cloud/confluence/deprecation-notice-basic-auth/\n';

export function header(request: Request, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export type JsonBody = { ok: true; value: Record<string, unknown> } | { ok: false; status: 400 | 415; message: string };

/** The request's JSON object body; Confluence's REST layer answers 415 to any other media type. */
export function jsonBody(request: Request): JsonBody {
  const type = (header(request, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') return { ok: false, status: 415, message: `Unsupported Media Type: expected application/json, got ${type || 'none'}` };
  try {
    const parsed: unknown = JSON.parse(request.body.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return { ok: true, value: parsed as Record<string, unknown> };
    return { ok: false, status: 400, message: 'The request body must be a JSON object' };
  } catch {
    return { ok: false, status: 400, message: 'The request body is not valid JSON' };
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function serve(name: string, route: (request: Request) => Reply, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = req.url ?? '/';
  const queryAt = raw.indexOf('?');
  const rawQuery = queryAt < 0 ? '' : raw.slice(queryAt + 1);
  let reply: Reply;
  try {
    const body = await readBody(req);
    reply = body
      ? route({ method: req.method ?? 'GET', path: queryAt < 0 ? raw : raw.slice(0, queryAt), rawQuery, query: new URLSearchParams(rawQuery), headers: req.headers, body })
      : textReply(413, 'Request Entity Too Large');
  } catch (err) {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    reply = textReply(500, `${name} emulator bug: ${message}`);
  }
  res.writeHead(reply.status, reply.headers);
  res.end(reply.body);
}

/** Listens on loopback only, on a free port. `name` says whose bug an exception in `route` is. */
export async function startServer(name: string, route: (request: Request) => Reply): Promise<RunningServer> {
  const server = createServer((req, res) => void serve(name, route, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Clients keep connections alive; without this, close() would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}
