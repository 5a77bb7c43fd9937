// Slack's requests to an app, built the way Slack builds them, signed per request with the wall
// clock. Field order and shapes mirror src/sandbox/slack-actor (commandForm, eventEnvelope,
// messageEvent, reactionEvent), which the integration tests check against Slack's descriptions.

import { randomBytes, randomUUID } from 'node:crypto';

import { signSlackRequest } from '../../src/sandbox/slack-actor/signing';
import type { WorkspaceInfo } from './protocol';

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';
const USER_AGENT = 'Slackbot 1.0 (+https://api.slack.com/robots)';
const VERIFICATION_TOKEN = 'emulated-verification-token';

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/** Signature computed now, over exactly this body. */
export function signed(secret: string, body: string, contentType: string): SignedRequest {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': contentType,
      'user-agent': USER_AGENT,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signSlackRequest(secret, timestamp, body),
    },
  };
}

/** Unique within this process; shaped like Slack's (digits.digits.hex). */
export function newTriggerId(): string {
  return `${Date.now()}${String(++counter).padStart(7, '0')}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`;
}

/** Unique within this process (a counter), Slack-shaped: "Ev" + upper-case alphanumerics. */
export function newEventId(): string {
  return `Ev${RUN_TAG}${(++counter).toString(36).toUpperCase().padStart(7, '0')}`;
}

/** A fresh message ts: wall-clock seconds and a six-digit counter, unique within this process. */
export function newMessageTs(): string {
  const n = ++counter;
  return `${TS_BASE + Math.floor(n / 1e6)}.${String(n % 1e6).padStart(6, '0')}`;
}

let counter = 0;
const RUN_TAG = randomBytes(2).toString('hex').toUpperCase();
const TS_BASE = Math.floor(Date.now() / 1000);

/** `/incident <text>` typed by `userId` in the incident channel. */
export function slashCommandBody(ws: WorkspaceInfo, userId: string, text: string, triggerId: string): string {
  return new URLSearchParams({
    token: VERIFICATION_TOKEN,
    team_id: ws.teamId,
    team_domain: ws.teamDomain,
    channel_id: ws.channelId,
    channel_name: ws.channelName,
    user_id: userId,
    user_name: ws.userNames[userId] ?? userId,
    command: '/incident',
    text,
    api_app_id: ws.apiAppId,
    is_enterprise_install: 'false',
    response_url: ws.responseUrl,
    trigger_id: triggerId,
  }).toString();
}

type SlackEvent = { type: string } & Record<string, unknown>;

export function eventCallbackBody(ws: WorkspaceInfo, event: SlackEvent, eventId: string): string {
  return JSON.stringify({
    token: VERIFICATION_TOKEN,
    team_id: ws.teamId,
    context_team_id: ws.teamId,
    context_enterprise_id: null,
    api_app_id: ws.apiAppId,
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: ws.teamId, user_id: ws.botUserId, is_bot: true, is_enterprise_install: false }],
    authed_users: [ws.botUserId],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(JSON.stringify({ tid: ws.teamId, aid: ws.apiAppId, cid: ws.channelId })).toString('base64url')}`,
  });
}

/** A person's new message in the incident channel, as the `message` event carries it. */
export function messageEvent(ws: WorkspaceInfo, userId: string, ts: string, text: string): SlackEvent {
  return {
    user: userId,
    type: 'message',
    ts,
    client_msg_id: randomUUID(),
    text,
    team: ws.teamId,
    blocks: [
      {
        type: 'rich_text',
        block_id: randomBytes(3).toString('base64url'),
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
      },
    ],
    channel: ws.channelId,
    event_ts: ts,
    channel_type: 'channel',
  };
}

/** `userId` reacts with :pushpin: to the message `ts` written by `authorId`. */
export function pushpinEvent(ws: WorkspaceInfo, userId: string, authorId: string, ts: string): SlackEvent {
  return {
    type: 'reaction_added',
    user: userId,
    reaction: 'pushpin',
    item_user: authorId,
    item: { type: 'message', channel: ws.channelId, ts },
    event_ts: newMessageTs(),
  };
}

/** Slack's check of the Events API request URL: answered with the challenge, stores nothing. */
export function urlVerificationBody(): string {
  return JSON.stringify({ token: VERIFICATION_TOKEN, challenge: `bench-${++counter}`, type: 'url_verification' });
}
