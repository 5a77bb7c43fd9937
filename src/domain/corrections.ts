// Fixing the record: an entry of the timeline is corrected (its text edited) or removed by a
// `correction` entry that names it, so the original and every change stay on the audit trail. What
// the postmortem and `/incident timeline` show is the timeline with its corrections applied. Pure.

import type { Incident } from './incident';
import type { TimelineEvent, TimelineKind } from './timeline';

/** Kinds whose text people write and may fix; facts the bot derived (status, roles…) are corrected by new commands. */
export const CORRECTABLE_KINDS: ReadonlySet<TimelineKind> = new Set(['note', 'message', 'impact', 'cause', 'action']);

export type CorrectionChange = 'edit' | 'remove';

export interface Correction {
  /** The correction entry itself. */
  event: TimelineEvent;
  targetId: string;
  change: CorrectionChange;
  /** The text before this correction. */
  before: string;
}

export function correctionOf(event: TimelineEvent): Correction | undefined {
  if (event.kind !== 'correction') return undefined;
  const { target, change, before } = event.data ?? {};
  if (typeof target !== 'string' || (change !== 'edit' && change !== 'remove')) return undefined;
  return { event, targetId: target, change, before: typeof before === 'string' ? before : '' };
}

/** Corrections in the order they were recorded. */
export function corrections(events: readonly TimelineEvent[]): Correction[] {
  return events
    .map(correctionOf)
    .filter((c): c is Correction => c !== undefined)
    .sort((a, b) => a.event.recordedAt - b.event.recordedAt);
}

/**
 * The timeline as corrected: correction entries left out, each corrected entry with its latest
 * text (marked `data.edited`), removed entries gone. Order is kept.
 */
export function applyCorrections(events: readonly TimelineEvent[]): TimelineEvent[] {
  const latest = new Map<string, Correction>();
  for (const c of corrections(events)) latest.set(c.targetId, c);
  return events.flatMap((event): TimelineEvent[] => {
    if (event.kind === 'correction') return [];
    const c = latest.get(event.id);
    if (!c) return [event];
    if (c.change === 'remove') return [];
    return [{ ...event, text: c.event.text, data: { ...event.data, edited: true } }];
  });
}

/** Who may correct an entry: whoever recorded it, and the incident's commander. */
export function mayCorrect(incident: Pick<Incident, 'commanderId'>, event: TimelineEvent, userId: string): boolean {
  return CORRECTABLE_KINDS.has(event.kind) && (event.actorId === userId || incident.commanderId === userId);
}
