// Slack's events carry ids and message timestamps as strings; a delivery that does not (a proxy
// that rewrote it, a forged but signed test payload) would make a use case throw, and a throw
// means no acknowledgement and three redeliveries of the same bad payload. Such events are
// acknowledged and dropped with a log line (ids only) instead.

import type { BotServices } from '../../app/services';

const TS = /^\d{1,12}\.\d{1,9}$/;

export function isMessageTs(value: unknown): value is string {
  return typeof value === 'string' && TS.test(value);
}

export function isSlackId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z0-9]{2,}$/i.test(value);
}

export function dropMalformed(services: BotServices, body: { event_id?: unknown }, eventType: string): void {
  services.logger.warn({ eventId: typeof body.event_id === 'string' ? body.event_id : undefined, eventType }, 'malformed event dropped');
}
