// What the incident flows need from the chat platform. The Slack adapter implements it; use cases
// and the effect runner never import `@slack/*`.

/** A message: plain text (also the notification fallback) plus optional Block Kit blocks. */
export interface ChatMessage {
  text: string;
  // Block Kit is JSON the adapter passes through unchanged; its full typing lives in @slack/types.
  blocks?: Record<string, unknown>[];
  /** Machine-readable tag stored with the message (Slack message metadata), to find it again. */
  metadata?: ChatMetadata;
}

/** `type` names what the message is; `payload` identifies it (e.g. the incident id). */
export interface ChatMetadata {
  type: string;
  payload: Record<string, string>;
}

export interface CreatedChannel {
  id: string;
  name: string;
}

/** A channel that already exists, with who created it and when (epoch ms). */
export interface ExistingChannel extends CreatedChannel {
  creatorId: string;
  createdAt: number;
}

export interface ChatGateway {
  /** Throws `ChatError` with code `name_taken` when the name exists. */
  createChannel(name: string, options: { isPrivate: boolean }): Promise<CreatedChannel>;
  /** Invites the users not yet in the channel; returns those who could not be invited, with why. */
  inviteUsers(channelId: string, userIds: string[]): Promise<{ userId: string; error: string }[]>;
  setTopic(channelId: string, topic: string): Promise<void>;
  setPurpose(channelId: string, purpose: string): Promise<void>;
  /** Archives the channel; one archived already counts as done. */
  archiveChannel(channelId: string): Promise<void>;
  postMessage(channelId: string, message: ChatMessage): Promise<{ ts: string }>;
  updateMessage(channelId: string, ts: string, message: ChatMessage): Promise<void>;
  /** Succeeds when already pinned. */
  pinMessage(channelId: string, ts: string): Promise<void>;
  postEphemeral(channelId: string, userId: string, message: ChatMessage): Promise<void>;
  /** Answer through a response URL (ephemeral unless `inChannel`; `replaceOriginal` rewrites the clicked message). */
  respond(responseUrl: string, message: ChatMessage & { inChannel?: boolean; replaceOriginal?: boolean }): Promise<void>;
  uploadTextFile(channelId: string, file: { filename: string; title: string; content: string; initialComment: string }): Promise<void>;
  /** Display name for people in documents; falls back to the id when unknown. */
  displayName(userId: string): Promise<string>;
  /** The person's email address (Slack's users:read.email scope), when Slack gives it. */
  userEmail(userId: string): Promise<string | undefined>;
  openModal(triggerId: string, view: Record<string, unknown>): Promise<void>;
  /** Replaces the user's App Home tab with this view. */
  publishHome(userId: string, view: Record<string, unknown>): Promise<void>;
  /** A link to the message, or undefined when Slack will not give one (a channel the bot cannot see). */
  permalink(channelId: string, ts: string): Promise<string | undefined>;
  /** Everyone in the channel (the bot must be in it, or it must be public). */
  channelMembers(channelId: string): Promise<string[]>;
  /** Members of a user group (Slack usergroups.users.list). */
  usergroupMembers(usergroupId: string): Promise<string[]>;
  /** Opens (or finds) the bot's direct-message channel with a person; returns its id. */
  openDirectMessage(userId: string): Promise<string>;
  /** The bot's own user id (cached after the first call). */
  botUserId(): Promise<string>;
  /** The unarchived channel of this name and kind the bot can see, if any. */
  findChannelByName(name: string, options: { isPrivate: boolean }): Promise<ExistingChannel | undefined>;
  /**
   * The newest message this bot posted in the channel at or after `since` (epoch ms) whose metadata
   * has this type and payload; only the channel's recent history is searched.
   */
  findOwnMessage(channelId: string, metadata: ChatMetadata, since: number): Promise<{ ts: string } | undefined>;
  /**
   * The newest message this bot posted in the channel at or after `since` (epoch ms) that shares a
   * file of this name (as `uploadTextFile` posts one); only the channel's recent history is searched.
   */
  findOwnFileShare(channelId: string, filename: string, since: number): Promise<{ ts: string } | undefined>;
}

/** An error from the chat platform, carrying its code (e.g. Slack's `name_taken`). */
export class ChatError extends Error {
  constructor(
    readonly code: string,
    readonly method: string,
    /** True when retrying later may succeed (rate limits, 5xx, network). */
    readonly transient: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(`${method} failed: ${code}`);
    this.name = 'ChatError';
  }
}
