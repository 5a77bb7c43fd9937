// Confluence's side of the shared JSON client: its error codes (a title clash, a version conflict)
// read from the status and body, and its 404 as "not there".

import type { z } from 'zod';

import { ConfluenceError, type ConfluenceErrorCode } from '../../ports/confluence';
import { HttpFailure, JsonHttp, type JsonHttpOptions, type Method, type Query } from '../http/json-http';

export type ConfluenceHttpOptions = JsonHttpOptions;
export { parseRetryAfter, waitBeforeRetry } from '../http/json-http';

export interface ConfluenceHttpConfig {
  /** Without a trailing slash; may include a context path (`https://host/confluence`). */
  baseUrl: string;
  authorization: string;
  /** Every form a credential takes (token, email:token, base64, header value): scrubbed from messages. */
  secrets: string[];
}

// Cloud: "A page with this title already exists: …"; DC adds "… with the title X in the space with key Y".
const TITLE_TAKEN = /title already exists|already exists with (the same )?title/i;

export class ConfluenceHttp {
  private readonly http: JsonHttp;

  constructor(config: ConfluenceHttpConfig, options: ConfluenceHttpOptions = {}) {
    this.http = new JsonHttp({ service: 'Confluence', ...config }, options);
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
    try {
      return await this.http.request(method, path, init);
    } catch (error) {
      throw error instanceof HttpFailure ? confluenceError(error) : error;
    }
  }
}

function confluenceError(failure: HttpFailure): ConfluenceError {
  if (failure.kind !== 'status') return new ConfluenceError(failure.kind, failure.message, failure.status);
  const status = failure.status ?? 0;
  const code = codeFor(status, failure.body);
  const message = `${failure.label}: HTTP ${status} ${code}${failure.detail ? ` — ${failure.detail}` : ''}`;
  return new ConfluenceError(code, message, status, failure.retryAfterMs);
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
