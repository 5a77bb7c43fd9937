// All the Events API events the bot handles go through ONE Bolt listener that routes by type.
// Bolt runs every registered listener's matcher chain on every request (commands and buttons
// included), so each app.event() costs all traffic a little; one listener instead of five was a
// measurable share of the ack path's CPU in the benchmark profile.

import type { App, KnownEventFromType, types } from '@slack/bolt';

import { withRequest, type BotServices } from '../../app/services';
import { highlightEventHandlers } from './highlight-events';
import { homeEventHandlers } from './home-events';
import { messageEventHandlers } from './message-events';

type EventType = types.SlackEvent['type'];

/** The bot's own ids (from auth.test, in Bolt's context): its own messages are not timeline material. */
export interface BotIdentity {
  botId?: string;
  botUserId?: string;
}

/** `services` are the request's own (withRequest): its logger and dependencies. */
export type EventHandler<T extends EventType> = (
  event: KnownEventFromType<T>,
  body: { event_id?: string; team_id?: string },
  services: BotServices,
  self: BotIdentity,
) => Promise<void>;
export type EventHandlers = { [T in EventType]?: EventHandler<T> };

/** Every event type the bot handles (the manifest subscribes to exactly these). */
export function eventHandlers(): EventHandlers {
  return { ...messageEventHandlers(), ...highlightEventHandlers(), ...homeEventHandlers() };
}

export function registerEvents(app: App, services: BotServices): void {
  const handlers = eventHandlers();
  const types = new RegExp(`^(?:${Object.keys(handlers).join('|')})$`);
  app.event(types, async ({ event, body, context }) => {
    // The map pairs each type with its handler, which TypeScript cannot follow through an index.
    const handler = handlers[event.type as EventType] as EventHandler<EventType> | undefined;
    const self = { botId: context.botId, botUserId: context.botUserId };
    await handler?.(event, body, withRequest(services, context), self);
  });
}
