// Plays Slack's side towards the app: people acting in the emulated workspace, and what Slack then
// sends the app (slash commands, Events API callbacks, interactivity): signed HTTP requests, or
// the same payloads as Socket Mode envelopes through the emulator.
import type { SlackEmulator } from '../slack-emulator';
import { messageJson } from '../slack-emulator/serialize';
import type { Block, EmulatedChannel, EmulatedMessage, EmulatedUser, EphemeralMessage, Integration } from '../slack-emulator/types';
import type { Workspace } from '../slack-emulator/workspace';
import { isObject } from '../slack-emulator/web-api/define';
import { viewJson } from '../slack-emulator/web-api/views';
import { eventEnvelope, messageChangedEvent, messageDeletedEvent, messageEvent, newEventId, pinEvent, reactionEvent, richTextBlocks, type SlackEvent } from './events';
import { blockActionsPayload, homeBlockActionsPayload, type ButtonClick } from './block-actions';
import { commandForm, commonFields, interactiveForm, viewSubmissionPayload, type AppIdentity, type ViewSubmission } from './interactive';
import { socketTransport } from './socket-transport';
import { httpTransport, postToApp, type AppResponse, type Transport } from './transport';

interface CommonActorOptions {
  emulator: SlackEmulator;
  /** Defaults to the emulator's team. */
  teamId?: string;
  /** Defaults to the emulator's app id. */
  apiAppId?: string;
  /** The deprecated `token` field Slack still sends in payloads. */
  verificationToken?: string;
}

/** Signed requests to the app's HTTP endpoint (Bolt's HTTPReceiver). */
export interface HttpActorOptions extends CommonActorOptions {
  transport?: 'http';
  /** Where the app listens, e.g. `http://127.0.0.1:3000`; requests go to `/slack/events`. */
  appUrl: string;
  signingSecret: string;
}

/**
 * Envelopes over the app's Socket Mode connection (`emulator.socketMode`). Responses look like the
 * HTTP ones: 200 with the ack's payload as the body, or 504 when no ack came within `ackTimeoutMs`.
 */
export interface SocketActorOptions extends CommonActorOptions {
  transport: 'socket';
  /** How long each delivery waits for its ack; defaults to the emulator's (Slack's 3 s). */
  ackTimeoutMs?: number;
  /** Only for `rawRequest`, which always goes over HTTP. */
  appUrl?: string;
}

export type SlackActorOptions = HttpActorOptions | SocketActorOptions;

export interface CommandResponse extends AppResponse {
  responseUrlId: string;
  /** The channel message Slack made of an `in_channel` acknowledgement. */
  messageTs?: string;
  /** The ephemeral message an acknowledgement with blocks became (click its buttons by this ts). */
  ephemeralTs?: string;
  responseUrl: string;
  triggerId: string;
}

export interface DeliveryOptions {
  /** Reuse an id to simulate Slack delivering the same event again. */
  eventId?: string;
  /** Sent as `X-Slack-Retry-Num`, as Slack does when it redelivers. */
  retryNum?: number;
  /** Sent as `X-Slack-Retry-Reason` (e.g. `http_timeout`). */
  retryReason?: string;
}

/** The app's answer to one event delivery, with what was delivered (to redeliver it). */
export interface Delivery extends AppResponse {
  eventId: string;
  event: SlackEvent;
}

export interface InteractionResponse extends AppResponse {
  triggerId: string;
  responseUrlId?: string;
}

export class SlackActor {
  private readonly identity: Omit<AppIdentity, 'ws'>;
  private readonly transport: Transport;

  constructor(private readonly options: SlackActorOptions) {
    this.transport = options.transport === 'socket' ? socketTransport(options.emulator, options.ackTimeoutMs) : httpTransport(options.appUrl, options.signingSecret);
    this.identity = {
      teamId: options.teamId ?? options.emulator.identity.teamId,
      apiAppId: options.apiAppId ?? options.emulator.identity.appId,
      verificationToken: options.verificationToken ?? 'emulated-verification-token',
    };
  }

  // Read through the emulator each time: reset() swaps its workspace.
  private get ws(): Workspace {
    return this.options.emulator.workspace;
  }

  private get app(): AppIdentity {
    return { ...this.identity, ws: this.ws };
  }

