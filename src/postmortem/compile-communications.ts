// Stakeholder updates → the Communications section and Key Metrics' time between updates.

import type { Incident } from '../domain/incident';
import { updateGaps } from '../domain/metrics';
import { humanizeDuration } from '../domain/time-format';
import type { TimelineEvent } from '../domain/timeline';
import type { Context } from './context';
import type { CommunicationRow, CommunicationsSection, UpdateGapsRow } from './model';

const NO_UPDATES = 'No stakeholder updates were posted (/incident update).';

/** `events` sorted in timeline order. */
export function compileCommunications(events: readonly TimelineEvent[], incident: Incident, ctx: Context): CommunicationsSection {
  const rows = events.filter((e) => e.kind === 'update').map((e) => communicationRow(e, incident, ctx));
  return rows.length ? { kind: 'rows', rows } : { kind: 'none', text: NO_UPDATES };
}

function communicationRow(event: TimelineEvent, incident: Incident, ctx: Context): CommunicationRow {
  const nextDueAt = event.data?.nextDueAt;
  return {
    at: event.at,
    time: ctx.time(event.at),
    author: event.actorId ? ctx.name(event.actorId) : (ctx.data(event, 'author') ?? 'Unknown'),
    status: ctx.data(event, 'status') ?? incident.status,
    known: ctx.plain(event.text) || '(no text)',
    doing: ctx.data(event, 'doing'),
    need: ctx.data(event, 'need'),
    nextBy: typeof nextDueAt === 'number' ? ctx.time(nextDueAt) : undefined,
  };
}

export function compileUpdateGaps(events: readonly TimelineEvent[], incident: Incident, ctx: Context): UpdateGapsRow {
  const label = 'Time between updates';
  const gaps = updateGaps(incident, events);
  if (!gaps?.count) {
    const text = gaps?.toResolution ? 'no stakeholder update was posted before the resolution' : 'no stakeholder update has been posted yet';
    return { label, value: { kind: 'none', text } };
  }
  const updates = gaps.count === 1 ? '1 update' : `${gaps.count} updates`;
  return {
    label,
    value: {
      kind: 'measured',
      averageMs: gaps.averageMs,
      longestMs: gaps.longestMs,
      average: humanizeDuration(gaps.averageMs),
      longest: humanizeDuration(gaps.longestMs),
      longestEndedAt: ctx.time(gaps.longestEndedAt),
      basis: `${updates}, declaration to ${gaps.toResolution ? 'resolution' : 'latest update'}`,
    },
  };
}
