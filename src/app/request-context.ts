// Which request (or background job) the code running now works for. The receivers enter a context
// for every inbound Slack request and the logger reads it when it writes, so ids reach every line
// (Bolt's own, listeners', use cases') without being passed around. AsyncLocalStorage follows
// awaits, timers and callbacks: background work must enter its own context (runAsJob), or work
// woken by a request would keep that request's ids for as long as it runs.

import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

export interface LogContext {
  /** Slack's id of the delivery (event_id, Socket Mode envelope_id), else a generated one. */
  requestId?: string;
  /** Slack's retry count (X-Slack-Retry-Num, retry_attempt), on retries only. */
  retryNum?: number;
  /** The incident the request turned out to be about, once it is known. */
  incidentId?: string;
  /** Its key (INC-12), for people reading the logs. */
  incident?: string;
  /** Background work that is not one request's (effects, escalation deadlines). */
  job?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

// A random prefix per process and a counter: unique across replicas and restarts without a
// getrandom call per request (randomBytes was 3% of the ack path's CPU in the benchmark).
const PROCESS_PREFIX = randomBytes(4).toString('base64url');
let issued = 0;

/** Short and unique: which process, which of its requests. */
export function newRequestId(): string {
  issued += 1;
  return `${PROCESS_PREFIX}${issued.toString(36)}`;
}

export function runInRequest<T>(ids: { requestId?: string; retryNum?: number }, fn: () => T): T {
  const context: LogContext = { requestId: ids.requestId || newRequestId() };
  // Socket Mode says 0 for a first delivery, HTTP says nothing: only retries are marked, on both.
  if (ids.retryNum !== undefined && Number.isFinite(ids.retryNum) && ids.retryNum > 0) context.retryNum = ids.retryNum;
  return storage.run(context, fn);
}

/** Runs `fn` (and everything it schedules) as background work, never as the caller's request. */
export function runAsJob<T>(job: string, fn: () => T): T {
  return storage.run({ job }, fn);
}

/** Over HTTP, Slack's id is in the body, which Bolt parses after the request began: the lines from then on use it. */
export function identifyRequest(requestId: string | undefined): void {
  const context = storage.getStore();
  if (context?.requestId && requestId) context.requestId = requestId;
}

/**
 * The current request is about this incident. The first one found wins: a request that touches a
 * second incident (rare) keeps being filed under the one it started with.
 */
export function noteIncident(incidentId: string, key?: string): void {
  const context = storage.getStore();
  if (!context?.requestId || context.incidentId) return;
  context.incidentId = incidentId;
  if (key) context.incident = key;
}

const NONE: Readonly<LogContext> = Object.freeze({});

/** The current context's fields (none outside any); read-only, spread it to keep a copy. */
export function logContext(): Readonly<LogContext> {
  return storage.getStore() ?? NONE;
}