  async slashCommand(userId: string, channelId: string, text: string, command = '/incident'): Promise<CommandResponse> {
    const user = this.requireUser(userId);
    const channelName = channelId.startsWith('D') ? 'directmessage' : this.requireChannel(channelId).name;
    const responseUrl = this.options.emulator.issueResponseUrl({ channel: channelId, user: userId });
    const triggerId = this.options.emulator.issueTriggerId(userId);
    const body = commandForm(this.app, { user, channelId, channelName, command, text, responseUrl: responseUrl.url, triggerId });
    const response = await this.transport({ kind: 'slash_commands', body, contentType: 'application/x-www-form-urlencoded' });
    const shown = response.status === 200 ? this.showInChannel(channelId, response.json) : undefined;
    const privately = response.status === 200 && !shown ? this.showToUser(channelId, userId, response.json) : undefined;
    return {
      ...response,
      responseUrlId: responseUrl.id,
      responseUrl: responseUrl.url,
      triggerId,
      ...(shown ? { messageTs: shown.ts } : {}),
      ...(privately ? { ephemeralTs: privately.ts } : {}),
    };
  }

  /** An ephemeral acknowledgement with blocks is shown to the user alone, buttons and all (clickable by its ts). */
  private showToUser(channelId: string, userId: string, ack: unknown): EphemeralMessage | undefined {
    if (!isObject(ack) || ack.response_type === 'in_channel' || !Array.isArray(ack.blocks)) return undefined;
    const shown: EphemeralMessage = {
      channel: channelId,
      user: userId,
      text: typeof ack.text === 'string' ? ack.text : '',
      blocks: ack.blocks.filter(isObject),
      ts: this.ws.ts.next(),
      via: 'ack',
    };
    this.ws.interactions.ephemerals.push(shown);
    return shown;
  }

  /** Slack posts an `in_channel` acknowledgement into the channel as the app's message (with its buttons). */
  private showInChannel(channelId: string, ack: unknown): EmulatedMessage | undefined {
    if (!isObject(ack) || ack.response_type !== 'in_channel' || channelId.startsWith('D')) return undefined;
    const text = typeof ack.text === 'string' ? ack.text : '';
    const blocks = Array.isArray(ack.blocks) ? ack.blocks.filter(isObject) : undefined;
    if (!text && !blocks?.length) return undefined;
    return this.ws.history.post({ channel: channelId, user: this.ws.botUserId, botId: this.ws.identity.botId, text, ...(blocks ? { blocks } : {}) });
  }

  /** The user posts a message (in a thread with `threadTs`); the app gets a `message` event. */
  async say(userId: string, channelId: string, text: string, options: { threadTs?: string } & DeliveryOptions = {}): Promise<{ ts: string; delivery: Delivery }> {
    const channel = this.requireWritableChannel(userId, channelId);
    const message = this.ws.history.post({
      channel: channel.id,
      user: userId,
      text,
      blocks: richTextBlocks(text),
      ...(options.threadTs ? { threadTs: options.threadTs } : {}),
    });
    const delivery = await this.deliverEvent(messageEvent(this.ws, channel, message), options);
    return { ts: message.ts, delivery };
  }

  /**
   * Another app or an incoming webhook posts (a monitoring alert: often no text, only attachments
   * or blocks); the app gets a `message` event, a `bot_message` for a webhook.
   */
  async postAsIntegration(
    channelId: string,
    integration: Integration,
    content: { text?: string; attachments?: Block[]; blocks?: Block[]; threadTs?: string },
    options: DeliveryOptions = {},
  ): Promise<{ ts: string; delivery: Delivery }> {
    const channel = this.requireChannel(channelId);
    const message = this.ws.history.post({
      channel: channel.id,
      user: (!integration.webhook && integration.botUserId) || integration.botId,
      integration,
      text: content.text ?? '',
      ...(content.attachments ? { attachments: content.attachments } : {}),
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(content.threadTs ? { threadTs: content.threadTs } : {}),
    });
    const delivery = await this.deliverEvent(messageEvent(this.ws, channel, message), options);
    return { ts: message.ts, delivery };
  }

