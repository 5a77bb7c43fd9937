// One request path for every REST service the bot talks to besides Slack (Confluence, Jira,
// GitHub): JSON in and out, a timeout per attempt, bounded retries for what may pass on its own
// (429, 5xx, network, a rate-limit 403), and failures that never carry credentials. Each adapter
// turns an HttpFailure into its own port's error; the retry rules live here once.

export interface JsonHttpOptions {
  fetch?: typeof fetch;
  /** Injected so tests run without real waits and can assert the waits asked for. */
  sleep?: (ms: number) => Promise<void>;
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** Per attempt (default 20 s). */
  timeoutMs?: number;
}

export interface JsonHttpConfig {
  /** "Confluence", "Jira", "GitHub": how messages name the service. */
  service: string;
  /** Without a trailing slash; may include a context path (`https://host/confluence`). */
  baseUrl: string;
  authorization: string;
  /** Every form a credential takes (token, email:token, base64, header value): scrubbed from messages. */
  secrets: string[];
  /** Sent with every request (GitHub's API version, say). */
  headers?: Record<string, string>;
}

export type Query = Record<string, string | undefined>;

export interface RequestInit {
  query?: Query;
  body?: unknown;
  /**
   * false: a failure is not repeated here. For a create whose answer may be lost: the caller looks
   * for what it created before trying again, instead of this client posting it twice.
   */
  retry?: boolean;
}
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';

export const DEFAULT_MAX_RETRIES = 3;
export const MAX_WAIT_MS = 30_000;
const FIRST_BACKOFF_MS = 1_000;
const DEFAULT_TIMEOUT_MS = 20_000;
const MESSAGE_LIMIT = 200;

/** A request that failed for good (after the retries allowed). Its texts are scrubbed of secrets. */
export class HttpFailure extends Error {
  constructor(
    readonly kind: 'status' | 'network' | 'invalid_response',
    /** "Jira POST /rest/api/3/issue" */
    readonly label: string,
    /** What went wrong, without the label: "timed out after 20000 ms", a server's own message. */
    readonly detail: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
    /** The response body (scrubbed), for adapters that read codes out of it. */
    readonly body = '',
    /** A 429, or a 403 that says it is a rate limit (GitHub's primary and secondary limits). */
    readonly rateLimited = false,
  ) {
    super(kind === 'status' ? `${label}: HTTP ${status}${detail ? ` — ${detail}` : ''}` : `${label}: ${detail}`);
    this.name = 'HttpFailure';
  }

  get retryable(): boolean {
    return this.kind === 'network' || this.rateLimited || (this.status ?? 0) >= 500;
  }
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class JsonHttp {
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly secrets: string[];

  constructor(
    private readonly config: JsonHttpConfig,
    options: JsonHttpOptions = {},
  ) {
    this.fetchFn = options.fetch ?? fetch;
    this.sleep = options.sleep ?? realSleep;
    this.maxRetries = Math.max(0, options.maxRetries ?? DEFAULT_MAX_RETRIES);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Longest first, so a header value is scrubbed whole before the token inside it.
    this.secrets = config.secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  }

  /** The parsed JSON body (undefined when empty), or an HttpFailure after the retries allowed. */
  async request(method: Method, path: string, init: RequestInit = {}): Promise<unknown> {
    return (await this.requestWithHeaders(method, path, init)).body;
  }

  /** As request, with the response headers (pagination links). */
  async requestWithHeaders(method: Method, path: string, init: RequestInit = {}): Promise<{ body: unknown; headers: Headers }> {
    const url = `${this.config.baseUrl}${path}${queryString(init.query)}`;
    const label = `${this.config.service} ${method} ${path}`;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(method, url, label, init.body);
      } catch (error) {
        if (!(error instanceof HttpFailure) || !error.retryable || init.retry === false || attempt >= this.maxRetries) throw error;
        const wait = waitBeforeRetry(attempt, error.retryAfterMs);
        // The server asks for a longer pause than we hold a request open: the effect runner backs off instead.
        if (wait === undefined) throw error;
        await this.sleep(wait);
      }
    }
  }

  private async attempt(method: Method, url: string, label: string, body: unknown): Promise<{ body: unknown; headers: Headers }> {
    const headers: Record<string, string> = { Accept: 'application/json', ...this.config.headers, Authorization: this.config.authorization };
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
      throw new HttpFailure('network', label, describeFailure(error, this.timeoutMs));
    }
    if (response.ok) {
      if (text.trim() === '') return { body: undefined, headers: response.headers };
      try {
        return { body: JSON.parse(text) as unknown, headers: response.headers };
      } catch {
        throw new HttpFailure('invalid_response', label, `HTTP ${response.status} with a body that is not JSON`, response.status);
      }
    }
    const status = response.status;
    const rateLimited = status === 429 || (status === 403 && isRateLimit403(response.headers, text));
    const retryAfterMs = rateLimited || status >= 500 ? retryAfterOf(response.headers) : undefined;
    throw new HttpFailure('status', label, this.scrub(messageOf(text)), status, retryAfterMs, this.scrub(text.slice(0, 4000)), rateLimited);
  }

  private scrub(text: string): string {
    let safe = text;
    for (const secret of this.secrets) safe = safe.split(secret).join('[redacted]');
    return safe;
  }
}

/** GitHub answers an exhausted limit with 403: `x-ratelimit-remaining: 0`, a Retry-After, or its message. */
function isRateLimit403(headers: Headers, text: string): boolean {
  return headers.get('x-ratelimit-remaining') === '0' || headers.get('retry-after') !== null || /rate limit/i.test(text);
}

function retryAfterOf(headers: Headers, now: number = Date.now()): number | undefined {
  const retryAfter = parseRetryAfter(headers.get('retry-after'), now);
  if (retryAfter !== undefined) return retryAfter;
  // GitHub's primary limit: epoch seconds at which the window resets.
  const reset = Number(headers.get('x-ratelimit-reset'));
  return headers.get('x-ratelimit-remaining') === '0' && Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : undefined;
}

/**
 * The server's own words, from whichever shape it uses: Confluence Cloud v2 `{ errors: [{ title,
 * detail }] }`, Confluence DC `{ message }`, Jira `{ errorMessages: [], errors: { field: text } }`,
 * GitHub `{ message, errors: [{ field, code }] }`; proxies send HTML, which is dropped.
 */
export function messageOf(text: string): string {
  const found: string[] = [];
  const push = (value: unknown) => {
    if (typeof value === 'string' && value !== '') found.push(value);
  };
  try {
    const json = (JSON.parse(text) ?? {}) as { message?: unknown; errors?: unknown; errorMessages?: unknown };
    if (Array.isArray(json.errors)) {
      for (const e of json.errors as { title?: unknown; detail?: unknown; message?: unknown; field?: unknown; code?: unknown }[]) {
        if (typeof e?.field === 'string' && typeof e.code === 'string') push(`${e.field}: ${e.code}`);
        else [e?.title, e?.detail, e?.message].forEach(push);
      }
    }
    if (Array.isArray(json.errorMessages)) json.errorMessages.forEach(push);
    if (json.errors && typeof json.errors === 'object' && !Array.isArray(json.errors)) {
      for (const [field, message] of Object.entries(json.errors)) if (typeof message === 'string') push(`${field}: ${message}`);
    }
    if (typeof json.message === 'string') found.unshift(json.message);
  } catch {
    if (!text.trimStart().startsWith('<')) push(text);
  }
  const flat = found.join('; ').replace(/\s+/g, ' ').trim();
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
