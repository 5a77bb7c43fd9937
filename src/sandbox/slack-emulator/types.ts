// The emulated workspace's records. They are plain data so tests can assert on them directly;
// the Web API's JSON shapes are built from them in `serialize.ts`.

/** Slack Block Kit JSON, passed through untouched. */
export type Block = Record<string, unknown>;

export interface EmulatorClock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface EmulatedUser {
  id: string;
  name: string;
  realName: string;
  displayName: string;
  deleted: boolean;
  isBot: boolean;
  /** IANA zone, as Slack's `tz`. */
  tz: string;
  botId?: string;
  /** Shown as `profile.email` (Slack needs the users:read.email scope for it). */
  email?: string;
}

export interface NewUser {
  id: string;
  name: string;
  realName?: string;
  displayName?: string;
  deleted?: boolean;
  isBot?: boolean;
  tz?: string;
  email?: string;
}

/** A user group; Slack's API calls them subteams (`S…` ids, mentioned as `<!subteam^S…|@handle>`). */
export interface EmulatedUsergroup {
  id: string;
  /** Without the leading `@`. */
  handle: string;
  name: string;
  /** User ids, in the order given. */
  users: string[];
  /** Disabled groups are found only when the caller asks for them (`include_disabled`). */
  disabled: boolean;
}

export interface NewUsergroup {
  id: string;
  handle: string;
  name?: string;
  users: string[];
  disabled?: boolean;
}

export interface TextSetting {
  value: string;
  creator: string;
  /** Epoch seconds; 0 when never set. */
  lastSet: number;
}

export interface EmulatedChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  archived: boolean;
  /** Epoch seconds. */
  created: number;
  creator: string;
  topic: TextSetting;
  purpose: TextSetting;
  /** User ids, in joining order. */
  members: string[];
  /** Set on the bot's direct-message conversation (`D…`) with this user. */
  imUser?: string;
}

export interface NewChannel {
  name: string;
  isPrivate?: boolean;
  members?: string[];
  topic?: string;
  purpose?: string;
  archived?: boolean;
  creator?: string;
}

export interface Reaction {
  name: string;
  users: string[];
}

/** Message metadata an app attached when posting (chat.postMessage `metadata`). */
export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

/** Another app or an incoming webhook (a monitoring tool) that posts into channels. */
export interface Integration {
  botId: string;
  appId: string;
  /** Shown as the author: the app's name, or the `username` a webhook sets. */
  name: string;
  /** Incoming webhooks post `bot_message`s with no user; apps post as their bot user. */
  webhook: boolean;
  /** An app's bot user (`U…`); not used for webhooks. */
  botUserId?: string;
}

export interface EmulatedMessage {
  channel: string;
  ts: string;
  /** Author; for messages posted with the bot token, the bot's user id; for a webhook, its bot id. */
  user: string;
  /** `file_share` (a person shared files), `tombstone` (a deleted thread parent, Slackbot's). */
  subtype?: 'file_share' | 'tombstone';
  /** Set when another app or a webhook posted it. */
  integration?: Integration;
  /** Set when the app posted the message (as real Slack does for bot-token posts). */
  botId?: string;
  text: string;
  blocks?: Block[];
  /** Legacy secondary attachments, kept so messages that carry only them are not lost. */
  attachments?: Block[];
  threadTs?: string;
  /** Ids of files shared with the message. */
  files?: string[];
  edited?: { user: string; ts: string };
  reactions: Reaction[];
  metadata?: MessageMetadata;
}

export interface Pin {
  ts: string;
  pinnedBy: string;
  /** Epoch seconds. */
  created: number;
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  text: string;
  blocks?: Block[];
  threadTs?: string;
  /** The `message_ts` Slack hands back; ephemeral messages are not in the channel's history. */
  ts: string;
  /** `ack`: a slash command's ephemeral acknowledgement, which Slack shows like one. */
  via: 'chat.postEphemeral' | 'response_url' | 'ack';
}

/** One POST to a `response_url`, exactly as the app sent it. */
export interface ResponseUrlPost {
  responseUrlId: string;
  channel: string;
  user: string;
  body: Record<string, unknown>;
}

export interface EmulatedFile {
  id: string;
  name: string;
  title: string;
  /** Declared by files.getUploadURLExternal. */
  length: number;
  /** The uploaded bytes as UTF-8 text; undefined until the upload URL receives them. */
  content?: string;
  /** Epoch seconds. */
  created: number;
  user: string;
  completed: boolean;
  channels: string[];
}

/** A user's Home tab as the app last published it (views.publish). */
export interface PublishedHome {
  id: string;
  user: string;
  view: Record<string, unknown>;
  hash: string;
}

export interface OpenedView {
  id: string;
  triggerId: string;
  user: string;
  /** The view JSON the app sent. */
  view: Record<string, unknown>;
}

/** One Web API request, as recorded for assertions (the token is never recorded). */
export interface ApiCall {
  method: string;
  /** Arguments as sent; JSON-encoded arguments (blocks, view, files…) are decoded. */
  args: Record<string, unknown>;
  ok: boolean;
  error?: string;
  /** HTTP status of the reply: 200 for every API error, 429/500 for injected HTTP failures. */
  status: number;
}

export type InjectedFailure = { error: string } | { status: 429; retryAfterSeconds: number } | { status: 500 };
