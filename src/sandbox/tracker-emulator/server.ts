// What both trackers share around their routes: the loopback server,
// the call log, scheduled failures before or after a request is applied, and request helpers.
import { FailureQueue } from '../emulated-http/failures';
import { header, startServer, textReply, type Reply, type Request, type RunningServer } from '../emulated-http/server';
import type { CallMatcher, TrackerCall } from './types';

export { header, jsonReply, textReply, type Reply, type Request } from '../emulated-http/server';

/** How a scheduled failure plays out: a reply instead of the request, or the request then this status. */
export type FailurePlan = { reply: Reply } | { afterCommit: number };

export interface ServiceDefinition<F> {
  /** Answers a request (authentication included) once any scheduled failure has been dealt with. */
  route(request: Request): Reply;
  plan(failure: F): FailurePlan;
  /** The error the service sends with this status (for answers lost after the change was applied). */
  errorReply(status: number): Reply;
}

export class TrackerServer<F> {
  private readonly log: TrackerCall[] = [];
  private readonly failures = new FailureQueue<F>();
  private readonly listeners = new Set<(call: TrackerCall) => void>();
  private running?: RunningServer;

  constructor(
    private readonly name: string,
    private readonly service: ServiceDefinition<F>,
  ) {}

  async start(): Promise<void> {
    this.running = await startServer(this.name, (request) => this.handle(request));
  }

  get origin(): string {
    if (!this.running) throw new Error(`${this.name} emulator is not running`);
    return this.running.origin;
  }

  get calls(): TrackerCall[] {
    return this.log.map((c) => ({ ...c }));
  }

  /** `listener` hears each call once it was carried out, before its answer goes out (tests kill the bot there). */
  onCall(listener: (call: TrackerCall) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  failNext(matcher: CallMatcher, failure: F, times: number): void {
    this.failures.add(matcher, failure, times);
  }

  async stop(): Promise<void> {
    await this.running?.close();
    this.running = undefined;
  }

  private answer(request: Request): Reply {
    const target = request.rawQuery ? `${request.path}?${request.rawQuery}` : request.path;
    const failure = this.failures.take(request.method, target);
    if (failure === undefined) return this.service.route(request);
    const plan = this.service.plan(failure);
    if ('reply' in plan) return plan.reply;
    // The request is applied as usual; only its answer is replaced.
    this.service.route(request);
    return this.service.errorReply(plan.afterCommit);
  }

  /** An exception here is the emulator's bug; the shared server answers it with a 500 (not logged). */
  private handle(request: Request): Reply {
    const reply = this.answer(request);
    const call = { method: request.method, path: request.path, status: reply.status };
    this.log.push(call);
    for (const listener of this.listeners) listener({ ...call });
    return reply;
  }
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false; problem: 'media_type' | 'syntax' };

/** The body as JSON. `requireJsonType`: refuse other media types, as Jersey (Jira) does; GitHub does not look. */
export function parseJson(request: Request, requireJsonType: boolean): ParsedBody {
  const type = (header(request, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (requireJsonType && type !== 'application/json') return { ok: false, problem: 'media_type' };
  try {
    return { ok: true, value: JSON.parse(request.body.toString('utf8')) as unknown };
  } catch {
    return { ok: false, problem: 'syntax' };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `retryAfter` and a body given to failNext, or the service's own error for that status. */
export function customFailureReply(status: number, body: unknown, headers: Record<string, string>, fallback: Reply): Reply {
  if (body === undefined) return { ...fallback, headers: { ...fallback.headers, ...headers } };
  if (typeof body === 'string') return textReply(status, body, 'text/plain;charset=UTF-8', headers);
  return { status, headers: { 'content-type': 'application/json;charset=UTF-8', ...headers }, body: JSON.stringify(body) };
}

/** A path segment as text; a malformed escape is kept as sent (it then simply matches nothing). */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
