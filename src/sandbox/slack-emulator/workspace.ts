import { Directory } from './directory';
import { FileStore } from './file-store';
import { History } from './history';
import { IdFactory, TsClock } from './ids';
import { Interactions } from './interactions';
import type { ApiCall, EmulatedChannel, EmulatorClock } from './types';

/** Who the app is in the emulated workspace; auth.test reports it. */
export interface WorkspaceIdentity {
  teamId: string;
  teamName: string;
  /** Subdomain, as in `https://<domain>.slack.com/`. */
  teamDomain: string;
  botToken: string;
  botUserId: string;
  botName: string;
  botId: string;
  appId: string;
}

/** The whole in-memory workspace: one instance per emulator run (reset replaces it). */
export class Workspace {
  readonly ids = new IdFactory();
  readonly ts: TsClock;
  readonly directory: Directory;
  readonly history: History;
  readonly interactions: Interactions;
  readonly files: FileStore;
  readonly calls: ApiCall[] = [];

  constructor(
    readonly identity: WorkspaceIdentity,
    clock: EmulatorClock,
    triggerTtlMs: number,
  ) {
    this.ts = new TsClock(clock);
    this.directory = new Directory(this.ids, this.ts);
    this.history = new History(this.ts);
    this.interactions = new Interactions(this.ids, this.ts, triggerTtlMs);
    this.files = new FileStore(this.ids, this.ts);
    this.directory.addUser({
      id: identity.botUserId,
      name: identity.botName,
      isBot: true,
      botId: identity.botId,
    });
  }

  get botUserId(): string {
    return this.identity.botUserId;
  }

  isMember(channel: EmulatedChannel, userId: string): boolean {
    return channel.members.includes(userId);
  }

  /** Private channels are invisible to non-members: Slack answers `channel_not_found` for them. */
  visibleToBot(channel: EmulatedChannel): boolean {
    return !channel.isPrivate || this.isMember(channel, this.botUserId);
  }

  permalink(channel: string, ts: string, threadTs?: string): string {
    const base = `https://${this.identity.teamDomain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
    return threadTs && threadTs !== ts ? `${base}?thread_ts=${threadTs}&cid=${channel}` : base;
  }
}
