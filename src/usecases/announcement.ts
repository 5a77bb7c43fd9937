// Which changes the announcement card follows.

import type { EffectSpec } from '../domain/effects';
import type { Incident } from '../domain/incident';
import type { TimelineKind } from '../domain/timeline';
import type { IncidentSettings } from './context';

/** What the card shows: severity, status, commander, the latest update, the deadline of the next. */
const CARD_KINDS: ReadonlySet<TimelineKind> = new Set(['severity', 'status', 'lead', 'update', 'resolved', 'closed']);

/** Whether the incident has (or will have) a card: never for a private one. */
export function isAnnounced(settings: IncidentSettings, incident: Pick<Incident, 'isPrivate'>): boolean {
  return settings.announceChannelId !== undefined && !incident.isPrivate;
}

/** The card update a change of this kind calls for, if any. */
export function cardUpdateFor(settings: IncidentSettings, incident: Pick<Incident, 'isPrivate'>, kind?: TimelineKind): EffectSpec[] {
  return isAnnounced(settings, incident) && (kind === undefined || CARD_KINDS.has(kind)) ? [{ kind: 'announcement.update' }] : [];
}
