// Incident + timeline + escalations → PostmortemModel. Every postmortem decision is made here (and
// in the compile-* parts), so renderers only lay out and escape. Pure; cost is linear in the number
// of events (one sort, then single passes), and formatting a time costs microseconds (ZoneClock).

import type { Escalation } from '../domain/escalation';
import { incidentKey, type Incident } from '../domain/incident';
import { computeMetrics, type IncidentMetrics, type Metric } from '../domain/metrics';
import { humanizeDuration } from '../domain/time-format';
import { applyCorrections, corrections } from '../domain/corrections';
import { actionOwner, compareEvents, TIMELINE_KIND_LABELS, type TimelineEvent, type TimelineKind } from '../domain/timeline';
import { compileCommunications, compileUpdateGaps } from './compile-communications';
import { compileEscalations, EscalationFacts, escalationInstants } from './compile-escalations';
import { timelineRow } from './compile-timeline';
import { capitalize, Context, missing } from './context';
import { isPlaceholder } from './model';
import type { ActionItem, CorrectionRow, MetricRow, MissingField, OutageWindow, Placeholder, PostmortemModel, RoleAssignment } from './model';
import { ZoneClock } from './zone-clock';
import { TICKET_STATE_WORDS, ticketFor, type ActionTicket } from '../domain/tickets';

export interface CompileInput {
  incident: Incident;
  timeline: readonly TimelineEvent[];
  /** IANA zone the team reads times in, e.g. "Africa/Nairobi". */
  timeZone: string;
  /** Chat user id → display name. */
  names: ReadonlyMap<string, string>;
  /** Every escalation of the incident (`[]` when none); `escalationPeople` lists whom to name. */
  escalations: readonly Escalation[];
  compiledAt: number;
}

/** Longest root-cause one-liner before it is cut at a word boundary. */
const SUMMARY_MAX = 280;

export function compilePostmortem(input: CompileInput): PostmortemModel {
  const { incident, timeZone, compiledAt } = input;
  // The record as corrected; the corrections themselves go to the appendix.
  const events = applyCorrections(input.timeline)
    .filter((e) => e.kind !== 'postmortem')
    .sort(compareEvents);
  const metrics = computeMetrics(incident, events);
  const end = windowEnd(incident, metrics);
  const clock = new ZoneClock(timeZone);
  const instants = [incident.declaredAt, ...(end.ms === undefined ? [] : [end.ms]), ...escalationInstants(input.escalations)];
  const ctx = new Context(clock, input.names, spansDays(instants, events, clock));
  const facts = new EscalationFacts(input.escalations, events, incident);

  const rootCauseFull = ctx.firstKnown(incident.rootCause, latestText(events, 'cause'));
  const rootCause = rootCauseFull ?? missing('rootCause', 'to-complete', 'explain the root cause (/incident cause …)');
  const actionItems = events.filter((e) => e.kind === 'action').map((e) => actionItem(e, ticketFor(incident.tickets, e.sourceId), ctx));
  const model: Omit<PostmortemModel, 'missing'> = {
    title: ctx.plain(incident.title) || incidentKey(incident),
    key: incidentKey(incident),
    severity: incident.severity,
    status: incident.status,
    commander: ctx.person(incident.commanderId),
    roles: roleAssignments(incident.roles, ctx),
    timeZone: { id: timeZone, abbreviation: clock.abbreviation(incident.declaredAt) },
    window: outageWindow(incident.declaredAt, end, compiledAt, ctx),
    impact: ctx.firstKnown(incident.impact, latestText(events, 'impact')) ?? missing('impact', 'to-complete', 'describe the customer impact (/incident impact …)'),
    rootCause: { summary: rootCauseFull ? firstSentence(rootCauseFull) : rootCause, full: rootCause },
    resolution:
      ctx.firstKnown(incident.resolutionSummary, latestText(events, 'resolved')) ??
      missing('resolution', 'to-complete', 'describe how the incident was resolved (/incident resolve …)'),
    timeline: events.length ? events.map((e) => timelineRow(e, incident, facts, ctx)) : missing('timeline', 'not-captured', 'no timeline entries were recorded'),
    escalations: compileEscalations(
      facts,
      events.some((e) => e.kind === 'escalation'),
      ctx,
    ),
    communications: compileCommunications(events, incident, ctx),
    actionItems: actionItems.length ? actionItems : missing('actionItems', 'to-complete', 'add corrective and preventative measures (/incident action …)'),
    metrics: metricRows(metrics, ctx),
    updateGaps: compileUpdateGaps(events, incident, ctx),
    conclusion: ctx.firstKnown(incident.conclusion) ?? missing('conclusion', 'to-complete', 'write a closing note for readers: commitments and where to ask questions'),
    corrections: correctionRows(input.timeline, ctx),
    compiledAt: { ms: compiledAt, formatted: clock.dateTime(compiledAt) },
  };
  return { ...model, missing: collectMissing(model) };
}

