import { channelJson } from '../serialize';
import type { EmulatedChannel } from '../types';
import type { Workspace } from '../workspace';
import { defineMethod, type ApiArgs, type ApiMethod, type Fail } from './define';
import { dmRefusal, findChannel, requireBotInChannel, requireNotArchived } from './lookup';

const MAX_NAME_LENGTH = 80;
const MAX_TOPIC_LENGTH = 250;
const MAX_INVITEES = 1000;

/** Slack's channel-name rules, checked in Slack's order. */
function checkChannelName(
  ws: Workspace,
  name: string | undefined,
  fail: Fail<'invalid_name_required' | 'invalid_name_maxlength' | 'invalid_name_specials' | 'invalid_name_punctuation' | 'name_taken'>,
): string {
  if (!name) return fail('invalid_name_required');
  if (name.length > MAX_NAME_LENGTH) return fail('invalid_name_maxlength');
  if (!/^[a-z0-9_-]+$/.test(name)) return fail('invalid_name_specials');
  if (/^[-_]+$/.test(name)) return fail('invalid_name_punctuation');
  if (ws.directory.channelByName(name)) return fail('name_taken');
  return name;
}

const create = defineMethod(['invalid_name_required', 'invalid_name_maxlength', 'invalid_name_specials', 'invalid_name_punctuation', 'name_taken'], ({ args, ws }, fail) => {
  const name = checkChannelName(ws, args.string('name'), fail);
  const channel = ws.directory.addChannel({
    name,
    isPrivate: args.boolean('is_private'),
    members: [ws.botUserId],
    creator: ws.botUserId,
  });
  return { channel: channelJson(ws, channel) };
});

type InviteError = 'user_not_found' | 'cant_invite_self' | 'cant_invite';

function inviteErrorFor(ws: Workspace, userId: string): InviteError | undefined {
  const user = ws.directory.user(userId);
  if (!user) return 'user_not_found';
  if (userId === ws.botUserId) return 'cant_invite_self';
  if (user.deleted) return 'cant_invite';
  return undefined;
}

/**
 * Invites several users at once. As in Slack, one bad user fails the whole call unless `force`
 * is set; then the valid ones are invited and the others reported in `errors`.
 */
const invite = defineMethod(
  ['channel_not_found', 'is_archived', 'not_in_channel', 'no_user', 'too_many_users', 'user_not_found', 'cant_invite_self', 'cant_invite', 'already_in_channel'],
  ({ args, ws }, fail) => {
    const channel = findChannel(ws, args.string('channel'), fail);
    requireNotArchived(channel, fail);
    requireBotInChannel(ws, channel, fail);
    const users = [...new Set(args.list('users'))];
    if (users.length === 0) return fail('no_user');
    if (users.length > MAX_INVITEES) return fail('too_many_users');
    const errors = users.flatMap((user) => {
      const error = inviteErrorFor(ws, user);
      return error ? [{ user, ok: false, error }] : [];
    });
    const valid = users.filter((u) => !errors.some((e) => e.user === u));
    if (errors.length > 0 && (!args.boolean('force') || valid.length === 0)) return fail(errors[0].error, { errors });
    const newcomers = valid.filter((u) => !ws.isMember(channel, u));
    if (newcomers.length === 0) return fail('already_in_channel');
    newcomers.forEach((u) => ws.directory.join(channel.id, u));
    return { channel: channelJson(ws, channel), ...(errors.length ? { errors } : {}) };
  },
);

function defineTextSetter(field: 'topic' | 'purpose'): ApiMethod {
  return defineMethod(['channel_not_found', 'is_archived', 'not_in_channel', 'too_long'], ({ args, ws }, fail) => {
    const channel = findChannel(ws, args.string('channel'), fail);
    requireNotArchived(channel, fail);
    requireBotInChannel(ws, channel, fail);
    const value = args.string(field) ?? '';
    if (value.length > MAX_TOPIC_LENGTH) return fail('too_long');
    ws.directory.setText(channel.id, field, value, ws.botUserId);
    return { channel: channelJson(ws, channel) };
  });
}

const info = defineMethod(['channel_not_found'], ({ args, ws }, fail) => {
  const channel = findChannel(ws, args.string('channel'), fail);
  return { channel: channelJson(ws, channel, args.boolean('include_num_members')) };
});

/** Cursors look like Slack's: base64 of `user:<first id of the next page>`. */
function pageStart(channel: EmulatedChannel, args: ApiArgs, fail: Fail<'invalid_cursor'>): number {
  const cursor = args.string('cursor');
  if (!cursor) return 0;
  const userId = Buffer.from(cursor, 'base64')
    .toString('utf8')
    .replace(/^user:/, '');
  const index = channel.members.indexOf(userId);
  return index < 0 ? fail('invalid_cursor') : index;
}

