import { messageJson } from '../serialize';
import type { MessageMetadata } from '../types';
import { defineMethod, isObject, type ApiArgs, type ApiMethod, type Fail } from './define';
import { findChannel, findMessage, messageContent, requireBotInChannel, requireNotArchived } from './lookup';

/**
 * Posts as the bot: Slack stores bot-token messages with both the bot user and the bot id. A user
 * id as `channel` posts to the bot's DM with that person (the DM conversations.open returns). A
 * deleted person's id answers `channel_not_found`, the spec's code for a channel the bot cannot
 * post to; real Slack has been seen to accept such posts (python-slack-sdk#1156), so an app should
 * not count on this refusal but check conversations.open's `user_disabled` or the user's `deleted`.
 */
const postMessage = defineMethod(['channel_not_found', 'not_in_channel', 'is_archived', 'no_text', 'msg_too_long', 'invalid_metadata_format'], ({ args, ws }, fail) => {
  const channel = findChannel(ws, args.string('channel'), fail, { byName: true, byUser: true });
  requireBotInChannel(ws, channel, fail);
  requireNotArchived(channel, fail);
  const content = messageContent(args, fail);
  const metadata = metadataOf(args, fail);
  const threadTs = args.string('thread_ts');
  const message = ws.history.post({
    channel: channel.id,
    user: ws.botUserId,
    botId: ws.identity.botId,
    ...content,
    ...(threadTs ? { threadTs } : {}),
    ...(metadata ? { metadata } : {}),
  });
  return { channel: channel.id, ts: message.ts, message: messageJson(ws, message) };
});

/** `metadata` is JSON (a string in forms): an `event_type` string and an `event_payload` object. */
function metadataOf(args: ApiArgs, fail: Fail<'invalid_metadata_format'>): MessageMetadata | undefined {
  const raw = args.json('metadata');
  if (raw === undefined && args.string('metadata') === undefined) return undefined;
  if (!isObject(raw) || typeof raw.event_type !== 'string' || !raw.event_type || !isObject(raw.event_payload)) return fail('invalid_metadata_format');
  return { event_type: raw.event_type, event_payload: raw.event_payload };
}

/**
 * Only the app's own messages can be updated with its bot token. As in Slack, blocks and
 * attachments left out of the call are kept; an empty array removes them.
 */
const update = defineMethod(['channel_not_found', 'message_not_found', 'cant_update_message', 'no_text', 'msg_too_long'], ({ args, ws }, fail) => {
  const channel = findChannel(ws, args.string('channel'), fail);
  const message = findMessage(ws, channel, args.string('ts'), fail);
  if (message.botId !== ws.identity.botId) return fail('cant_update_message');
  const content = messageContent(args, fail);
  ws.history.update(message, {
    text: content.text,
    blocks: content.blocks ?? message.blocks,
    attachments: content.attachments ?? message.attachments,
  });
  return { channel: channel.id, ts: message.ts, text: message.text, message: messageJson(ws, message) };
});

/**
 * Ephemeral messages are not part of the channel's history; they are recorded separately.
 * Slack refuses them when the bot is not in the channel (even with chat:write.public) and when the
 * recipient is not in it.
 */
const postEphemeral = defineMethod(['channel_not_found', 'is_archived', 'not_in_channel', 'user_not_in_channel', 'no_text', 'msg_too_long'], ({ args, ws }, fail) => {
  const channel = findChannel(ws, args.string('channel'), fail, { byName: true });
  requireNotArchived(channel, fail);
  requireBotInChannel(ws, channel, fail);
  const user = args.string('user');
  if (!user || !ws.isMember(channel, user)) return fail('user_not_in_channel');
  const content = messageContent(args, fail);
  const threadTs = args.string('thread_ts');
  const ts = ws.ts.next();
  ws.interactions.ephemerals.push({
    channel: channel.id,
    user,
    text: content.text,
    ...(content.blocks ? { blocks: content.blocks } : {}),
    ...(threadTs ? { threadTs } : {}),
    ts,
    via: 'chat.postEphemeral',
  });
  return { message_ts: ts };
});

const getPermalink = defineMethod(['channel_not_found', 'message_not_found'], ({ args, ws }, fail) => {
  const channel = findChannel(ws, args.string('channel'), fail);
  const message = findMessage(ws, channel, args.string('message_ts'), fail);
  return { channel: channel.id, permalink: ws.permalink(channel.id, message.ts, message.threadTs) };
});

export const chatMethods: Record<string, ApiMethod> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': getPermalink,
};