function correctionRows(timeline: readonly TimelineEvent[], ctx: Context): CorrectionRow[] {
  const byId = new Map(timeline.map((e) => [e.id, e]));
  return corrections(timeline).map((c) => {
    const target = byId.get(c.targetId);
    const of = target ? `the ${TIMELINE_KIND_LABELS[target.kind].toLowerCase()} of ${ctx.time(target.at)}` : 'an entry';
    return {
      time: ctx.time(c.event.recordedAt),
      by: c.event.actorId ? ctx.name(c.event.actorId) : 'the bot',
      what: `${c.change === 'edit' ? 'edited' : 'removed'} ${of}`,
      before: ctx.plain(c.before),
      ...(c.change === 'edit' ? { after: ctx.plain(c.event.text) } : {}),
    };
  });
}

/** Raw text of the latest event of a kind that has any; the caller decodes it. */
function latestText(events: readonly TimelineEvent[], kind: TimelineKind): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i].kind === kind && events[i].text.trim()) return events[i].text;
  }
  return undefined;
}

interface WindowEnd {
  ms?: number;
  source: OutageWindow['endSource'];
}

/** The outage ends at the resolution; failing that, at closing (flagged); else it is ongoing. */
function windowEnd(incident: Incident, metrics: IncidentMetrics): WindowEnd {
  const resolvedAt = metrics.timeToResolve?.at;
  if (resolvedAt !== undefined) return { ms: resolvedAt, source: 'resolved' };
  if (incident.closedAt !== undefined) return { ms: incident.closedAt, source: 'closed' };
  return { source: 'ongoing' };
}

/** Sorted events: the first and last bound the incident together with the other instants shown. */
function spansDays(instants: readonly number[], events: readonly TimelineEvent[], clock: ZoneClock): boolean {
  const all = events.length ? [...instants, events[0].at, events[events.length - 1].at] : instants;
  return !clock.sameDay(Math.min(...all), Math.max(...all));
}

function outageWindow(startMs: number, end: WindowEnd, compiledAt: number, ctx: Context): OutageWindow {
  const start = ctx.dateAndClock(startMs);
  if (end.ms === undefined) {
    const soFar = humanizeDuration(compiledAt - startMs);
    return {
      startMs,
      endSource: 'ongoing',
      start,
      end: missing('end', 'ongoing', `not resolved when this draft was compiled (${soFar} after declaration)`),
      zone: `(${ctx.clock.abbreviation(startMs)})`,
      duration: missing('end', 'ongoing', `${soFar} so far; resolve the incident (/incident resolve …) to record the end`),
      spansDays: ctx.showDates,
    };
  }
  const durationMs = Math.max(0, end.ms - startMs);
  return {
    startMs,
    endMs: end.ms,
    durationMs,
    endSource: end.source,
    start,
    end: ctx.clock.sameDay(startMs, end.ms) ? ctx.clock.clock(end.ms) : ctx.dateAndClock(end.ms),
    zone: zoneLabel(startMs, end.ms, ctx.clock),
    duration: humanizeDuration(durationMs),
    endNote: end.source === 'closed' ? 'the end is when the incident was closed: no resolution time was recorded' : undefined,
    spansDays: ctx.showDates,
  };
}