const members = defineMethod(['channel_not_found', 'invalid_limit', 'invalid_cursor'], ({ args, ws }, fail) => {
  const channel = findChannel(ws, args.string('channel'), fail);
  const limit = args.string('limit') === undefined ? 100 : args.integer('limit');
  if (limit === undefined || limit < 1 || limit > 1000) return fail('invalid_limit');
  const start = pageStart(channel, args, fail);
  const page = channel.members.slice(start, start + limit);
  const next = channel.members[start + limit];
  const nextCursor = next ? Buffer.from(`user:${next}`).toString('base64') : '';
  return { members: page, response_metadata: { next_cursor: nextCursor } };
});

/** Joining twice succeeds with a warning, as Slack does. Private channels the bot is not in are invisible to it. */
const join = defineMethod(['channel_not_found', 'is_archived'], ({ args, ws }, fail) => {
  const channel = findChannel(ws, args.string('channel'), fail);
  requireNotArchived(channel, fail);
  if (ws.isMember(channel, ws.botUserId)) {
    return {
      channel: channelJson(ws, channel),
      warning: 'already_in_channel',
      response_metadata: { warnings: ['already_in_channel'] },
    };
  }
  ws.directory.join(channel.id, ws.botUserId);
  return { channel: channelJson(ws, channel) };
});

/** Slack opens multi-person DMs of up to 8 people; the emulator does only 1:1 DMs. */
const MAX_DM_USERS = 8;

/** The DM to open or resume: `channel` resumes one by id, `users` names the person. */
function dmToOpen(
  ws: Workspace,
  args: ApiArgs,
  fail: Fail<'channel_not_found' | 'method_not_supported_for_channel_type' | 'users_list_not_supplied' | 'too_many_users' | 'user_not_found' | 'user_disabled' | 'cannot_dm_bot'>,
): EmulatedChannel {
  const channelId = args.string('channel');
  if (channelId) {
    const channel = findChannel(ws, channelId, fail);
    return channel.imUser !== undefined ? channel : fail('method_not_supported_for_channel_type');
  }
  const users = [...new Set(args.list('users'))];
  if (users.length === 0) return fail('users_list_not_supplied');
  if (users.length > MAX_DM_USERS) return fail('too_many_users');
  if (users.length > 1) throw new Error('multi-person DMs (several `users`) are not emulated');
  const refusal = dmRefusal(ws, users[0]);
  return refusal ? fail(refusal) : ws.directory.openIm(users[0], ws.botUserId);
}

/**
 * Opens the bot's DM with a person: the same D… id every time, the one chat.postMessage uses when
 * given the user id. As in Slack, only the id comes back unless `return_im` is set, and a DM that
 * already existed is flagged `already_open`.
 */
const open = defineMethod(
  ['channel_not_found', 'method_not_supported_for_channel_type', 'users_list_not_supplied', 'too_many_users', 'user_not_found', 'user_disabled', 'cannot_dm_bot'],
  ({ args, ws }, fail) => {
    const userId = args.list('users')[0];
    const existed = args.string('channel') !== undefined || (userId !== undefined && ws.directory.im(userId) !== undefined);
    const im = dmToOpen(ws, args, fail);
    return {
      ...(existed ? { no_op: true, already_open: true } : {}),
      channel: args.boolean('return_im') ? channelJson(ws, im) : { id: im.id },
    };
  },
);

/**
 * Archives a channel the bot is in (channels:manage or groups:write). Slack refuses DMs, the
 * workspace's #general and a channel already archived.
 */
const archive = defineMethod(['channel_not_found', 'method_not_supported_for_channel_type', 'already_archived', 'cant_archive_general', 'not_in_channel'], ({ args, ws }, fail) => {
  const channel = findChannel(ws, args.string('channel'), fail);
  if (channel.imUser !== undefined) return fail('method_not_supported_for_channel_type');
  if (channel.archived) return fail('already_archived');
  if (channel.name === 'general') return fail('cant_archive_general');
  requireBotInChannel(ws, channel, fail);
  ws.directory.archive(channel.id);
  return {};
});

export const conversationsMethods: Record<string, ApiMethod> = {
  'conversations.archive': archive,
  'conversations.create': create,
  'conversations.invite': invite,
  'conversations.setTopic': defineTextSetter('topic'),
  'conversations.setPurpose': defineTextSetter('purpose'),
  'conversations.info': info,
  'conversations.members': members,
  'conversations.join': join,
  'conversations.open': open,
};
