// Side effects a use case decides on. They are stored in the same write as the change that implies
// them (an outbox) and carried out afterwards, so they survive a crash and can be retried.

export type EffectSpec =
  /** Create the incident channel; `name` is the preferred name, suffixed on collision. */
  | { kind: 'channel.create'; name: string }
  /** Invite people into the incident channel (skips those already in it). */
  | { kind: 'channel.invite'; userIds: string[] }
  /** Set the channel's topic and purpose from the incident. */
  | { kind: 'channel.describe' }
  /** Post and pin the header message. */
  | { kind: 'header.post' }
  /** Bring the pinned header up to date (coalesced: one run covers all pending ones). */
  | { kind: 'header.update' }
  /** Announce the new incident in a shared channel. */
  | { kind: 'announce'; channelId: string }
  /** Tell the declarer where the incident channel is. */
  | { kind: 'declarer.reply' }
  /** A line in the incident channel, visible to everyone (status changes, resolution …). */
  | { kind: 'channel.post'; text: string }
  /** An ephemeral line to one person in a channel. */
  | { kind: 'user.notify'; channelId: string; userId: string; text: string }
  /** Expand a paged level (user groups → people), invite them, DM each, say it in the channel. */
  | { kind: 'escalation.page'; escalationId: string; level: number }
  /** DM one paged person with an Acknowledge button. */
  | { kind: 'escalation.notify'; escalationId: string; level: number; userId: string }
  /** Bring the page DMs up to date once the page ended (acknowledged, cancelled, exhausted). */
  | { kind: 'escalation.settle'; escalationId: string }
  /** Compile the postmortem from stored state, store it as a new version, post it as a file. */
  | { kind: 'postmortem.publish'; reason: 'closed' | 'requested'; requestedBy: string }
  /** Create or update the incident's Confluence page from the current postmortem. */
  | { kind: 'postmortem.export'; requestedBy: string };

export type EffectKind = EffectSpec['kind'];

export interface Effect {
  id: number;
  incidentId: string;
  spec: EffectSpec;
  attempts: number;
  /** Epoch ms before which it must not run (backoff). */
  notBefore: number;
  lastError?: string;
  createdAt: number;
  /**
   * When a runner first claimed it. Set means an earlier attempt began and may have reached Slack
   * without its outcome being stored (a crash, a lost claim), so a post is looked up before repeating it.
   */
  startedAt?: number;
}
