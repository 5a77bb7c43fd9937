import type { TsClock } from './ids';
import type { Block, EmulatedMessage, Pin } from './types';

export type NewMessage = Omit<EmulatedMessage, 'ts' | 'reactions' | 'edited'>;

/** Each channel's messages (oldest first), their reactions, and the channel's pins. */
export class History {
  private readonly messagesByChannel = new Map<string, EmulatedMessage[]>();
  private readonly pinsByChannel = new Map<string, Pin[]>();

  constructor(private readonly ts: TsClock) {}

  post(message: NewMessage): EmulatedMessage {
    const posted: EmulatedMessage = { ...message, ts: this.ts.next(), reactions: [] };
    this.list(message.channel).push(posted);
    return posted;
  }

  message(channel: string, ts: string): EmulatedMessage | undefined {
    return this.messagesByChannel.get(channel)?.find((m) => m.ts === ts);
  }

  messages(channel: string): EmulatedMessage[] {
    return [...(this.messagesByChannel.get(channel) ?? [])];
  }

  /** Replaces the content; `edited` is set only for edits by people, as Slack shows them. */
  update(message: EmulatedMessage, content: { text: string; blocks?: Block[]; attachments?: Block[] }, editedBy?: string): void {
    message.text = content.text;
    message.blocks = content.blocks;
    message.attachments = content.attachments;
    if (editedBy) message.edited = { user: editedBy, ts: this.ts.next() };
  }

  remove(channel: string, ts: string): EmulatedMessage | undefined {
    const messages = this.list(channel);
    const index = messages.findIndex((m) => m.ts === ts);
    if (index < 0) return undefined;
    this.unpin(channel, ts);
    return messages.splice(index, 1)[0];
  }

  /** Whether anyone replied in the message's thread. */
  hasReplies(channel: string, ts: string): boolean {
    return this.list(channel).some((m) => m.threadTs === ts && m.ts !== ts);
  }

  /**
   * A deleted thread parent whose replies remain: Slack keeps a placeholder by Slackbot in its place
   * ("This message was deleted."), unpinned, without its content.
   */
  tombstone(message: EmulatedMessage): void {
    this.unpin(message.channel, message.ts);
    Object.assign(message, { subtype: 'tombstone', user: 'USLACKBOT', text: 'This message was deleted.', threadTs: message.ts, reactions: [] });
    for (const key of ['blocks', 'attachments', 'files', 'edited', 'botId', 'integration', 'metadata'] as const) delete message[key];
  }

  addReaction(message: EmulatedMessage, name: string, user: string): void {
    const reaction = message.reactions.find((r) => r.name === name);
    if (!reaction) message.reactions.push({ name, users: [user] });
    else if (!reaction.users.includes(user)) reaction.users.push(user);
  }

  removeReaction(message: EmulatedMessage, name: string, user: string): void {
    const reaction = message.reactions.find((r) => r.name === name);
    if (!reaction) return;
    reaction.users = reaction.users.filter((u) => u !== user);
    if (reaction.users.length === 0) message.reactions = message.reactions.filter((r) => r !== reaction);
  }

  /** Returns undefined when the message is already pinned. */
  pin(channel: string, ts: string, by: string): Pin | undefined {
    const pins = this.pinList(channel);
    if (pins.some((p) => p.ts === ts)) return undefined;
    const pin: Pin = { ts, pinnedBy: by, created: this.ts.seconds() };
    pins.push(pin);
    return pin;
  }

  unpin(channel: string, ts: string): Pin | undefined {
    const pins = this.pinList(channel);
    const index = pins.findIndex((p) => p.ts === ts);
    return index < 0 ? undefined : pins.splice(index, 1)[0];
  }

  pins(channel: string): Pin[] {
    return [...this.pinList(channel)];
  }

  private list(channel: string): EmulatedMessage[] {
    let messages = this.messagesByChannel.get(channel);
    if (!messages) this.messagesByChannel.set(channel, (messages = []));
    return messages;
  }

  private pinList(channel: string): Pin[] {
    let pins = this.pinsByChannel.get(channel);
    if (!pins) this.pinsByChannel.set(channel, (pins = []));
    return pins;
  }
}