/** "(EAT)", or "(CET → CEST)" when daylight saving changed during the window. */
function zoneLabel(startMs: number, endMs: number, clock: ZoneClock): string {
  const from = clock.abbreviation(startMs);
  const to = clock.abbreviation(endMs);
  return from === to ? `(${from})` : `(${from} → ${to})`;
}

function roleAssignments(roles: Record<string, string>, ctx: Context): RoleAssignment[] {
  return (
    Object.keys(roles)
      .sort()
      // A role name is user text like any other (`ops &amp; comms`, `<!here>`): decoded the same way.
      .map((role) => ({ role, label: capitalize(ctx.plain(role)) || 'Role', person: ctx.person(roles[role]) }))
  );
}

function actionItem(event: TimelineEvent, ticket: ActionTicket | undefined, ctx: Context): ActionItem {
  const owner = actionOwner(event);
  return {
    text: ctx.plain(event.text) || '(no text)',
    owner: owner ? ctx.name(owner) : undefined,
    ...(ticket
      ? {
          ticket: {
            key: ticket.key,
            url: ticket.url,
            state: ticket.gone ? 'deleted in the tracker' : TICKET_STATE_WORDS[ticket.state],
            settled: !ticket.gone && ticket.state !== 'open',
          },
        }
      : {}),
  };
}

function metricRows(metrics: IncidentMetrics, ctx: Context): MetricRow[] {
  const row = (key: MetricRow['key'], label: string, metric: Metric | undefined, absent: string): MetricRow => ({
    key,
    label,
    value: metric ? { ms: metric.ms, duration: humanizeDuration(metric.ms), basis: metric.basis, at: ctx.time(metric.at) } : missing(key, 'not-captured', absent),
  });
  return [
    row('timeToAcknowledge', 'Time to acknowledge', metrics.timeToAcknowledge, 'no acknowledgement was recorded'),
    row('timeToMitigate', 'Time to mitigate', metrics.timeToMitigate, 'no mitigation or resolution was recorded'),
    row('timeToResolve', 'Time to resolve', metrics.timeToResolve, 'no resolution was recorded'),
  ];
}

/** Placeholders in document order, one per field. */
function collectMissing(model: Omit<PostmortemModel, 'missing'>): Placeholder[] {
  const candidates: readonly unknown[] = [
    model.window.end,
    model.window.duration,
    model.impact,
    model.rootCause.full,
    model.timeline,
    model.resolution,
    model.actionItems,
    ...model.metrics.map((m) => m.value),
    model.conclusion,
  ];
  const byField = new Map<MissingField, Placeholder>();
  for (const candidate of candidates) {
    if (isPlaceholder(candidate) && !byField.has(candidate.field)) byField.set(candidate.field, candidate);
  }
  return [...byField.values()];
}

/** First sentence (or line) of a text, cut at a word when it runs long. */
function firstSentence(text: string): string {
  const newline = text.indexOf('\n');
  const line = newline === -1 ? text : text.slice(0, newline);
  const end = line.search(/[.!?](\s|$)/);
  const sentence = end === -1 ? line : line.slice(0, end + 1);
  if (sentence.length <= SUMMARY_MAX) return sentence;
  const space = sentence.lastIndexOf(' ', SUMMARY_MAX);
  let cut = space > SUMMARY_MAX / 2 ? space : SUMMARY_MAX;
  if (/[\uD800-\uDBFF]/.test(sentence.charAt(cut - 1))) cut -= 1; // never split an emoji in half
  return `${sentence.slice(0, cut)}…`;
}
