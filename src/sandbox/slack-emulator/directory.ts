import type { IdFactory, TsClock } from './ids';
import type { EmulatedChannel, EmulatedUser, EmulatedUsergroup, NewChannel, NewUser, NewUsergroup, TextSetting } from './types';

/** The workspace's people, their user groups, and the channels. */
export class Directory {
  private readonly users = new Map<string, EmulatedUser>();
  private readonly channels = new Map<string, EmulatedChannel>();
  private readonly usergroups = new Map<string, EmulatedUsergroup>();

  constructor(
    private readonly ids: IdFactory,
    private readonly ts: TsClock,
  ) {}

  addUser(user: NewUser & { botId?: string }): EmulatedUser {
    if (this.users.has(user.id)) throw new Error(`Emulator already has user ${user.id}`);
    const added: EmulatedUser = {
      id: user.id,
      name: user.name,
      realName: user.realName ?? user.name,
      displayName: user.displayName ?? user.name,
      deleted: user.deleted ?? false,
      isBot: user.isBot ?? false,
      tz: user.tz ?? 'UTC',
      botId: user.botId,
      ...(user.email ? { email: user.email } : {}),
    };
    this.users.set(added.id, added);
    return added;
  }

  user(id: string): EmulatedUser | undefined {
    return this.users.get(id);
  }

  allUsers(): EmulatedUser[] {
    return [...this.users.values()];
  }

  /** Members must already be users here: a typo in a test's seed data fails at once, not as an empty page. */
  addUsergroup(group: NewUsergroup): EmulatedUsergroup {
    if (!/^S[A-Z0-9]+$/.test(group.id)) throw new Error(`User group ids look like Slack's (S…); got ${group.id}`);
    if (this.usergroups.has(group.id)) throw new Error(`Emulator already has user group ${group.id}`);
    const handle = group.handle.replace(/^@/, '');
    if ([...this.usergroups.values()].some((g) => g.handle === handle)) throw new Error(`Emulator already has user group @${handle}`);
    const unknown = group.users.filter((id) => !this.users.has(id));
    if (unknown.length > 0) throw new Error(`User group @${handle} lists users the emulator does not have: ${unknown.join(', ')}`);
    const added: EmulatedUsergroup = {
      id: group.id,
      handle,
      name: group.name ?? handle,
      users: [...new Set(group.users)],
      disabled: group.disabled ?? false,
    };
    this.usergroups.set(added.id, added);
    return added;
  }

  usergroup(id: string): EmulatedUsergroup | undefined {
    return this.usergroups.get(id);
  }

  addChannel(channel: NewChannel): EmulatedChannel {
    if (this.channelByName(channel.name)) throw new Error(`Emulator already has #${channel.name}`);
    const creator = channel.creator ?? channel.members?.[0] ?? '';
    const added: EmulatedChannel = {
      id: this.ids.next('C'),
      name: channel.name,
      isPrivate: channel.isPrivate ?? false,
      archived: channel.archived ?? false,
      created: this.ts.seconds(),
      creator,
      topic: this.textSetting(channel.topic, creator),
      purpose: this.textSetting(channel.purpose, creator),
      members: [...new Set(channel.members ?? [])],
    };
    this.channels.set(added.id, added);
    return added;
  }

  channel(id: string): EmulatedChannel | undefined {
    return this.channels.get(id);
  }

  channelByName(name: string): EmulatedChannel | undefined {
    const bare = name.replace(/^#/, '');
    return [...this.channels.values()].find((c) => !c.imUser && c.name === bare);
  }

  /** The bot's direct-message conversation with a user, if it has been opened. */
  im(userId: string): EmulatedChannel | undefined {
    return [...this.channels.values()].find((c) => c.imUser === userId);
  }

  /** The bot's direct-message conversation with a user, opened on first use as Slack does. */
  openIm(userId: string, botUserId: string): EmulatedChannel {
    const existing = this.im(userId);
    if (existing) return existing;
    const im: EmulatedChannel = {
      id: this.ids.next('D'),
      name: '',
      isPrivate: true,
      archived: false,
      created: this.ts.seconds(),
      creator: botUserId,
      topic: this.textSetting(undefined, ''),
      purpose: this.textSetting(undefined, ''),
      members: [botUserId, userId],
      imUser: userId,
    };
    this.channels.set(im.id, im);
    return im;
  }

  allChannels(): EmulatedChannel[] {
    return [...this.channels.values()];
  }

  join(channelId: string, userId: string): void {
    const channel = this.requireChannel(channelId);
    if (!channel.members.includes(userId)) channel.members.push(userId);
  }

  archive(channelId: string): void {
    this.requireChannel(channelId).archived = true;
  }

  leave(channelId: string, userId: string): void {
    const channel = this.requireChannel(channelId);
    channel.members = channel.members.filter((m) => m !== userId);
  }

  setText(channelId: string, field: 'topic' | 'purpose', value: string, by: string): void {
    this.requireChannel(channelId)[field] = { value, creator: by, lastSet: this.ts.seconds() };
  }

  private requireChannel(id: string): EmulatedChannel {
    const channel = this.channels.get(id);
    if (!channel) throw new Error(`Emulator has no channel ${id}`);
    return channel;
  }

  private textSetting(value: string | undefined, creator: string): TextSetting {
    return value ? { value, creator, lastSet: this.ts.seconds() } : { value: '', creator: '', lastSet: 0 };
  }
}
