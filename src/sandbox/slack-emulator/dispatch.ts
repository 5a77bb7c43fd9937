// One Web API call, start to finish: method lookup, injected failures, request-level checks
// (body, token), the method itself, and the call log. Like Slack, API errors are HTTP 200 with
// `{ ok: false, error }`; only rate limits (429) and server faults (5xx) use other statuses.
import type { FailureQueue } from './failures';
import type { ChannelRateLimiter } from './rate-limits';
import type { InjectedFailure } from './types';
import { ApiArgs, SlackApiError } from './web-api/define';
import { WEB_API_METHODS, type REQUEST_ERRORS } from './web-api/index';
import type { Workspace } from './workspace';

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type RequestError = (typeof REQUEST_ERRORS)[number];

export interface ApiRequest {
  args: Record<string, unknown>;
  authorization?: string;
  /** Set when the body could not be read as Slack reads bodies. */
  bodyError?: Extract<RequestError, 'invalid_json' | 'json_not_object' | 'invalid_post_type' | 'missing_post_type'>;
}

export interface DispatchEnv {
  ws: Workspace;
  failures: FailureQueue;
  baseUrl: string;
  /** Slack's per-channel pace, when a test turns it on. */
  rateLimits?: ChannelRateLimiter;
  /** A degraded Slack: this share of calls fails with a 500 or a 429 (chaos tests). */
  chaos?: { share: number; random: () => number };
}

/** Arguments the client JSON-encodes in form bodies; the call log keeps them decoded. */
const JSON_ARGS = ['blocks', 'attachments', 'view', 'files', 'metadata'];

export function jsonReply(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): HttpReply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

function recordedArgs(raw: Record<string, unknown>): Record<string, unknown> {
  const args = new ApiArgs(raw);
  const entries = Object.entries(raw)
    .filter(([name]) => name !== 'token')
    .map(([name, value]) => [name, JSON_ARGS.includes(name) ? (args.json(name) ?? value) : value]);
  return Object.fromEntries(entries);
}

function injectedReply(failure: InjectedFailure): { reply: HttpReply; error: string } {
  if ('error' in failure) return { reply: jsonReply(200, { ok: false, error: failure.error }), error: failure.error };
  if (failure.status === 429) {
    const headers = { 'retry-after': String(failure.retryAfterSeconds) };
    return { reply: jsonReply(429, { ok: false, error: 'ratelimited' }, headers), error: 'ratelimited' };
  }
  return { reply: { status: 500, headers: { 'content-type': 'text/plain' }, body: 'Internal Server Error' }, error: 'internal_error' };
}

function chaosFailure(env: DispatchEnv): InjectedFailure | undefined {
  if (!env.chaos || env.chaos.random() >= env.chaos.share) return undefined;
  return env.chaos.random() < 0.5 ? { status: 500 } : { status: 429, retryAfterSeconds: 1 };
}

function authError(env: DispatchEnv, request: ApiRequest): RequestError | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.authorization ?? '')?.[1];
  const token = bearer ?? new ApiArgs(request.args).string('token');
  if (!token) return 'not_authed';
  return token === env.ws.identity.botToken ? undefined : 'invalid_auth';
}

/** Runs the method; an error it did not declare is an emulator bug and surfaces as a 500. */
function runMethod(env: DispatchEnv, method: string, request: ApiRequest): { reply: HttpReply; error?: string } {
  const impl = WEB_API_METHODS[method];
  try {
    const result = impl.handle({ args: new ApiArgs(request.args), ws: env.ws, baseUrl: env.baseUrl });
    return { reply: jsonReply(200, { ok: true, ...result }) };
  } catch (err) {
    if (err instanceof SlackApiError && impl.errors.includes(err.code)) {
      return { reply: jsonReply(200, { ok: false, error: err.code, ...err.extra }), error: err.code };
    }
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    return {
      reply: { status: 500, headers: { 'content-type': 'text/plain' }, body: `Slack emulator bug in ${method}: ${message}` },
      error: 'internal_error',
    };
  }
}

function answer(env: DispatchEnv, method: string, request: ApiRequest): { reply: HttpReply; error?: string } {
  if (!WEB_API_METHODS[method]) return { reply: jsonReply(200, { ok: false, error: 'unknown_method', req_method: method }), error: 'unknown_method' };
  const injected = env.failures.take(method) ?? chaosFailure(env);
  if (injected) return injectedReply(injected);
  const requestError = request.bodyError ?? authError(env, request);
  if (requestError) return { reply: jsonReply(200, { ok: false, error: requestError }), error: requestError };
  const wait = env.rateLimits?.take(method, new ApiArgs(request.args).string('channel'));
  if (wait !== undefined) return injectedReply({ status: 429, retryAfterSeconds: wait });
  return runMethod(env, method, request);
}

export function dispatchApiCall(env: DispatchEnv, method: string, request: ApiRequest): HttpReply {
  const { reply, error } = answer(env, method, request);
  env.ws.calls.push({
    method,
    args: recordedArgs(request.args),
    ok: error === undefined,
    ...(error !== undefined ? { error } : {}),
    status: reply.status,
  });
  return reply;
}
