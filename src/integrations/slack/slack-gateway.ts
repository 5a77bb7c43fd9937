// The ChatGateway port on Slack's Web API.

import type { types as slackTypes } from '@slack/bolt';
import type { ConversationsHistoryResponse, WebClient } from '@slack/web-api';

import { ChatError, type ChatGateway, type ChatMessage, type ChatMetadata, type CreatedChannel, type ExistingChannel } from '../../ports/chat-gateway';
import { inertPayload, inertText } from '../../blocks/text';
import { onceUntilFailure } from '../../shared/once-until-failure';
import { toChatError } from './slack-errors';

// Block Kit arrays are checked by Slack; the port keeps them as plain JSON records.
type Blocks = slackTypes.AnyBlock[] | undefined;
type HistoryMessage = NonNullable<ConversationsHistoryResponse['messages']>[number];

/** conversations.history pages looked through for one of our messages; a crash is recovered within seconds, so it is near the top. */
const HISTORY_PAGE_SIZE = 50;
const HISTORY_PAGES = 4;
/** conversations.list page size Slack recommends. */
const LIST_PAGE_SIZE = 200;

function metadataArg(metadata: ChatMetadata | undefined): { metadata?: slackTypes.MessageMetadata } {
  return metadata ? { metadata: { event_type: metadata.type, event_payload: metadata.payload } } : {};
}

function payloadMatches(found: unknown, wanted: Record<string, string>): boolean {
  if (typeof found !== 'object' || found === null) return false;
  const payload = found as Record<string, unknown>;
  return Object.entries(wanted).every(([key, value]) => payload[key] === value);
}

export class SlackGateway implements ChatGateway {
  private readonly names = new Map<string, string>();
  /** auth.test's user id; a failed look-up is not kept, the next call asks Slack again. */
  readonly botUserId = onceUntilFailure(async () => {
    const result = await this.call('auth.test', () => this.client.auth.test());
    if (!result.user_id) throw new ChatError('invalid_response', 'auth.test', true);
    return result.user_id;
  });

