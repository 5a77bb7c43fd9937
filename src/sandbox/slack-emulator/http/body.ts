import { parse as parseQuery } from 'node:querystring';
import type { ApiRequest } from '../dispatch';
import { isObject } from '../web-api/define';
import { parseMultipart } from './multipart';

/** An HTTP request as the emulator's routes see it: body fully read. */
export interface IncomingRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export function header(request: IncomingRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The media type without parameters (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(request: IncomingRequest): string {
  return (header(request, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
}

function formArgs(text: string): Record<string, unknown> {
  return { ...parseQuery(text) };
}

function bodyArgs(request: IncomingRequest): Pick<ApiRequest, 'args' | 'bodyError'> {
  const type = mediaType(request);
  const text = request.body.toString('utf8');
  if (type === 'application/x-www-form-urlencoded') return { args: formArgs(text) };
  if (type === 'multipart/form-data') {
    const parts = parseMultipart(request.body, header(request, 'content-type') ?? '');
    return { args: Object.fromEntries(parts.filter((p) => p.name).map((p) => [p.name, p.data.toString('utf8')])) };
  }
  if (type === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(text);
      return isObject(parsed) ? { args: parsed } : { args: {}, bodyError: 'json_not_object' };
    } catch {
      return { args: {}, bodyError: 'invalid_json' };
    }
  }
  return { args: {}, bodyError: type ? 'invalid_post_type' : 'missing_post_type' };
}

/** Reads Web API arguments from the query string and the body, as Slack accepts both. */
export function apiRequestFrom(request: IncomingRequest): ApiRequest {
  const queryArgs = Object.fromEntries(request.query.entries());
  const fromBody = request.body.length > 0 ? bodyArgs(request) : { args: {} };
  return {
    ...fromBody,
    args: { ...queryArgs, ...fromBody.args },
    authorization: header(request, 'authorization'),
  };
}

/** A JSON object body (response_url posts); undefined when it is not one. */
export function jsonObjectBody(request: IncomingRequest): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(request.body.toString('utf8'));
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
