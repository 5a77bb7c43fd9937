import { dispatchApiCall, jsonReply, type HttpReply } from './dispatch';
import { FailureQueue } from './failures';
import { ChannelRateLimiter, type ChannelRateOptions } from './rate-limits';
import { apiRequestFrom, type IncomingRequest } from './http/body';
import { receiveResponse } from './http/response-url';
import { startServer, type RunningServer } from './http/server';
import { receiveUpload } from './http/upload';
import { TRIGGER_TTL_MS, type ResponseTarget } from './interactions';
import { CONNECTIONS_OPEN, connectionsOpen, SocketModeServer, type SocketModeOptions } from './socket-mode/index';
import type {
  ApiCall,
  EmulatedChannel,
  EmulatedFile,
  EmulatedMessage,
  EmulatedUser,
  EmulatedUsergroup,
  EmulatorClock,
  EphemeralMessage,
  InjectedFailure,
  NewChannel,
  NewUser,
  NewUsergroup,
  OpenedView,
  ResponseUrlPost,
} from './types';
import { UPLOAD_PATH_PREFIX } from './web-api/files';
import { Workspace, type WorkspaceIdentity } from './workspace';

export interface SlackEmulatorOptions {
  botToken: string;
  teamId?: string;
  teamName?: string;
  teamDomain?: string;
  botUserId?: string;
  botId?: string;
  botName?: string;
  appId?: string;
  /** Drives message timestamps and `created` fields; defaults to the system clock. */
  clock?: EmulatorClock;
  /** How long a trigger id stays valid (real time); Slack's is 3 s. Tests of expiry may shorten it. */
  triggerTtlMs?: number;
  /** The app-level token (`xapp-…`) apps.connections.open accepts; without it Socket Mode cannot connect. */
  appToken?: string;
  socketMode?: SocketModeOptions;
}

const RESPONSE_PATH_PREFIX = '/response/';

function identityFrom(options: SlackEmulatorOptions): WorkspaceIdentity {
  return {
    botToken: options.botToken,
    teamId: options.teamId ?? 'T0EMULATED',
    teamName: options.teamName ?? 'Emulated Workspace',
    teamDomain: options.teamDomain ?? 'emulated',
    botUserId: options.botUserId ?? 'U0EMULBOT',
    botId: options.botId ?? 'B0EMULBOT',
    botName: options.botName ?? 'incident-bot',
    appId: options.appId ?? 'A0EMULATED',
  };
}

/**
 * A Slack workspace in memory behind a real HTTP server on 127.0.0.1: the Web API under `/api/`,
 * upload URLs and response URLs. Point the app's WebClient at `apiUrl`; drive user actions with
 * `SlackActor`; assert on the records below.
 */
export class SlackEmulator {
  private ws: Workspace;
  private readonly failures = new FailureQueue();
  private rateLimits?: ChannelRateLimiter;
  private chaos?: { share: number; random: () => number };
  private server?: RunningServer;
  private readonly callListeners = new Set<(call: ApiCall) => void>();
  /** Per method, what the answers of its next calls wait for, in order. */
  private readonly slowAnswers = new Map<string, (() => Promise<void>)[]>();
  /** Picks calls whose answer is lost after they were carried out; each picks one call. */
  private readonly lostAnswers: ((call: ApiCall) => boolean)[] = [];
  /** Slack's Socket Mode end: deliver envelopes to the app's WebSocket, refresh or cut the connection. */
  readonly socketMode: SocketModeServer;

  private constructor(private readonly options: SlackEmulatorOptions) {
    this.ws = this.freshWorkspace();
    this.socketMode = new SocketModeServer({
      appId: () => this.ws.identity.appId,
      baseUrl: () => this.baseUrl,
      ackTimeoutMs: options.socketMode?.ackTimeoutMs,
    });
  }

  static async start(options: SlackEmulatorOptions): Promise<SlackEmulator> {
    const emulator = new SlackEmulator(options);
    emulator.server = await startServer(
      (request) => emulator.route(request),
      (req, socket, head) => emulator.socketMode.handleUpgrade(req, socket, head),
    );
    return emulator;
  }

  get baseUrl(): string {
    if (!this.server) throw new Error('Slack emulator is not running');
    return this.server.baseUrl;
  }

  /** The WebClient's `slackApiUrl`. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /** The live state, for the actor and for assertions the helpers below do not cover. */
  get workspace(): Workspace {
    return this.ws;
  }