  constructor(
    private readonly client: WebClient,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  private async call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toChatError(error, method);
    }
  }

  async createChannel(name: string, options: { isPrivate: boolean }): Promise<CreatedChannel> {
    const result = await this.call('conversations.create', () => this.client.conversations.create({ name, is_private: options.isPrivate }));
    const channel = result.channel;
    if (!channel?.id || !channel.name) throw new ChatError('invalid_response', 'conversations.create', true);
    return { id: channel.id, name: channel.name };
  }

  async inviteUsers(channelId: string, userIds: string[]): Promise<{ userId: string; error: string }[]> {
    const failures: { userId: string; error: string }[] = [];
    // One by one: a single bad user must not keep the others out.
    for (const userId of userIds) {
      try {
        await this.call('conversations.invite', () => this.client.conversations.invite({ channel: channelId, users: userId }));
      } catch (error) {
        if (error instanceof ChatError && error.code === 'already_in_channel') continue;
        if (error instanceof ChatError && !error.transient) failures.push({ userId, error: error.code });
        else throw error;
      }
    }
    return failures;
  }

  async setTopic(channelId: string, topic: string): Promise<void> {
    await this.call('conversations.setTopic', () => this.client.conversations.setTopic({ channel: channelId, topic: inertText(topic) }));
  }

  async setPurpose(channelId: string, purpose: string): Promise<void> {
    await this.call('conversations.setPurpose', () => this.client.conversations.setPurpose({ channel: channelId, purpose: inertText(purpose) }));
  }

  async archiveChannel(channelId: string): Promise<void> {
    try {
      await this.call('conversations.archive', () => this.client.conversations.archive({ channel: channelId }));
    } catch (error) {
      if (error instanceof ChatError && error.code === 'already_archived') return;
      throw error;
    }
  }

  // Every text the bot sends passes inertPayload/inertText on its way out, here: whatever a use
  // case put into it, nothing a user typed can broadcast or flip the bot's words (blocks/text.ts).

  async postMessage(channelId: string, sent: ChatMessage): Promise<{ ts: string }> {
    const message = inertPayload(sent);
    const result = await this.call('chat.postMessage', () =>
      this.client.chat.postMessage({
        channel: channelId,
        text: message.text,
        blocks: message.blocks as Blocks,
        unfurl_links: false,
        ...metadataArg(message.metadata),
      }),
    );
    if (!result.ts) throw new ChatError('invalid_response', 'chat.postMessage', true);
    return { ts: result.ts };
  }

  async updateMessage(channelId: string, ts: string, sent: ChatMessage): Promise<void> {
    const message = inertPayload(sent);
    await this.call('chat.update', () => this.client.chat.update({ channel: channelId, ts, text: message.text, blocks: message.blocks as Blocks }));
  }

  async pinMessage(channelId: string, ts: string): Promise<void> {
    try {
      await this.call('pins.add', () => this.client.pins.add({ channel: channelId, timestamp: ts }));
    } catch (error) {
      if (error instanceof ChatError && error.code === 'already_pinned') return;
      throw error;
    }
  }

  async postEphemeral(channelId: string, userId: string, sent: ChatMessage): Promise<void> {
    const message = inertPayload(sent);
    await this.call('chat.postEphemeral', () => this.client.chat.postEphemeral({ channel: channelId, user: userId, text: message.text, blocks: message.blocks as Blocks }));
  }

  async respond(responseUrl: string, sent: ChatMessage & { inChannel?: boolean; replaceOriginal?: boolean }): Promise<void> {
    const message = inertPayload(sent);
    let response: Response;
    try {
      response = await this.fetchFn(responseUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          text: message.text,
          ...(message.blocks ? { blocks: message.blocks } : {}),
          ...(message.replaceOriginal ? { replace_original: true } : { response_type: message.inChannel ? 'in_channel' : 'ephemeral' }),
        }),
      });
    } catch {
      throw new ChatError('network_error', 'response_url', true);
    }
    if (!response.ok) {
      // 404 means the URL expired (30 minutes) or was used up: not worth retrying.
      throw new ChatError(`http_${response.status}`, 'response_url', response.status >= 500 || response.status === 429);
    }
  }

  async uploadTextFile(channelId: string, file: { filename: string; title: string; content: string; initialComment: string }): Promise<void> {
    await this.call('files.uploadV2', () =>
      this.client.filesUploadV2({
        channel_id: channelId,
        filename: file.filename,
        title: inertText(file.title),
        content: file.content,
        initial_comment: inertText(file.initialComment),
      }),
    );
  }

  async displayName(userId: string): Promise<string> {
    const cached = this.names.get(userId);
    if (cached) return cached;
    try {
      const result = await this.call('users.info', () => this.client.users.info({ user: userId }));
      const user = result.user;
      // A postmortem is read by people outside the incident: full names before handles.
      const name = user?.profile?.real_name || user?.real_name || user?.profile?.display_name || user?.name || userId;
      this.names.set(userId, name);
      return name;
    } catch (error) {
      if (error instanceof ChatError && !error.transient) return userId;
      throw error;
    }
  }

  async userEmail(userId: string): Promise<string | undefined> {
    try {
      const result = await this.call('users.info', () => this.client.users.info({ user: userId }));
      return result.user?.profile?.email || undefined;
    } catch (error) {
      if (error instanceof ChatError && !error.transient) return undefined;
      throw error;
    }
  }

  async usergroupMembers(usergroupId: string): Promise<string[]> {
    const result = await this.call('usergroups.users.list', () => this.client.usergroups.users.list({ usergroup: usergroupId }));
    return result.users ?? [];
  }

  async openDirectMessage(userId: string): Promise<string> {
    const result = await this.call('conversations.open', () => this.client.conversations.open({ users: userId }));
    const id = result.channel?.id;
    if (!id) throw new ChatError('invalid_response', 'conversations.open', true);
    return id;
  }

  async findChannelByName(name: string, options: { isPrivate: boolean }): Promise<ExistingChannel | undefined> {
    const types = options.isPrivate ? 'private_channel' : 'public_channel';
    let cursor: string | undefined;
    do {
      const page = await this.call('conversations.list', () =>
        this.client.conversations.list({ types, exclude_archived: true, limit: LIST_PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
      );
      const found = page.channels?.find((c) => c.name === name);
      if (found?.id && found.name) {
        return { id: found.id, name: found.name, creatorId: found.creator ?? '', createdAt: (found.created ?? 0) * 1000 };
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return undefined;
  }

  findOwnMessage(channelId: string, metadata: ChatMetadata, since: number): Promise<{ ts: string } | undefined> {
    return this.findOwn(channelId, since, (m) => m.metadata?.event_type === metadata.type && payloadMatches(m.metadata.event_payload, metadata.payload));
  }

  /** A file share message lists its files; the metadata files.uploadV2 cannot set is replaced by the name. */
  findOwnFileShare(channelId: string, filename: string, since: number): Promise<{ ts: string } | undefined> {
    return this.findOwn(channelId, since, (m) => m.files?.some((file) => file.name === filename) ?? false);
  }

  private async findOwn(channelId: string, since: number, matches: (message: HistoryMessage) => boolean): Promise<{ ts: string } | undefined> {
    const self = await this.botUserId();
    const oldest = String(Math.floor(since / 1000));
    let cursor: string | undefined;
    for (let page = 0; page < HISTORY_PAGES; page++) {
      const result = await this.call('conversations.history', () =>
        this.client.conversations.history({ channel: channelId, oldest, include_all_metadata: true, limit: HISTORY_PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
      );
      // Newest first, so the first match is the newest.
      const found = result.messages?.find((m) => m.user === self && matches(m));
      if (found?.ts) return { ts: found.ts };
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!result.has_more || !cursor) return undefined;
    }
    return undefined;
  }

  async openModal(triggerId: string, view: Record<string, unknown>): Promise<void> {
    // The view is built by blocks/ and validated by Slack; the client's View type is too narrow to construct generically.
    await this.call('views.open', () =>
      this.client.views.open({ trigger_id: triggerId, view: inertPayload(view) as unknown as Parameters<WebClient['views']['open']>[0]['view'] }),
    );
  }

  async publishHome(userId: string, view: Record<string, unknown>): Promise<void> {
    // As for openModal: blocks/ builds the view, Slack validates it; the client's View type is too narrow.
    await this.call('views.publish', () =>
      this.client.views.publish({ user_id: userId, view: inertPayload(view) as unknown as Parameters<WebClient['views']['publish']>[0]['view'] }),
    );
  }

  async channelMembers(channelId: string): Promise<string[]> {
    const members: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.call('conversations.members', () => this.client.conversations.members({ channel: channelId, limit: LIST_PAGE_SIZE, ...(cursor ? { cursor } : {}) }));
      members.push(...(page.members ?? []));
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return members;
  }

  async permalink(channelId: string, ts: string): Promise<string | undefined> {
    try {
      const result = await this.call('chat.getPermalink', () => this.client.chat.getPermalink({ channel: channelId, message_ts: ts }));
      return result.permalink;
    } catch (error) {
      // A channel the bot cannot see has no link to give; the entry is kept without one.
      if (error instanceof ChatError && !error.transient) return undefined;
      throw error;
    }
  }
}
