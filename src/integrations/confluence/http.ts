// One request path for both Confluence flavours: JSON in and out, a timeout per attempt, bounded
// retries for what may pass on its own (429, 5xx, network), and errors that never carry credentials.

import type { z } from 'zod';

import { ConfluenceError, type ConfluenceErrorCode } from '../../ports/confluence';

export interface ConfluenceHttpOptions {
  fetch?: typeof fetch;
  /** Injected so tests run without real waits and can assert the waits asked for. */
  sleep?: (ms: number) => Promise<void>;
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** Per attempt (default 20 s). */
  timeoutMs?: number;
}

export interface ConfluenceHttpConfig {
  /** Without a trailing slash; may include a context path (`https://host/confluence`). */
  baseUrl: string;
  authorization: string;
  /** Every form a credential takes (token, email:token, base64, header value): scrubbed from messages. */
  secrets: string[];
}

export type Query = Record<string, string | undefined>;
type Method = 'GET' | 'POST' | 'PUT';

export const DEFAULT_MAX_RETRIES = 3;
export const MAX_WAIT_MS = 30_000;
const FIRST_BACKOFF_MS = 1_000;
const DEFAULT_TIMEOUT_MS = 20_000;
const MESSAGE_LIMIT = 200;
const RETRYABLE = new Set<ConfluenceErrorCode>(['rate_limited', 'server_error', 'network']);
// Cloud: "A page with this title already exists: …"; DC adds "… with the title X in the space with key Y".
const TITLE_TAKEN = /title already exists|already exists with (the same )?title/i;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ConfluenceHttp {
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly secrets: string[];

  constructor(
    private readonly config: ConfluenceHttpConfig,
    options: ConfluenceHttpOptions = {},
  ) {
    this.fetchFn = options.fetch ?? fetch;
    this.sleep = options.sleep ?? realSleep;
    this.maxRetries = Math.max(0, options.maxRetries ?? DEFAULT_MAX_RETRIES);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Longest first, so a header value is scrubbed whole before the token inside it.
    this.secrets = config.secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  }

  /** As request, but a 404 (a page deleted, or never there) is undefined rather than an error. */
  async requestIfFound(method: Method, path: string, init: { query?: Query; body?: unknown } = {}): Promise<unknown> {
    try {
      return await this.request(method, path, init);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** The parsed JSON body (undefined when empty), or a ConfluenceError after the retries allowed. */
  async request(method: Method, path: string, init: { query?: Query; body?: unknown } = {}): Promise<unknown> {
    const url = `${this.config.baseUrl}${path}${queryString(init.query)}`;
    const label = `Confluence ${method} ${path}`;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(method, url, label, init.body);
      } catch (error) {
        if (!(error instanceof ConfluenceError) || !RETRYABLE.has(error.code) || attempt >= this.maxRetries) throw error;
        const wait = waitBeforeRetry(attempt, error.retryAfterMs);
        // The server asks for a longer pause than we hold a request open: the effect runner backs off instead.
        if (wait === undefined) throw error;
        await this.sleep(wait);
      }
    }
  }

  private async attempt(method: Method, url: string, label: string, body: unknown): Promise<unknown> {
    const headers: Record<string, string> = { Authorization: this.config.authorization, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await this.fetchFn(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      // Only a code or "timed out": the underlying error may describe the request.
      throw this.error('network', `${label}: ${describeFailure(error, this.timeoutMs)}`);
    }
    if (response.ok) {
      if (text.trim() === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw this.error('invalid_response', `${label}: HTTP ${response.status} with a body that is not JSON`, response.status);
      }
    }
    const status = response.status;
    const detail = messageOf(text);
    const code = codeFor(status, text);
    const retryAfterMs = status === 429 || status >= 500 ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
    throw this.error(code, `${label}: HTTP ${status} ${code}${detail ? ` — ${detail}` : ''}`, status, retryAfterMs);
  }

  private error(code: ConfluenceErrorCode, message: string, status?: number, retryAfterMs?: number): ConfluenceError {
    let safe = message;
    for (const secret of this.secrets) safe = safe.split(secret).join('[redacted]');
    return new ConfluenceError(code, safe, status, retryAfterMs);
  }
}

/** Validates a response body; the message names the field, never its value. */
export function parseBody<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues[0]?.path.join('.') || 'body';
  throw new ConfluenceError('invalid_response', `Confluence ${what}: unexpected response (${where})`);
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ConfluenceError && error.code === 'not_found';
}

function codeFor(status: number, text: string): ConfluenceErrorCode {
  // Some servers answer a title clash with 409, so the body decides before the status does.
  if ((status === 400 || status === 409) && TITLE_TAKEN.test(text)) return 'title_taken';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'version_conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'bad_request';
}

/** Cloud v2 sends `{ errors: [{ title, detail }] }`; DC and v1 send `{ message }`; proxies send HTML. */
function messageOf(text: string): string {
  let found = '';
  try {
    const json = (JSON.parse(text) ?? {}) as { message?: unknown; errors?: unknown };
    if (Array.isArray(json.errors)) {
      found = json.errors
        .flatMap((e: { title?: unknown; detail?: unknown }) => [e?.title, e?.detail])
        .filter((s): s is string => typeof s === 'string' && s !== '')
        .join('; ');
    }
    if (!found && typeof json.message === 'string') found = json.message;
  } catch {
    if (!text.trimStart().startsWith('<')) found = text;
  }
  const flat = found.replace(/\s+/g, ' ').trim();
  return flat.length > MESSAGE_LIMIT ? `${flat.slice(0, MESSAGE_LIMIT)}…` : flat;
}

function describeFailure(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? `network error (${code})` : 'network error';
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The server's Retry-After when given (undefined past the cap), else 1 s, 2 s, 4 s… capped. */
export function waitBeforeRetry(attempt: number, retryAfterMs: number | undefined): number | undefined {
  if (retryAfterMs !== undefined) return retryAfterMs > MAX_WAIT_MS ? undefined : retryAfterMs;
  return Math.min(FIRST_BACKOFF_MS * 2 ** attempt, MAX_WAIT_MS);
}

// encodeURIComponent rather than URLSearchParams: spaces become %20, never '+'. Commas stay literal
// so `expand=body.storage,version` reads as Atlassian documents it.
function queryString(query: Query | undefined): string {
  const parts = Object.entries(query ?? {})
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value).replace(/%2C/g, ',')}`);
  return parts.length ? `?${parts.join('&')}` : '';
}
