// Messages in incident channels form the transcript that :pushpin: and pins resolve against:
// people's, and integrations' (monitoring alerts are evidence too); only the bot's own are left out.

import { captureDeletion, captureEdit, captureMessage } from '../../usecases/highlights';
import { handleDelivery } from './delivery';
import type { EventHandlers } from './event-router';
import { integrationName, isOwnMessage, messageText, type SlackMessageParts } from './message-content';
import { dropMalformed, isMessageTs, isSlackId } from './well-formed';

// The fields we read; Bolt's MessageEvent is a wide union of subtypes that all carry a subset.
interface MessageFields extends SlackMessageParts {
  subtype?: string;
  channel: string;
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  message?: SlackMessageParts & { ts: string; subtype?: string; text?: string; user?: string; bot_id?: string };
  deleted_ts?: string;
}

const optional = <T>(value: unknown, check: (v: unknown) => v is T): boolean => value === undefined || check(value);
const isText = (v: unknown): v is string => typeof v === 'string';

/** The fields the handlers below read have the types Slack sends. */
function wellFormed(m: MessageFields): boolean {
  const inner = m.message;
  return (
    isSlackId(m.channel) &&
    isMessageTs(m.ts) &&
    optional(m.thread_ts, isMessageTs) &&
    optional(m.user, isSlackId) &&
    optional(m.bot_id, isSlackId) &&
    optional(m.text, isText) &&
    optional(m.deleted_ts, isMessageTs) &&
    (inner === undefined || (typeof inner === 'object' && inner !== null && isMessageTs(inner.ts) && optional(inner.text, isText)))
  );
}

/** `bot_message`: an incoming webhook or a legacy integration (an alert); it has a bot_id and no user. */
const NEW_MESSAGE_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share', 'me_message', 'bot_message']);

export function messageEventHandlers(): EventHandlers {
  return {
    message: async (event, body, services, self) => {
      const m = event as unknown as MessageFields;
      if (!wellFormed(m)) return dropMalformed(services, body, 'message');
      const posted = NEW_MESSAGE_SUBTYPES.has(m.subtype);
      const work = async () => {
        if (posted) {
          const author = m.user ?? m.bot_id;
          if (!author || isOwnMessage(m, self)) return;
          const authorName = integrationName(m);
          await captureMessage(services.deps, {
            channelId: m.channel,
            ts: m.ts,
            threadTs: m.thread_ts,
            userId: author,
            ...(authorName ? { authorName } : {}),
            text: messageText(m),
          });
        } else if (m.subtype === 'message_changed' && m.message) {
          // A thread parent deleted with its replies still there becomes a tombstone: "This message
          // was deleted.", by Slackbot. That is a deletion, not an edit.
          if (m.message.subtype === 'tombstone') await captureDeletion(services.deps, m.channel, m.message.ts);
          else await captureEdit(services.deps, m.channel, m.message.ts, messageText(m.message));
        } else if (m.subtype === 'message_deleted' && m.deleted_ts) {
          await captureDeletion(services.deps, m.channel, m.deleted_ts);
        }
      };
      await handleDelivery(services, work);
    },
  };
}
