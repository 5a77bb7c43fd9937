// apps.connections.open: the one Web API method that takes the app-level token (`xapp-…`), so it
// is answered here rather than by the bot-token dispatcher. It still honours `failNext` and is
// recorded in the call log like every other call.
import type { HttpReply } from '../dispatch';
import { jsonReply } from '../dispatch';
import type { FailureQueue } from '../failures';
import { apiRequestFrom, type IncomingRequest } from '../http/body';
import type { InjectedFailure } from '../types';
import { ApiArgs } from '../web-api/define';
import type { Workspace } from '../workspace';

export const CONNECTIONS_OPEN = 'apps.connections.open';

export interface ConnectionsOpenEnv {
  ws: Workspace;
  failures: FailureQueue;
  /** Undefined when the emulator was started without one: every token is then refused. */
  appToken?: string;
  /** A fresh single-use WebSocket URL. */
  issueUrl(): string;
}

type Answer = { reply: HttpReply; error?: string };

function injected(failure: InjectedFailure): Answer {
  if ('error' in failure) return { reply: jsonReply(200, { ok: false, error: failure.error }), error: failure.error };
  if (failure.status === 429) {
    return { reply: jsonReply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfterSeconds) }), error: 'ratelimited' };
  }
  return { reply: { status: 500, headers: { 'content-type': 'text/plain' }, body: 'Internal Server Error' }, error: 'internal_error' };
}

/** Slack refuses bot and user tokens here with `not_allowed_token_type`; unknown tokens are `invalid_auth`. */
function tokenError(env: ConnectionsOpenEnv, token: string | undefined): string | undefined {
  if (!token) return 'not_authed';
  if (env.appToken !== undefined && token === env.appToken) return undefined;
  if (token === env.ws.identity.botToken) return 'not_allowed_token_type';
  return 'invalid_auth';
}

function answer(env: ConnectionsOpenEnv, request: ReturnType<typeof apiRequestFrom>): Answer {
  const failure = env.failures.take(CONNECTIONS_OPEN);
  if (failure) return injected(failure);
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.authorization ?? '')?.[1];
  const error = request.bodyError ?? tokenError(env, bearer ?? new ApiArgs(request.args).string('token'));
  if (error) return { reply: jsonReply(200, { ok: false, error }), error };
  return { reply: jsonReply(200, { ok: true, url: env.issueUrl() }) };
}

export function connectionsOpen(env: ConnectionsOpenEnv, incoming: IncomingRequest): HttpReply {
  const request = apiRequestFrom(incoming);
  const { reply, error } = answer(env, request);
  const args = Object.fromEntries(Object.entries(request.args).filter(([name]) => name !== 'token'));
  env.ws.calls.push({ method: CONNECTIONS_OPEN, args, ok: error === undefined, ...(error !== undefined ? { error } : {}), status: reply.status });
  return reply;
}
