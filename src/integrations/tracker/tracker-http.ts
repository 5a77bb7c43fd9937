// The trackers' side of the shared JSON client: HTTP failures become TrackerErrors, and a 404 can
// mean "not there" rather than an error.

import type { z } from 'zod';

import { TrackerError, type TrackerErrorCode } from '../../ports/issue-tracker';
import { HttpFailure, JsonHttp, type JsonHttpConfig, type JsonHttpOptions, type Method, type RequestInit } from '../http/json-http';

export type TrackerHttpOptions = JsonHttpOptions;

export class TrackerHttp {
  private readonly http: JsonHttp;

  constructor(
    private readonly service: string,
    config: Omit<JsonHttpConfig, 'service'>,
    options: TrackerHttpOptions = {},
  ) {
    this.http = new JsonHttp({ service, ...config }, options);
  }

  async request(method: Method, path: string, init: RequestInit = {}): Promise<unknown> {
    return (await this.requestWithHeaders(method, path, init)).body;
  }

  async requestWithHeaders(method: Method, path: string, init: RequestInit = {}): Promise<{ body: unknown; headers: Headers }> {
    try {
      return await this.http.requestWithHeaders(method, path, init);
    } catch (error) {
      throw error instanceof HttpFailure ? trackerError(error) : error;
    }
  }

  /** As request, but a 404 is undefined. */
  async requestIfFound(method: Method, path: string, init: RequestInit = {}): Promise<unknown> {
    try {
      return await this.request(method, path, init);
    } catch (error) {
      if (error instanceof TrackerError && error.code === 'not_found') return undefined;
      throw error;
    }
  }

  /** Validates a response body; the message names the field, never its value. */
  parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const where = parsed.error.issues[0]?.path.join('.') || 'body';
    throw new TrackerError('invalid_response', `${this.service} ${what}: unexpected response (${where})`);
  }
}

function trackerError(failure: HttpFailure): TrackerError {
  if (failure.kind !== 'status') return new TrackerError(failure.kind, failure.message, failure.status);
  const code = codeFor(failure);
  return new TrackerError(code, `${failure.label}: HTTP ${failure.status} ${code}${failure.detail ? ` — ${failure.detail}` : ''}`, failure.status, failure.retryAfterMs);
}

function codeFor(failure: HttpFailure): TrackerErrorCode {
  const status = failure.status ?? 0;
  if (failure.rateLimited) return 'rate_limited';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status >= 500) return 'server_error';
  return 'bad_request';
}
