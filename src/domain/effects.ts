// Side effects a use case decides on. They are stored in the same write as the change that implies
// them (an outbox) and carried out afterwards, so they survive a crash and can be retried.

import type { ReminderTopic } from './reminders';
import type { Text } from './said';

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
  /** Post the incident's one announcement card in a shared channel (the card renders the current state). */
  | { kind: 'announce'; channelId: string }
  /** Bring the announcement card up to date, edited in place (coalesced: one run covers all pending ones). */
  | { kind: 'announcement.update' }
  /**
   * A stored deadline, due at `at`: remind the commander to post an update, or nudge about roles or
   * a severity nobody revisited. One whose deadline was moved since (an update, a snooze) does nothing.
   */
  | { kind: 'reminder'; topic: ReminderTopic; at: number }
  /** Tell the declarer where the incident channel is. */
  | { kind: 'declarer.reply' }
  /** A line in the incident channel, visible to everyone (status changes, resolution …). */
  | { kind: 'channel.post'; text: Text }
  /** An ephemeral line to one person in a channel. */
  | { kind: 'user.notify'; channelId: string; userId: string; text: Text }
  /** Expand a paged level (user groups → people), invite them, DM each, say it in the channel. */
  | { kind: 'escalation.page'; escalationId: string; level: number }
  /** DM one paged person with an Acknowledge button. */
  | { kind: 'escalation.notify'; escalationId: string; level: number; userId: string }
  /** Bring the page DMs up to date once the page ended (acknowledged, cancelled, exhausted). */
  | { kind: 'escalation.settle'; escalationId: string }
  /** Compile the postmortem from stored state, store it as a new version, post it as a file. */
  | { kind: 'postmortem.publish'; reason: 'closed' | 'requested'; requestedBy: string }
  /** Create or update the incident's Confluence page from the current postmortem. */
  | { kind: 'postmortem.export'; requestedBy: string }
  /** File an action item in the tracker, once: a ticket it already has (or one found by its marker) is kept. */
  | { kind: 'ticket.create'; actionSourceId: string; requestedBy: string }
  /**
   * A stored deadline, due at `at`: read the incident's tickets back from the tracker and say in the
   * channel what changed. One whose deadline was moved or cleared since does nothing.
   */
  | { kind: 'tickets.sync'; at: number }
  /** Due at `at` (INCIDENT_ARCHIVE_AFTER after close): say so in the incident channel, then archive it. */
  | { kind: 'channel.archive'; at: number }
  /** Link each of the incident's tickets to its Confluence page (they were filed before it existed). */
  | { kind: 'tickets.link' };

export type EffectKind = EffectSpec['kind'];

/** When an effect may first run: at once, or at its deadline. */
export function effectDueAt(spec: EffectSpec, now: number): number {
  return spec.kind === 'reminder' || spec.kind === 'tickets.sync' || spec.kind === 'channel.archive' ? Math.max(now, spec.at) : now;
}

/**
 * Kinds that render the state current when they run: one run covers every pending one of its kind,
 * and the runner paces them per incident.
 */
export const RENDERS_CURRENT_STATE: ReadonlySet<EffectKind> = new Set(['header.update', 'announcement.update']);

/**
 * The outbox's coalescing rule, stated once; both adapters apply it when a change enqueues, the
 * runner when it completes. An effect of a kind that renders the current state has nothing to add
 * to a pending one of its kind for the same incident that nobody has claimed yet (a claimed one may
 * have read the state already) and that is due no later: it is not stored. At enqueue, because a
 * sev1 burst queues one per note: storing them all made every wake-up read thousands of rows (the
 * acknowledgement throughput halved in the benchmark) and left a done row per note behind.
 */
export function coalescesWithPending(spec: EffectSpec): boolean {
  return RENDERS_CURRENT_STATE.has(spec.kind);
}

/**
 * Kinds nothing else in the incident's queue waits for: while one waits (its deadline, a backoff after
 * Slack's 429 on the announcement channel), the effects after it go ahead. Everything else keeps order.
 */
export const RUNS_ON_ITS_OWN: ReadonlySet<EffectKind> = new Set([
  'announce',
  'announcement.update',
  'reminder',
  'ticket.create',
  'tickets.sync',
  'tickets.link',
  'channel.archive',
]);

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
