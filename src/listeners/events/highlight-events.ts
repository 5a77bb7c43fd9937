// :pushpin: reactions and pins put a message on the timeline; removing them takes it off.

import { HIGHLIGHT_REACTION, highlightMessage, unhighlightMessage, type ChannelMessage } from '../../usecases/highlights';
import { handleDelivery } from './delivery';
import type { BotIdentity, EventHandlers } from './event-router';
import { integrationName, isOwnMessage, messageText, type SlackMessageParts } from './message-content';
import { dropMalformed, isMessageTs, isSlackId } from './well-formed';

interface PinnedItem {
  type?: string;
  channel?: string;
  message?: SlackMessageParts & { ts?: string; text?: string; user?: string; bot_id?: string; thread_ts?: string };
}

/** The pinned message as the event carries it; undefined for the bot's own (its header) and malformed ones. */
function pinnedMessage(channelId: string, item: PinnedItem | null | undefined, self: BotIdentity): ChannelMessage | undefined {
  const m = item?.message;
  const author = m?.user ?? m?.bot_id;
  if (!m || !isMessageTs(m.ts) || !isSlackId(author) || !isSlackId(channelId) || isOwnMessage(m, self)) return undefined;
  if (m.text !== undefined && typeof m.text !== 'string') return undefined;
  const authorName = integrationName(m);
  return {
    channelId,
    ts: m.ts,
    userId: author,
    ...(authorName ? { authorName } : {}),
    text: messageText(m),
    ...(m.thread_ts ? { threadTs: m.thread_ts } : {}),
  };
}

export function highlightEventHandlers(): EventHandlers {
  return {
    reaction_added: async (event, body, services) => {
      if (event.reaction !== HIGHLIGHT_REACTION || event.item?.type !== 'message') return;
      const { channel, ts } = event.item;
      if (!isSlackId(channel) || !isMessageTs(ts) || !isSlackId(event.user)) return dropMalformed(services, body, 'reaction_added');
      await handleDelivery(services, () => highlightMessage(services.deps, channel, ts, { by: event.user, kind: 'reaction' }));
    },

    reaction_removed: async (event, body, services) => {
      if (event.reaction !== HIGHLIGHT_REACTION || event.item?.type !== 'message') return;
      const { channel, ts } = event.item;
      if (!isSlackId(channel) || !isMessageTs(ts) || !isSlackId(event.user)) return dropMalformed(services, body, 'reaction_removed');
      await handleDelivery(services, () => unhighlightMessage(services.deps, channel, ts, { by: event.user, kind: 'reaction' }));
    },

    pin_added: async (event, _body, services, self) => {
      const item = event.item as PinnedItem | null | undefined;
      const message = pinnedMessage(event.channel_id, item, self);
      // Pins of the bot's own messages (its header) are not timeline material.
      if (!message) return;
      await handleDelivery(services, () => highlightMessage(services.deps, event.channel_id, message.ts, { by: event.user, kind: 'pin' }, message));
    },

    pin_removed: async (event, _body, services) => {
      const ts = (event.item as PinnedItem | undefined)?.message?.ts;
      if (!isMessageTs(ts) || !isSlackId(event.channel_id)) return;
      await handleDelivery(services, () => unhighlightMessage(services.deps, event.channel_id, ts, { by: event.user, kind: 'pin' }));
    },
  };
}