  /** The integration updates its message (an alert going from firing to resolved); the app gets `message_changed`. */
  async updateAsIntegration(channelId: string, ts: string, content: { text?: string; attachments?: Block[]; blocks?: Block[] }, options: DeliveryOptions = {}): Promise<Delivery> {
    const channel = this.requireChannel(channelId);
    const message = this.requireMessage(channel, ts);
    if (!message.integration) throw new Error(`${ts} was not posted by an integration`);
    const previous = messageJson(this.ws, message);
    this.ws.history.update(message, { text: content.text ?? '', blocks: content.blocks, attachments: content.attachments });
    return this.deliverEvent(messageChangedEvent(channel, messageJson(this.ws, message), previous, this.ws.ts.next()), options);
  }

  /** The user uploads a file into the channel, with a caption or none; the app gets a `file_share` message. */
  async shareFile(
    userId: string,
    channelId: string,
    file: { name: string; title?: string; content?: string; caption?: string },
    options: DeliveryOptions = {},
  ): Promise<{ ts: string; fileId: string; delivery: Delivery }> {
    const channel = this.requireWritableChannel(userId, channelId);
    const shared = this.ws.files.shared(file.name, file.title ?? file.name, file.content ?? '', userId, channel.id);
    const caption = file.caption ?? '';
    const message = this.ws.history.post({
      channel: channel.id,
      user: userId,
      subtype: 'file_share',
      text: caption,
      ...(caption ? { blocks: richTextBlocks(caption) } : {}),
      files: [shared.id],
    });
    const delivery = await this.deliverEvent(messageEvent(this.ws, channel, message), options);
    return { ts: message.ts, fileId: shared.id, delivery };
  }

  /** The author edits their message; the app gets `message_changed`. */
  async edit(userId: string, channelId: string, ts: string, newText: string, options: DeliveryOptions = {}): Promise<Delivery> {
    const channel = this.requireWritableChannel(userId, channelId);
    const message = this.requireMessage(channel, ts);
    if (message.user !== userId) throw new Error(`${userId} cannot edit ${ts}: it is ${message.user}'s message`);
    const previous = messageJson(this.ws, message);
    this.ws.history.update(message, { text: newText, blocks: richTextBlocks(newText) }, userId);
    const event = messageChangedEvent(channel, messageJson(this.ws, message), previous, this.ws.ts.next());
    return this.deliverEvent(event, options);
  }

  /**
   * The message disappears (deleted by its author or an admin); the app gets `message_deleted`. A
   * thread parent with replies is replaced by Slackbot's tombstone instead, as Slack does, and the app
   * gets `message_changed` with the tombstone as the message.
   */
  async remove(channelId: string, ts: string, options: DeliveryOptions = {}): Promise<Delivery> {
    const channel = this.requireChannel(channelId);
    const message = this.requireMessage(channel, ts);
    const previous = messageJson(this.ws, message);
    if (this.ws.history.hasReplies(channel.id, ts)) {
      this.ws.history.tombstone(message);
      return this.deliverEvent(messageChangedEvent(channel, messageJson(this.ws, message), previous, this.ws.ts.next()), options);
    }
    this.ws.history.remove(channel.id, ts);
    return this.deliverEvent(messageDeletedEvent(channel, previous, this.ws.ts.next()), options);
  }

  async react(userId: string, channelId: string, ts: string, name: string, options: DeliveryOptions = {}): Promise<Delivery> {
    const message = this.requireMessage(this.requireWritableChannel(userId, channelId), ts);
    this.ws.history.addReaction(message, name, userId);
    return this.deliverEvent(reactionEvent('reaction_added', userId, message, name, this.ws.ts.next()), options);
  }

  async unreact(userId: string, channelId: string, ts: string, name: string, options: DeliveryOptions = {}): Promise<Delivery> {
    const message = this.requireMessage(this.requireWritableChannel(userId, channelId), ts);
    this.ws.history.removeReaction(message, name, userId);
    return this.deliverEvent(reactionEvent('reaction_removed', userId, message, name, this.ws.ts.next()), options);
  }

  async pin(userId: string, channelId: string, ts: string, options: DeliveryOptions = {}): Promise<Delivery> {
    const message = this.requireMessage(this.requireWritableChannel(userId, channelId), ts);
    const pin = this.ws.history.pin(channelId, ts, userId);
    if (!pin) throw new Error(`${ts} is already pinned in ${channelId}`);
    return this.deliverEvent(pinEvent(this.ws, 'pin_added', message, pin, this.ws.ts.next()), options);
  }

