// Which request a log line was written for. Each receiver makes a scope for every inbound Slack
// request and hands it to Bolt as a custom property, which Bolt puts in every middleware's and
// listener's `context`; listeners log through a logger that reads the scope when it writes, and
// use cases reach the store through a wrapper that files the request under its incident.
//
// Passed explicitly on purpose: AsyncLocalStorage would need no passing, but on Node 20 its promise
// hooks slowed every promise in the process (Bolt's included) by a quarter of the ack path's CPU.
// Background work (the outbox, escalation deadlines) logs as a `job` through its own child logger.

import { randomBytes } from 'node:crypto';

import type { ReceiverEvent } from '@slack/bolt';

export interface RequestScope {
  /** Slack's id of the delivery (event_id, Socket Mode envelope_id), else a generated one. */
  requestId: string;
  /** Slack's retry count (X-Slack-Retry-Num, retry_attempt), on retries only. */
  retryNum?: number;
  /** The incident the request turned out to be about, once it is known. */
  incidentId?: string;
  /** Its key (INC-12), for people reading the logs. */
  incident?: string;
}

// A random prefix per process and a counter: unique across replicas and restarts without a
// getrandom call per request (randomBytes was 3% of the ack path's CPU in the benchmark).
const PROCESS_PREFIX = randomBytes(4).toString('base64url');
let issued = 0;

/** Short and unique: which process, which of its requests. */
export function newRequestId(): string {
  issued += 1;
  return `${PROCESS_PREFIX}${issued.toString(36)}`;
}

export function newRequestScope(ids: { requestId?: string; retryNum?: number }): RequestScope {
  const scope: RequestScope = { requestId: ids.requestId || newRequestId() };
  // Socket Mode says 0 for a first delivery, HTTP says nothing: only retries are marked, on both.
  if (ids.retryNum !== undefined && Number.isFinite(ids.retryNum) && ids.retryNum > 0) scope.retryNum = ids.retryNum;
  return scope;
}

/** The first incident a request touches names it; a second one (rare) does not take it over. */
export function noteIncident(scope: RequestScope, incidentId: string, key?: string): void {
  if (scope.incidentId) return;
  scope.incidentId = incidentId;
  if (key) scope.incident = key;
}

const SCOPE_PROPERTY = 'requestScope';

/** The event as Bolt should process it: with the scope riding in its custom properties. */
export function scopedEvent(event: ReceiverEvent, scope: RequestScope): ReceiverEvent {
  return { ...event, customProperties: { ...event.customProperties, [SCOPE_PROPERTY]: scope } };
}

/** The request's scope, from a Bolt middleware's or listener's `context`. */
export function scopeOf(context: Record<string, unknown>): RequestScope {
  const scope = context[SCOPE_PROPERTY] as RequestScope | undefined;
  // Every event reaches Bolt through one of our receivers; a test driving app.processEvent itself gets one here.
  return scope ?? newRequestScope({});
}
