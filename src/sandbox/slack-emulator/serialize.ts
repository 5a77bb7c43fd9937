// JSON shapes of the Web API and Events API, built from the workspace's records. Field names and
// nesting follow Slack's objects (conversation, user, message, file) as the OpenAPI spec shows them.
import type { Workspace } from './workspace';
import type { EmulatedChannel, EmulatedFile, EmulatedMessage, EmulatedUser, Pin, TextSetting } from './types';

type Json = Record<string, unknown>;

function textSettingJson(setting: TextSetting): Json {
  return { value: setting.value, creator: setting.creator, last_set: setting.lastSet };
}

/** A DM, in the spec's "IM channel object" shape. */
function imJson(ws: Workspace, channel: EmulatedChannel & { imUser: string }): Json {
  return {
    id: channel.id,
    created: channel.created,
    is_im: true,
    is_org_shared: false,
    is_archived: false,
    is_open: true,
    user: channel.imUser,
    is_user_deleted: ws.directory.user(channel.imUser)?.deleted ?? false,
    priority: 0,
  };
}

/** A conversation object as the bot sees it (`is_member` is the bot's membership). */
export function channelJson(ws: Workspace, channel: EmulatedChannel, withMemberCount = false): Json {
  if (channel.imUser !== undefined) return imJson(ws, { ...channel, imUser: channel.imUser });
  return {
    id: channel.id,
    name: channel.name,
    name_normalized: channel.name,
    is_channel: true,
    is_group: false,
    is_im: false,
    is_mpim: false,
    is_private: channel.isPrivate,
    created: channel.created,
    creator: channel.creator,
    is_archived: channel.archived,
    is_general: false,
    is_shared: false,
    is_ext_shared: false,
    is_org_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    unlinked: 0,
    is_member: ws.isMember(channel, ws.botUserId),
    topic: textSettingJson(channel.topic),
    purpose: textSettingJson(channel.purpose),
    previous_names: [],
    ...(withMemberCount ? { num_members: channel.members.length } : {}),
  };
}

/** The zone's UTC offset in seconds and its long name, as users.info reports `tz_offset`/`tz_label`. */
function zoneInfo(tz: string, atMs: number): { offset: number; label: string } {
  const part = (style: 'longOffset' | 'long') =>
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style }).formatToParts(atMs).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(part('longOffset'));
  const offset = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60) : 0;
  return { offset, label: part('long') };
}

export function userJson(ws: Workspace, user: EmulatedUser): Json {
  const zone = zoneInfo(user.tz, ws.ts.seconds() * 1000);
  return {
    id: user.id,
    team_id: ws.identity.teamId,
    name: user.name,
    deleted: user.deleted,
    real_name: user.realName,
    tz: user.tz,
    tz_label: zone.label,
    tz_offset: zone.offset,
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.isBot,
    is_app_user: false,
    updated: 0,
    profile: {
      real_name: user.realName,
      real_name_normalized: user.realName,
      display_name: user.displayName,
      display_name_normalized: user.displayName,
      ...(user.email ? { email: user.email } : {}),
      avatar_hash: '',
      title: '',
      phone: '',
      skype: '',
      status_text: '',
      status_emoji: '',
      fields: null,
      team: ws.identity.teamId,
      ...(user.botId ? { bot_id: user.botId } : {}),
    },
  };
}

const MIME_BY_EXTENSION: Record<string, [mimetype: string, filetype: string]> = {
  txt: ['text/plain', 'text'],
  md: ['text/plain', 'markdown'],
  json: ['application/json', 'json'],
  csv: ['text/csv', 'csv'],
  html: ['text/html', 'html'],
};

export function fileJson(ws: Workspace, file: EmulatedFile): Json {
  const extension = file.name.includes('.') ? (file.name.split('.').pop() ?? '').toLowerCase() : '';
  const [mimetype, filetype] = MIME_BY_EXTENSION[extension] ?? ['application/octet-stream', 'binary'];
  return {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.title,
    mimetype,
    filetype,
    user: file.user,
    user_team: ws.identity.teamId,
    size: file.length,
    mode: 'hosted',
    is_external: false,
    is_public: file.channels.some((c) => ws.directory.channel(c)?.isPrivate === false),
    url_private: `https://files.slack.com/files-pri/${ws.identity.teamId}-${file.id}/${file.name}`,
    permalink: `https://${ws.identity.teamDomain}.slack.com/files/${file.user}/${file.id}/${file.name}`,
    channels: [...file.channels],
  };
}

/**
 * Who posted it, as Slack says: a person or this bot by `user` (the bot with its `bot_id`); another
 * app by its bot user, `bot_id` and `bot_profile`; an incoming webhook as `bot_message` with no user.
 */
function authorJson(ws: Workspace, message: EmulatedMessage): Json {
  const integration = message.integration;
  if (!integration) return { user: message.user, ...(message.botId ? { bot_id: message.botId, app_id: ws.identity.appId } : {}) };
  const profile = { id: integration.botId, app_id: integration.appId, name: integration.name, deleted: false, team_id: ws.identity.teamId, icons: {} };
  return integration.webhook
    ? { subtype: 'bot_message', username: integration.name, bot_id: integration.botId, app_id: integration.appId, bot_profile: profile }
    : { user: message.user, bot_id: integration.botId, app_id: integration.appId, bot_profile: profile };
}

/** Metadata only when asked for, as conversations.history does with `include_all_metadata`. */
export function messageJson(ws: Workspace, message: EmulatedMessage, options: { withMetadata?: boolean } = {}): Json {
  const files = (message.files ?? []).map((id) => ws.files.file(id)).filter((f) => f !== undefined);
  const pinned = ws.history.pins(message.channel).some((p) => p.ts === message.ts);
  return {
    type: 'message',
    ...(message.subtype ? { subtype: message.subtype } : {}),
    ...(message.subtype === 'tombstone' ? { hidden: true } : {}),
    ...authorJson(ws, message),
    text: message.text,
    ts: message.ts,
    team: ws.identity.teamId,
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(message.attachments ? { attachments: message.attachments } : {}),
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    ...(message.edited ? { edited: { ...message.edited } } : {}),
    ...(files.length ? { files: files.map((f) => fileJson(ws, f)), upload: message.subtype === 'file_share' } : {}),
    ...(message.reactions.length ? { reactions: message.reactions.map((r) => ({ name: r.name, users: [...r.users], count: r.users.length })) } : {}),
    ...(pinned ? { pinned_to: [message.channel] } : {}),
    ...(options.withMetadata && message.metadata ? { metadata: message.metadata } : {}),
  };
}

/** An item of pins.list, and the `item` of pin_added / pin_removed events. */
export function pinnedItemJson(ws: Workspace, message: EmulatedMessage, pin: Pin): Json {
  return {
    type: 'message',
    channel: message.channel,
    created: pin.created,
    created_by: pin.pinnedBy,
    message: { ...messageJson(ws, message), permalink: ws.permalink(message.channel, message.ts, message.threadTs) },
  };
}