  async unpin(userId: string, channelId: string, ts: string, options: DeliveryOptions = {}): Promise<Delivery> {
    const message = this.requireMessage(this.requireWritableChannel(userId, channelId), ts);
    const pin = this.ws.history.unpin(channelId, ts);
    if (!pin) throw new Error(`${ts} is not pinned in ${channelId}`);
    return this.deliverEvent(pinEvent(this.ws, 'pin_removed', message, { ...pin, pinnedBy: userId }, this.ws.ts.next()), options);
  }

  /** Wraps any event in an `event_callback` envelope and delivers it, optionally as a retry. */
  async deliverEvent(event: SlackEvent, options: DeliveryOptions = {}): Promise<Delivery> {
    const eventId = options.eventId ?? newEventId();
    const body = JSON.stringify(eventEnvelope(this.app, event, eventId));
    const { retryNum, retryReason } = options;
    const response = await this.transport({ kind: 'events_api', body, contentType: 'application/json', retryNum, retryReason });
    return { ...response, eventId, event };
  }

  /** Slack's check of the Events API request URL: the app must echo the challenge. HTTP only. */
  async verifyUrl(challenge = 'emulated-challenge'): Promise<AppResponse> {
    if (this.options.transport === 'socket') throw new Error('Slack verifies request URLs over HTTP only; Socket Mode apps have none');
    const body = JSON.stringify({ token: this.app.verificationToken, challenge, type: 'url_verification' });
    return this.transport({ kind: 'events_api', body, contentType: 'application/json' });
  }

  /**
   * Slack's notice that it rate limits the app's event deliveries: a top-level callback with no event
   * envelope, sent to the Events API request URL only (so HTTP only).
   */
  async notifyRateLimited(minuteEpochSeconds: number): Promise<AppResponse> {
    if (this.options.transport === 'socket') throw new Error('app_rate_limited goes to the Events API request URL; Socket Mode apps have none');
    const { verificationToken, teamId, apiAppId } = this.app;
    const body = JSON.stringify({ token: verificationToken, type: 'app_rate_limited', team_id: teamId, minute_rate_limited: minuteEpochSeconds, api_app_id: apiAppId });
    return this.transport({ kind: 'events_api', body, contentType: 'application/json' });
  }

  /** The user presses the modal's submit button. */
  async submitView(userId: string, view: ViewSubmission): Promise<InteractionResponse> {
    const user = this.requireUser(userId);
    const triggerId = this.options.emulator.issueTriggerId(userId);
    const opened = this.ws.interactions.view(view.id);
    const payload = viewSubmissionPayload(this.app, user, view, opened, triggerId);
    return { ...(await this.interactive(payload)), triggerId };
  }

  /**
   * The user clicks a button in a message: in a channel, in their DM with the bot, or in an
   * ephemeral message shown to them. The button must be in the message (see ButtonClick).
   */
  async clickButton(userId: string, click: ButtonClick): Promise<InteractionResponse> {
    const user = this.requireUser(userId);
    const channel = this.requireVisibleChannel(userId, click.channelId);
    const message = this.ws.history.message(channel.id, click.messageTs);
    const ephemeral = message ? undefined : this.ws.interactions.ephemerals.find((e) => e.ts === click.messageTs && e.user === userId);
    if (!message && !ephemeral) throw new Error(`${userId} sees no message ${click.messageTs} in ${channel.id}`);
    const triggerId = this.options.emulator.issueTriggerId(userId);
    const responseUrl = this.options.emulator.issueResponseUrl({ channel: channel.id, user: userId, messageTs: click.messageTs });
    const payload = blockActionsPayload(this.app, user, {
      click,
      channel,
      ...(message ? { message } : {}),
      ...(ephemeral ? { ephemeral } : {}),
      responseUrl: responseUrl.url,
      triggerId,
    });
    return { ...(await this.interactive(payload)), triggerId, responseUrlId: responseUrl.id };
  }

