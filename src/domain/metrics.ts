// Response metrics derived from what was recorded. A metric with no recorded basis is absent: a
// postmortem must never show a number nobody measured.

import type { Incident } from './incident';
import { compareEvents, type TimelineEvent } from './timeline';

export interface Metric {
  /** Elapsed time from declaration. */
  ms: number;
  /** The instant it was measured to (epoch ms). */
  at: number;
  /** What it was computed from, e.g. "first acknowledgement". */
  basis: string;
}

export interface IncidentMetrics {
  timeToAcknowledge?: Metric;
  timeToMitigate?: Metric;
  timeToResolve?: Metric;
}

type Predicate = (event: TimelineEvent) => boolean;

const isAcknowledgement: Predicate = (e) => e.kind === 'acknowledged';
const isMonitoring: Predicate = (e) => e.kind === 'status' && e.data?.to === 'monitoring';
const isResolution: Predicate = (e) => e.kind === 'resolved';

export function computeMetrics(incident: Pick<Incident, 'declaredAt' | 'resolvedAt'>, timeline: readonly TimelineEvent[]): IncidentMetrics {
  const start = incident.declaredAt;
  // Linear scans: the timeline is not assumed to be sorted.
  const acknowledged = firstMatching(timeline, start, isAcknowledgement);
  const monitoring = firstMatching(timeline, start, isMonitoring);
  const resolvedEvent = firstMatching(timeline, start, isResolution);

  const timeToResolve =
    incident.resolvedAt !== undefined && incident.resolvedAt >= start
      ? metric(start, incident.resolvedAt, 'resolution')
      : resolvedEvent && metric(start, resolvedEvent.at, 'first resolved event');
  const timeToMitigate = monitoring
    ? metric(start, monitoring.at, 'first status change to monitoring')
    : timeToResolve && { ...timeToResolve, basis: `${timeToResolve.basis} (no monitoring phase recorded)` };

  return {
    timeToAcknowledge: acknowledged && metric(start, acknowledged.at, 'first acknowledgement'),
    timeToMitigate,
    timeToResolve,
  };
}

/** Earliest event (in timeline order) at or after `from` that matches. */
function firstMatching(timeline: readonly TimelineEvent[], from: number, matches: Predicate): TimelineEvent | undefined {
  let first: TimelineEvent | undefined;
  for (const event of timeline) {
    if (event.at < from || !matches(event)) continue;
    if (!first || compareEvents(event, first) < 0) first = event;
  }
  return first;
}

function metric(start: number, at: number, basis: string): Metric {
  return { ms: at - start, at, basis };
}

/** How long stakeholders waited for news: the gaps between stakeholder updates. */
export interface UpdateGaps {
  /** Updates posted. */
  count: number;
  averageMs: number;
  longestMs: number;
  /** When the longest wait ended (an update, or the resolution). */
  longestEndedAt: number;
  /** Whether the last gap ends at the resolution (else at the latest update). */
  toResolution: boolean;
}

/**
 * Gaps from declaration to the first update, between updates, and from the last update to the
 * resolution: stakeholders wait from the moment the incident exists until they hear it is over.
 * While unresolved, the wait since the last update is still open and is left out.
 * Absent when there is nothing to measure (no update, and no resolution either).
 */
export function updateGaps(incident: Pick<Incident, 'declaredAt' | 'resolvedAt'>, timeline: readonly TimelineEvent[]): UpdateGaps | undefined {
  const updates = timeline.filter((e) => e.kind === 'update' && e.at >= incident.declaredAt).map((e) => e.at);
  updates.sort((a, b) => a - b);
  const resolvedAt = incident.resolvedAt ?? firstMatching(timeline, incident.declaredAt, isResolution)?.at;
  const ends = resolvedAt === undefined ? updates : [...updates.filter((at) => at <= resolvedAt), resolvedAt];
  if (!ends.length || (!updates.length && resolvedAt === undefined)) return undefined;
  let from = incident.declaredAt;
  let total = 0;
  let longest = { ms: -1, endedAt: from };
  for (const at of ends) {
    const gap = at - from;
    total += gap;
    if (gap > longest.ms) longest = { ms: gap, endedAt: at };
    from = at;
  }
  return { count: updates.length, averageMs: Math.round(total / ends.length), longestMs: longest.ms, longestEndedAt: longest.endedAt, toResolution: resolvedAt !== undefined };
}
