// Events API payloads as Slack sends them: the `event_callback` envelope and the inner events the
// incident bot listens to. Shapes follow Slack's AsyncAPI description and event reference.
import { randomBytes, randomUUID } from 'node:crypto';
import { messageJson, pinnedItemJson } from '../slack-emulator/serialize';
import type { EmulatedChannel, EmulatedMessage, Pin } from '../slack-emulator/types';
import type { Workspace } from '../slack-emulator/workspace';
import type { AppIdentity } from './interactive';

export type SlackEvent = { type: string } & Record<string, unknown>;

/** Globally unique in Slack; random here so separate actors never collide. */
export function newEventId(): string {
  return `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
}

export function eventEnvelope(source: AppIdentity, event: SlackEvent, eventId: string): Record<string, unknown> {
  const { ws, teamId } = source;
  const botUserId = ws.identity.botUserId;
  return {
    token: source.verificationToken,
    team_id: teamId,
    context_team_id: teamId,
    context_enterprise_id: null,
    api_app_id: source.apiAppId,
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: ws.ts.seconds(),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: botUserId, is_bot: true, is_enterprise_install: false }],
    // Deprecated by Slack in favour of `authorizations`, but still required by its AsyncAPI schema.
    authed_users: [botUserId],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(JSON.stringify({ tid: teamId, aid: source.apiAppId, cid: event.channel ?? '' })).toString('base64url')}`,
  };
}

function channelType(channel: EmulatedChannel): 'channel' | 'group' | 'im' {
  if (channel.imUser) return 'im';
  return channel.isPrivate ? 'group' : 'channel';
}

/** What people type arrives as rich text blocks alongside `text`. */
export function richTextBlocks(text: string): Record<string, unknown>[] {
  return [
    {
      type: 'rich_text',
      block_id: randomBytes(3).toString('base64url'),
      elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
    },
  ];
}

export function messageEvent(ws: Workspace, channel: EmulatedChannel, message: EmulatedMessage): SlackEvent {
  const parent = message.threadTs ? ws.history.message(channel.id, message.threadTs) : undefined;
  return {
    ...messageJson(ws, message),
    type: 'message',
    client_msg_id: randomUUID(),
    channel: channel.id,
    event_ts: message.ts,
    channel_type: channelType(channel),
    ...(parent ? { parent_user_id: parent.user } : {}),
  };
}

/** An edit: the new message under `message`, the old one under `previous_message`. */
export function messageChangedEvent(channel: EmulatedChannel, message: Record<string, unknown>, previous: Record<string, unknown>, eventTs: string): SlackEvent {
  return {
    type: 'message',
    subtype: 'message_changed',
    hidden: true,
    channel: channel.id,
    message,
    previous_message: previous,
    ts: eventTs,
    event_ts: eventTs,
    channel_type: channelType(channel),
  };
}

export function messageDeletedEvent(channel: EmulatedChannel, previous: Record<string, unknown>, eventTs: string): SlackEvent {
  return {
    type: 'message',
    subtype: 'message_deleted',
    hidden: true,
    channel: channel.id,
    deleted_ts: previous.ts,
    previous_message: previous,
    ts: eventTs,
    event_ts: eventTs,
    channel_type: channelType(channel),
  };
}

export function reactionEvent(type: 'reaction_added' | 'reaction_removed', user: string, message: EmulatedMessage, reaction: string, eventTs: string): SlackEvent {
  return {
    type,
    user,
    reaction,
    item_user: message.user,
    item: { type: 'message', channel: message.channel, ts: message.ts },
    event_ts: eventTs,
  };
}

export function pinEvent(ws: Workspace, type: 'pin_added' | 'pin_removed', message: EmulatedMessage, pin: Pin, eventTs: string): SlackEvent {
  const pinCount = ws.history.pins(message.channel).length;
  return {
    type,
    user: pin.pinnedBy,
    channel_id: message.channel,
    item: pinnedItemJson(ws, message, pin),
    item_user: message.user,
    pin_count: pinCount,
    pinned_info: { channel: message.channel, pinned_by: pin.pinnedBy, pinned_ts: pin.created },
    ...(type === 'pin_removed' ? { has_pins: pinCount > 0 } : {}),
    event_ts: eventTs,
  };
}