  get identity(): Readonly<WorkspaceIdentity> {
    return this.ws.identity;
  }

  get calls(): ApiCall[] {
    return this.ws.calls;
  }

  async stop(): Promise<void> {
    // Upgraded sockets hold the HTTP server open, so they go first.
    await this.socketMode.close();
    await this.server?.close();
    this.server = undefined;
  }

  /** Forgets everything (users, channels, messages, calls, pending failures, Socket Mode envelopes); keeps the server, the bot and live connections. */
  reset(): void {
    this.ws = this.freshWorkspace();
    this.failures.clear();
    this.slowAnswers.clear();
    this.lostAnswers.length = 0;
    this.socketMode.reset();
  }

  addUser(user: NewUser): EmulatedUser {
    return this.ws.directory.addUser(user);
  }

  user(id: string): EmulatedUser | undefined {
    return this.ws.directory.user(id);
  }

  /** Seeds a user group (members must be users already), as if an admin had created it in Slack. */
  addUsergroup(group: NewUsergroup): EmulatedUsergroup {
    return this.ws.directory.addUsergroup(group);
  }

  usergroup(id: string): EmulatedUsergroup | undefined {
    return this.ws.directory.usergroup(id);
  }

  /** The group as a mention arrives in escaped slash-command text: `<!subteam^S…|@handle>`. */
  usergroupMention(id: string): string {
    const group = this.ws.directory.usergroup(id);
    if (!group) throw new Error(`No user group ${id} in the emulated workspace; add it with addUsergroup`);
    return `<!subteam^${group.id}|@${group.handle}>`;
  }

  /** Seeds a channel, as if someone had created it in Slack; include the bot in `members` to make it a member. */
  createChannel(channel: NewChannel): EmulatedChannel {
    return this.ws.directory.addChannel(channel);
  }

  channel(id: string): EmulatedChannel | undefined {
    return this.ws.directory.channel(id);
  }

  channelByName(name: string): EmulatedChannel | undefined {
    return this.ws.directory.channelByName(name);
  }

  /** The channel's history, oldest first (threads included). */
  messages(channelId: string): EmulatedMessage[] {
    return this.ws.history.messages(channelId);
  }

  /**
   * What the bot sent a person in their DM, oldest first, whether it posted to the D… id from
   * conversations.open or to the user id (both land in the same conversation).
   */
  directMessages(userId: string): EmulatedMessage[] {
    const im = this.ws.directory.im(userId);
    return im ? this.ws.history.messages(im.id) : [];
  }

  /** A person joins a public channel on their own (private channels are joined by invitation). */
  joinChannel(channelId: string, userId: string): void {
    const channel = this.ws.directory.channel(channelId);
    if (!channel || channel.isPrivate) throw new Error(`${channelId} is not a public channel one can join`);
    if (!this.ws.directory.user(userId)) throw new Error(`No user ${userId} in the emulated workspace`);
    this.ws.directory.join(channelId, userId);
  }

  /** Timestamps of pinned messages, in pinning order. */
  pinnedTs(channelId: string): string[] {
    return this.ws.history.pins(channelId).map((p) => p.ts);
  }

  ephemerals(userId?: string): EphemeralMessage[] {
    return this.ws.interactions.ephemerals.filter((e) => userId === undefined || e.user === userId);
  }

  responses(responseUrlId?: string): ResponseUrlPost[] {
    return this.ws.interactions.responses.filter((r) => responseUrlId === undefined || r.responseUrlId === responseUrlId);
  }

  files(): EmulatedFile[] {
    return this.ws.files.all();
  }

  views(): OpenedView[] {
    return this.ws.interactions.allViews();
  }

  /** The Home tab the app last published for this user (the view JSON it sent), if any. */
  homeView(userId: string): Record<string, unknown> | undefined {
    return this.ws.interactions.home(userId)?.view;
  }

  callsTo(method: string): ApiCall[] {
    return this.ws.calls.filter((c) => c.method === method);
  }

  /** Paces each channel like Slack (e.g. chat.postMessage/chat.update at about 1/s with short bursts); 429 beyond. */
  limitChannelRate(options: ChannelRateOptions): ChannelRateLimiter {
    const clock = this.clock;
    this.rateLimits = new ChannelRateLimiter(options, () => clock.now());
    return this.rateLimits;
  }

