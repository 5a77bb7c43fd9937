// Checks several methods share, in the order Slack applies them: the channel exists and the bot
// can see it, the bot is in it, it is not archived; then the message exists.
import type { Block, EmulatedChannel, EmulatedMessage } from '../types';
import type { Workspace } from '../workspace';
import type { ApiArgs, Fail } from './define';

/** Slack caps message text at 40,000 characters. */
const MAX_TEXT_LENGTH = 40_000;

/** Why the bot cannot have a DM with this user, in conversations.open's terms; undefined when it can. */
export function dmRefusal(ws: Workspace, userId: string): 'user_not_found' | 'user_disabled' | 'cannot_dm_bot' | undefined {
  const user = ws.directory.user(userId);
  if (!user) return 'user_not_found';
  if (user.deleted) return 'user_disabled';
  return user.isBot ? 'cannot_dm_bot' : undefined;
}

/**
 * The bot's DM with an active person: chat.postMessage accepts a user id as its channel. Deleted
 * users and bots get `channel_not_found` (see the note on chat.postMessage).
 */
function directMessageTo(ws: Workspace, userId: string): EmulatedChannel | undefined {
  return dmRefusal(ws, userId) ? undefined : ws.directory.openIm(userId, ws.botUserId);
}

/**
 * Finds a conversation by id or, where Slack allows it, by `#name` or by a user id (their DM with
 * the bot). Private channels are found only when the bot is in them.
 */
export function findChannel(ws: Workspace, ref: string | undefined, fail: Fail<'channel_not_found'>, options: { byName?: boolean; byUser?: boolean } = {}): EmulatedChannel {
  const channel = ref ? resolveConversation(ws, ref, options) : undefined;
  if (!channel || !ws.visibleToBot(channel)) return fail('channel_not_found');
  return channel;
}

function resolveConversation(ws: Workspace, ref: string, options: { byName?: boolean; byUser?: boolean }): EmulatedChannel | undefined {
  const byId = ws.directory.channel(ref);
  if (byId) return byId;
  if (options.byName && ref.startsWith('#')) return ws.directory.channelByName(ref);
  if (options.byUser && /^[UW]/.test(ref)) return directMessageTo(ws, ref);
  return options.byName ? ws.directory.channelByName(ref) : undefined;
}

export function requireBotInChannel(ws: Workspace, channel: EmulatedChannel, fail: Fail<'not_in_channel'>): void {
  if (!ws.isMember(channel, ws.botUserId)) fail('not_in_channel');
}

export function requireNotArchived(channel: EmulatedChannel, fail: Fail<'is_archived'>): void {
  if (channel.archived) fail('is_archived');
}

export function findMessage(ws: Workspace, channel: EmulatedChannel, ts: string | undefined, fail: Fail<'message_not_found'>): EmulatedMessage {
  const message = ts ? ws.history.message(channel.id, ts) : undefined;
  return message ?? fail('message_not_found');
}

export interface MessageContent {
  text: string;
  blocks?: Block[];
  attachments?: Block[];
}

/** Text, blocks and attachments of a message; Slack refuses a message with none of them. */
export function messageContent(args: ApiArgs, fail: Fail<'no_text' | 'msg_too_long'>): MessageContent {
  const text = args.string('text') ?? '';
  const blocks = args.objects('blocks');
  const attachments = args.objects('attachments');
  if (!text && !blocks?.length && !attachments?.length) return fail('no_text');
  if (text.length > MAX_TEXT_LENGTH) return fail('msg_too_long');
  return { text, ...(blocks ? { blocks } : {}), ...(attachments ? { attachments } : {}) };
}
