// Reading what exists: the conversations the bot can see (conversations.list) and a channel's
// messages (conversations.history), both paginated with opaque cursors like Slack's.
import { channelJson, messageJson } from '../serialize';
import type { EmulatedChannel, EmulatedMessage } from '../types';
import type { Workspace } from '../workspace';
import { defineMethod, type ApiArgs, type ApiMethod, type Fail } from './define';
import { findChannel, requireBotInChannel } from './lookup';

const DEFAULT_LIMIT = 100;
const MAX_LIST_LIMIT = 1000;
const MAX_HISTORY_LIMIT = 999;

/** Slack caps `limit` rather than refusing a large one; a missing or bad one takes the default. */
function limitOf(args: ApiArgs, max: number): number {
  const limit = args.integer('limit');
  return limit === undefined || limit < 1 ? DEFAULT_LIMIT : Math.min(limit, max);
}

/** Cursors are base64 of `<kind>:<first item of the next page>`, as Slack's look. */
function encodeCursor(kind: string, key: string): string {
  return Buffer.from(`${kind}:${key}`).toString('base64');
}

function decodeCursor(args: ApiArgs, kind: string, fail: Fail<'invalid_cursor'>): string | undefined {
  const cursor = args.string('cursor');
  if (!cursor) return undefined;
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  return decoded.startsWith(`${kind}:`) ? decoded.slice(kind.length + 1) : fail('invalid_cursor');
}

function channelKind(channel: EmulatedChannel): 'public_channel' | 'private_channel' | 'im' {
  if (channel.imUser !== undefined) return 'im';
  return channel.isPrivate ? 'private_channel' : 'public_channel';
}

/**
 * Every conversation of the requested `types` (default public channels) the bot can see: all
 * public channels, private ones it is in, its DMs. Multi-person DMs (`mpim`) are not emulated.
 */
const list = defineMethod(['invalid_cursor'], ({ args, ws }, fail) => {
  const types = new Set(args.list('types').length > 0 ? args.list('types') : ['public_channel']);
  const visible = ws.directory.allChannels().filter((c) => types.has(channelKind(c)) && ws.visibleToBot(c) && !(args.boolean('exclude_archived') && c.archived));
  const after = decodeCursor(args, 'channel', fail);
  const start = after === undefined ? 0 : visible.findIndex((c) => c.id === after);
  if (start < 0) return fail('invalid_cursor');
  const limit = limitOf(args, MAX_LIST_LIMIT);
  const next = visible[start + limit];
  return {
    channels: visible.slice(start, start + limit).map((c) => channelJson(ws, c)),
    response_metadata: { next_cursor: next ? encodeCursor('channel', next.id) : '' },
  };
});

/** `1700000000.000100` (or a whole number of seconds) as microseconds; undefined when malformed. */
function tsMicros(ts: string): number | undefined {
  const match = /^(\d{1,12})(?:\.(\d{1,6}))?$/.exec(ts);
  return match ? Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0')) : undefined;
}

function boundOf<E extends string>(args: ApiArgs, name: 'oldest' | 'latest', fail: Fail<E>, error: E): number | undefined {
  const value = args.string(name);
  if (value === undefined) return undefined;
  return tsMicros(value) ?? fail(error);
}

/** Top-level messages of the window, newest first (thread replies stay in their threads). */
function messagesIn(ws: Workspace, channel: EmulatedChannel, range: { oldest?: number; latest?: number; inclusive: boolean }): EmulatedMessage[] {
  const within = (ts: string) => {
    const at = tsMicros(ts) ?? 0;
    const afterOldest = range.oldest === undefined || at > range.oldest || (range.inclusive && at === range.oldest);
    const beforeLatest = range.latest === undefined || at < range.latest || (range.inclusive && at === range.latest);
    return afterOldest && beforeLatest;
  };
  return ws.history
    .messages(channel.id)
    .filter((m) => (!m.threadTs || m.threadTs === m.ts) && within(m.ts))
    .reverse();
}

/**
 * A page of the channel's messages, newest first. Metadata apps attached comes back only with
 * `include_all_metadata`. The bot must be in the channel (private ones it is not in do not exist for it).
 */
const history = defineMethod(['channel_not_found', 'not_in_channel', 'invalid_ts_latest', 'invalid_ts_oldest', 'invalid_cursor'], ({ args, ws }, fail) => {
  const channel = findChannel(ws, args.string('channel'), fail);
  requireBotInChannel(ws, channel, fail);
  const latest = boundOf(args, 'latest', fail, 'invalid_ts_latest');
  const oldest = boundOf(args, 'oldest', fail, 'invalid_ts_oldest');
  const messages = messagesIn(ws, channel, { oldest, latest, inclusive: args.boolean('inclusive') });
  const from = decodeCursor(args, 'next_ts', fail);
  const start = from === undefined ? 0 : messages.findIndex((m) => m.ts === from);
  if (start < 0) return fail('invalid_cursor');
  const limit = limitOf(args, MAX_HISTORY_LIMIT);
  const next = messages[start + limit];
  const withMetadata = args.boolean('include_all_metadata');
  return {
    messages: messages.slice(start, start + limit).map((m) => messageJson(ws, m, { withMetadata })),
    has_more: next !== undefined,
    pin_count: ws.history.pins(channel.id).length,
    channel_actions_ts: null,
    channel_actions_count: 0,
    ...(next ? { response_metadata: { next_cursor: encodeCursor('next_ts', next.ts) } } : {}),
  };
});

export const conversationReadMethods: Record<string, ApiMethod> = {
  'conversations.list': list,
  'conversations.history': history,
};