  /**
   * A degraded Slack: from now on `share` of all Web API calls fail, half with a 500 and half with a
   * 429 (Retry-After: 1). Seeded, so a failing run can be replayed. `share` 0 turns it off.
   */
  failRandomly(share: number, seed = 1): void {
    let state = seed >>> 0 || 1;
    const random = () => {
      // xorshift32: small and deterministic.
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 2 ** 32;
    };
    this.chaos = share > 0 ? { share, random } : undefined;
  }

  /**
   * Runs `listener` after each Web API call was carried out and before its answer is sent: a test
   * can stop the app at the moment Slack did something the app never hears about. Returns an unsubscribe.
   */
  onCall(listener: (call: ApiCall) => void): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  /** Makes the next `times` calls of `method` fail this way (429s carry `Retry-After`, like Slack's). */
  failNext(method: string, failure: InjectedFailure, times = 1): void {
    this.failures.add(method, failure, times);
  }

  /**
   * The next call of `method` is carried out at once but answered only when the returned function
   * is called: a Slack call that takes as long as a test needs, on no clock.
   */
  holdAnswer(method: string): () => void {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.slowAnswers.set(method, [...(this.slowAnswers.get(method) ?? []), () => released]);
    return release;
  }

  /**
   * The first later call that `select` picks and that succeeds is carried out, but the app gets a
   * 500 instead of the answer, as when it is lost on the way (a proxy error, a dropped connection):
   * the app cannot tell whether Slack did it. The call log keeps the call as carried out.
   */
  loseAnswer(select: (call: ApiCall) => boolean): void {
    this.lostAnswers.push(select);
  }

  /** A trigger id for a user action, exchangeable once by views.open within the trigger TTL. */
  issueTriggerId(userId: string): string {
    return this.ws.interactions.issueTrigger(userId);
  }

  issueResponseUrl(target: ResponseTarget): { id: string; url: string } {
    const id = this.ws.interactions.issueResponseUrl(target);
    return { id, url: `${this.baseUrl}${RESPONSE_PATH_PREFIX}${id}` };
  }

  /** The answer as the app receives it: lost or held back when a test asked for it. */
  private deliver(method: string, call: ApiCall | undefined, reply: HttpReply): HttpReply | Promise<HttpReply> {
    const lost = call?.ok ? this.lostAnswers.findIndex((select) => select(call)) : -1;
    if (lost >= 0) {
      this.lostAnswers.splice(lost, 1);
      reply = { status: 500, headers: { 'content-type': 'text/plain' }, body: 'Internal Server Error' };
    }
    const wait = this.slowAnswers.get(method)?.shift();
    if (!wait) return reply;
    return wait().then(() => reply);
  }

  private freshWorkspace(): Workspace {
    return new Workspace(identityFrom(this.options), this.clock, this.options.triggerTtlMs ?? TRIGGER_TTL_MS);
  }

  /** Drives timestamps and the channel rate limits. */
  private get clock(): EmulatorClock {
    return this.options.clock ?? { now: () => Date.now() };
  }

  private route(request: IncomingRequest): HttpReply | Promise<HttpReply> {
    const { path } = request;
    if (path === `/api/${CONNECTIONS_OPEN}`) {
      const env = { ws: this.ws, failures: this.failures, appToken: this.options.appToken, issueUrl: () => this.socketMode.issueUrl() };
      return connectionsOpen(env, request);
    }
    if (path.startsWith('/api/')) {
      const env = {
        ws: this.ws,
        failures: this.failures,
        baseUrl: this.baseUrl,
        ...(this.rateLimits ? { rateLimits: this.rateLimits } : {}),
        ...(this.chaos ? { chaos: this.chaos } : {}),
      };
      const method = decodeURIComponent(path.slice('/api/'.length));
      const reply = dispatchApiCall(env, method, apiRequestFrom(request));
      const call = this.ws.calls.at(-1);
      if (call) this.callListeners.forEach((listener) => listener(call));
      return this.deliver(method, call, reply);
    }
    if (request.method !== 'POST') return jsonReply(405, { ok: false, error: 'method_not_allowed' });
    if (path.startsWith(UPLOAD_PATH_PREFIX)) return receiveUpload(this.ws, path.slice(UPLOAD_PATH_PREFIX.length), request);
    if (path.startsWith(RESPONSE_PATH_PREFIX)) return receiveResponse(this.ws, path.slice(RESPONSE_PATH_PREFIX.length), request);
    return jsonReply(404, { ok: false, error: 'not_found' });
  }
}
