// Timeline entries: what happened, when, and who did it. The source id makes every write idempotent.

export const TIMELINE_KINDS = [
  'declared',
  'note',
  'update', // a stakeholder update (/incident update)
  'message', // a Slack message highlighted with :pushpin: or pinned
  'status',
  'severity',
  'lead',
  'role',
  'impact',
  'cause',
  'action',
  'acknowledged',
  'escalation',
  'resolved',
  'closed',
  'postmortem',
  'correction', // an earlier entry edited or removed (domain/corrections.ts)
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** How each kind is named to people (timeline replies, the postmortem). */
export const TIMELINE_KIND_LABELS: Record<TimelineKind, string> = {
  declared: 'Declared',
  note: 'Note',
  update: 'Update',
  message: 'Slack message',
  status: 'Status',
  severity: 'Severity',
  lead: 'Commander',
  role: 'Role',
  impact: 'Impact',
  cause: 'Root cause',
  action: 'Action item',
  acknowledged: 'Acknowledged',
  escalation: 'Escalation',
  resolved: 'Resolved',
  closed: 'Closed',
  postmortem: 'Postmortem',
  correction: 'Correction',
};

export type EventData = Record<string, string | number | boolean | null>;

export interface TimelineEvent {
  id: string;
  incidentId: string;
  kind: TimelineKind;
  /** When it happened (epoch ms); may be earlier than `recordedAt` for backdated notes. */
  at: number;
  /** When the bot stored it. */
  recordedAt: number;
  /** Who did it (chat user id); absent for the bot's own events. */
  actorId?: string;
  text: string;
  /**
   * Identity of what caused this entry (command trigger, message ts, event id). Unique across the
   * store, so a retried or duplicated delivery never creates a second entry.
   */
  sourceId: string;
  data?: EventData;
}

export type NewTimelineEvent = Omit<TimelineEvent, 'id'>;

/**
 * Chronological order. Exact ties compare equal: with a stable sort (Array.prototype.sort is)
 * over the store's order, they keep the order in which they were stored.
 */
export function compareEvents(a: TimelineEvent, b: TimelineEvent): number {
  return a.at - b.at || a.recordedAt - b.recordedAt;
}

/** An action item is an `action` event: `data.owner` holds the owner's user id, if any. */
export function actionOwner(event: TimelineEvent): string | undefined {
  const owner = event.data?.owner;
  return typeof owner === 'string' && owner ? owner : undefined;
}