  /**
   * The user runs a message shortcut (the ⋯ menu on a message) on a message they can see: a
   * `message_action` payload with the message, a trigger for a form and a response_url.
   */
  async messageShortcut(userId: string, click: { channelId: string; messageTs: string; callbackId: string }): Promise<InteractionResponse> {
    const user = this.requireUser(userId);
    const channel = this.requireVisibleChannel(userId, click.channelId);
    const message = this.ws.history.message(channel.id, click.messageTs);
    if (!message) throw new Error(`${userId} sees no message ${click.messageTs} in ${channel.id}`);
    const triggerId = this.options.emulator.issueTriggerId(userId);
    const responseUrl = this.options.emulator.issueResponseUrl({ channel: channel.id, user: userId });
    const payload = {
      type: 'message_action',
      ...commonFields(this.app, user, triggerId),
      callback_id: click.callbackId,
      action_ts: this.ws.ts.next(),
      channel: { id: channel.id, name: channel.imUser !== undefined ? 'directmessage' : channel.name },
      message_ts: message.ts,
      message: messageJson(this.ws, message),
      response_url: responseUrl.url,
    };
    return { ...(await this.interactive(payload)), triggerId, responseUrlId: responseUrl.id };
  }

  /** The user opens the app's Home tab: `app_home_opened`, carrying the view last published for them. */
  async openHome(userId: string, options: DeliveryOptions = {}): Promise<Delivery> {
    this.requireUser(userId);
    const im = this.ws.directory.openIm(userId, this.ws.botUserId);
    const home = this.ws.interactions.home(userId);
    const event = { type: 'app_home_opened', user: userId, channel: im.id, tab: 'home', event_ts: this.ws.ts.next(), ...(home ? { view: viewJson(this.ws, home) } : {}) };
    return this.deliverEvent(event, options);
  }

  /** The user clicks a button on their Home tab (as published); it must be there. */
  async clickHomeButton(userId: string, click: { actionId: string; value?: string }): Promise<InteractionResponse> {
    const user = this.requireUser(userId);
    const home = this.ws.interactions.home(userId);
    if (!home) throw new Error(`${userId} has no Home tab published to click in`);
    const triggerId = this.options.emulator.issueTriggerId(userId);
    return { ...(await this.interactive(homeBlockActionsPayload(this.app, user, viewJson(this.ws, home), click, triggerId))), triggerId };
  }

  /** Sends exactly this body and these headers, unsigned: for tests of forged or stale requests. */
  rawRequest(body: string, headers: Record<string, string>): Promise<AppResponse> {
    if (!this.options.appUrl) throw new Error('rawRequest posts over HTTP: give the actor an appUrl');
    return postToApp(this.options.appUrl, body, headers);
  }

  private interactive(payload: Record<string, unknown>): Promise<AppResponse> {
    return this.transport({ kind: 'interactive', body: interactiveForm(payload), contentType: 'application/x-www-form-urlencoded' });
  }

  // A failed check below is a mistake in the test or scenario (Slack's UI would not allow the
  // action), so it throws instead of sending the app something Slack never would.

  private requireUser(userId: string): EmulatedUser {
    const user = this.ws.directory.user(userId);
    if (!user) throw new Error(`No user ${userId} in the emulated workspace; add it with emulator.addUser`);
    return user;
  }

  private requireChannel(channelId: string): EmulatedChannel {
    const channel = this.ws.directory.channel(channelId);
    if (!channel) throw new Error(`No channel ${channelId} in the emulated workspace`);
    return channel;
  }

  /** A DM is seen only by its person; a private channel only by its members. */
  private requireVisibleChannel(userId: string, channelId: string): EmulatedChannel {
    const channel = this.requireChannel(channelId);
    if (channel.imUser !== undefined && channel.imUser !== userId) {
      throw new Error(`${userId} cannot see ${channel.id}: it is the bot's DM with ${channel.imUser}`);
    }
    if (channel.imUser === undefined && channel.isPrivate && !channel.members.includes(userId)) {
      throw new Error(`${userId} cannot see private #${channel.name}`);
    }
    return channel;
  }

  private requireWritableChannel(userId: string, channelId: string): EmulatedChannel {
    this.requireUser(userId);
    const channel = this.requireChannel(channelId);
    if (!channel.members.includes(userId)) {
      throw new Error(`${userId} is not in #${channel.name}: invite them, or let them join with emulator.joinChannel`);
    }
    if (channel.archived) throw new Error(`#${channel.name} is archived`);
    return channel;
  }

  private requireMessage(channel: EmulatedChannel, ts: string): EmulatedMessage {
    const message = this.ws.history.message(channel.id, ts);
    if (!message) throw new Error(`No message ${ts} in #${channel.name}`);
    return message;
  }
}
