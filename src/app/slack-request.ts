// What an inbound Slack request is, in ids only. Each receiver writes one debug line with this
// when a request arrives, so an operator can tell what a request id stands for (a command, which
// event, which button) without any of the content, which can be sensitive.

import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';

import type { Logger } from './logger';

interface RequestFields {
  type?: unknown;
  event_id?: unknown;
  command?: unknown;
  trigger_id?: unknown;
  team_id?: unknown;
  user_id?: unknown;
  channel_id?: unknown;
  team?: { id?: unknown } | null;
  user?: { id?: unknown } | null;
  channel?: { id?: unknown } | null;
  event?: { type?: unknown; subtype?: unknown; user?: unknown; channel?: unknown; channel_id?: unknown; item?: { channel?: unknown } | null } | null;
  actions?: Array<{ action_id?: unknown } | null> | null;
  view?: { callback_id?: unknown } | null;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Slack's own id of a request, when the body has one (Events API deliveries do). */
export function slackRequestId(body: unknown): string | undefined {
  return text((body as RequestFields | null | undefined)?.event_id);
}

/**
 * Runs `handle` between the request's two debug lines: what it is (ids only) when it arrives; how
 * long it took, with its incident once found, when it is done. A failure has its own error line
 * (Bolt's error handler) and is rethrown. At info nothing is built: the hot path stays lean.
 */
export async function handledRequest(levels: BoltLogger, log: Logger, body: unknown, handle: () => Promise<void>): Promise<void> {
  if (levels.getLevel() !== LogLevel.DEBUG) return handle();
  const started = performance.now();
  log.debug(requestSummary(body), 'slack request');
  await handle();
  log.debug({ ms: Math.round((performance.now() - started) * 10) / 10 }, 'slack request handled');
}

export function requestSummary(body: unknown): Record<string, string> {
  const b = (body ?? {}) as RequestFields;
  const event = b.event ?? undefined;
  const fields: Record<string, string | undefined> = {
    kind: b.command !== undefined ? 'command' : text(b.type),
    command: text(b.command),
    event: text(event?.type),
    subtype: text(event?.subtype),
    action: text(b.actions?.[0]?.action_id),
    view: text(b.view?.callback_id),
    eventId: text(b.event_id),
    triggerId: text(b.trigger_id),
    teamId: text(b.team_id) ?? text(b.team?.id),
    userId: text(b.user_id) ?? text(b.user?.id) ?? text(event?.user),
    channelId: text(b.channel_id) ?? text(b.channel?.id) ?? text(event?.channel) ?? text(event?.channel_id) ?? text(event?.item?.channel),
  };
  return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * An Events API body that Bolt itself would throw on while routing it (it reads `event.item` with
 * `in`), before any listener could refuse it. Thrown means unacknowledged, and Slack would send
 * the same bad payload again: such deliveries are acknowledged and dropped instead.
 */
export function unroutableEvent(body: unknown): boolean {
  const b = body as { type?: unknown; event?: unknown } | null | undefined;
  if (b?.type !== 'event_callback') return false;
  const event = b.event as { item?: unknown } | null | undefined;
  if (typeof event !== 'object' || event === null) return true;
  return 'item' in event && (typeof event.item !== 'object' || event.item === null);
}

/**
 * Slack's own callback (Events API over HTTP only) when it rate limits deliveries to the app (more
 * than 30,000 events in an hour from one workspace): a top-level `{"type": "app_rate_limited", "team_id", "minute_rate_limited"}`
 * with no event. Bolt routes it nowhere and HTTP would answer 404 after 3 s; Slack may disable the
 * subscriptions of an app that fails its deliveries, so it is answered 200 at once and logged.
 */
export function appRateLimitNotice(body: unknown): { teamId?: string; minuteRateLimited?: number } | undefined {
  const b = body as { type?: unknown; team_id?: unknown; minute_rate_limited?: unknown } | null | undefined;
  if (b?.type !== 'app_rate_limited') return undefined;
  return {
    ...(text(b.team_id) ? { teamId: text(b.team_id) } : {}),
    ...(typeof b.minute_rate_limited === 'number' ? { minuteRateLimited: b.minute_rate_limited } : {}),
  };
}

export function logAppRateLimited(log: Logger, notice: { teamId?: string; minuteRateLimited?: number }): void {
  const minute = notice.minuteRateLimited === undefined ? undefined : new Date(notice.minuteRateLimited * 1000).toISOString();
  log.warn(
    { teamId: notice.teamId, minute },
    'Slack is rate limiting event deliveries to this app (app_rate_limited: over 30,000 events in an hour from one workspace); some events may not arrive',
  );
}
