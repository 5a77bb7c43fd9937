// Incident + timeline → PostmortemModel. Every postmortem decision lives here, so renderers only
// lay out and escape. Pure; cost is linear in the number of events (one sort, then single passes).

import { incidentKey, type Incident } from '../domain/incident';
import { computeMetrics, type IncidentMetrics, type Metric } from '../domain/metrics';
import { dayjs, formatClockTime, formatDate, formatDateTime, humanizeDuration, sameDay, zoneAbbreviation } from '../domain/time-format';
import { actionOwner, compareEvents, TIMELINE_KIND_LABELS, type TimelineEvent, type TimelineKind } from '../domain/timeline';
import { isPlaceholder } from './model';
import type { ActionItem, MetricRow, MissingField, OutageWindow, Person, Placeholder } from './model';
import type { PlaceholderReason, PostmortemModel, RoleAssignment, TimelineRow } from './model';
import { slackToPlainText, stripControlCharacters } from './slack-text';

export interface CompileInput {
  incident: Incident;
  timeline: readonly TimelineEvent[];
  /** IANA zone the team reads times in, e.g. "Africa/Nairobi". */
  timeZone: string;
  /** Chat user id → display name. */
  names: ReadonlyMap<string, string>;
  compiledAt: number;
}

/** Longest root-cause one-liner before it is cut at a word boundary. */
const SUMMARY_MAX = 280;

export function compilePostmortem(input: CompileInput): PostmortemModel {
  const { incident, timeZone, compiledAt } = input;
  const events = input.timeline.filter((e) => e.kind !== 'postmortem').sort(compareEvents);
  const metrics = computeMetrics(incident, events);
  const end = windowEnd(incident, metrics);
  const ctx = new Context(timeZone, input.names, spansDays(incident.declaredAt, end.ms, events, timeZone));

  const rootCauseFull = ctx.firstKnown(incident.rootCause, latestText(events, 'cause'));
  const rootCause = rootCauseFull ?? missing('rootCause', 'to-complete', 'explain the root cause (/incident cause …)');
  const actionItems = events.filter((e) => e.kind === 'action').map((e) => actionItem(e, ctx));
  const model: Omit<PostmortemModel, 'missing'> = {
    title: ctx.plain(incident.title) || incidentKey(incident),
    key: incidentKey(incident),
    severity: incident.severity,
    status: incident.status,
    commander: ctx.person(incident.commanderId),
    roles: roleAssignments(incident.roles, ctx),
    timeZone: { id: timeZone, abbreviation: zoneAbbreviation(incident.declaredAt, timeZone) },
    window: outageWindow(incident.declaredAt, end, compiledAt, ctx),
    impact:
      ctx.firstKnown(incident.impact, latestText(events, 'impact')) ??
      missing('impact', 'to-complete', 'describe the customer impact (/incident impact …)'),
    rootCause: { summary: rootCauseFull ? firstSentence(rootCauseFull) : rootCause, full: rootCause },
    resolution:
      ctx.firstKnown(incident.resolutionSummary, latestText(events, 'resolved')) ??
      missing('resolution', 'to-complete', 'describe how the incident was resolved (/incident resolve …)'),
    timeline: events.length
      ? events.map((e) => timelineRow(e, incident, ctx))
      : missing('timeline', 'not-captured', 'no timeline entries were recorded'),
    actionItems: actionItems.length
      ? actionItems
      : missing('actionItems', 'to-complete', 'add corrective and preventative measures (/incident action …)'),
    metrics: metricRows(metrics, ctx),
    conclusion:
      ctx.firstKnown(incident.conclusion) ??
      missing('conclusion', 'to-complete', 'write a closing note for readers: commitments and where to ask questions'),
    compiledAt: { ms: compiledAt, formatted: formatDateTime(compiledAt, timeZone) },
  };
  return { ...model, missing: collectMissing(model) };
}

/** Names, plain text and times as this postmortem presents them. */
class Context {
  private readonly timesByMinute = new Map<number, string>();

  constructor(
    readonly timeZone: string,
    private readonly names: ReadonlyMap<string, string>,
    /** Times carry their date when the incident spans several days. */
    readonly showDates: boolean,
  ) {}

  name(userId: string): string {
    return stripControlCharacters(this.names.get(userId) || userId);
  }

  person(userId: string): Person {
    return { id: userId, name: this.name(userId) };
  }

  plain(slackText: string): string {
    return slackToPlainText(slackText, this.names).trim();
  }

  /** A string from `event.data`, as displayable text. */
  data(event: TimelineEvent, key: string): string | undefined {
    const value = event.data?.[key];
    return typeof value === 'string' ? this.plain(value) || undefined : undefined;
  }

  /** The first candidate with any text once decoded (blank counts as absent). */
  firstKnown(...candidates: (string | undefined)[]): string | undefined {
    for (const candidate of candidates) {
      const text = candidate === undefined ? '' : this.plain(candidate);
      if (text) return text;
    }
    return undefined;
  }

  /** "1:15 PM" — no zone. */
  clock(ms: number): string {
    return dayjs(ms).tz(this.timeZone).format('h:mm A');
  }

  /** "March 3, 2023, 1:15 PM" */
  dateAndClock(ms: number): string {
    return `${formatDate(ms, this.timeZone)}, ${this.clock(ms)}`;
  }

  /** "1:15 PM (EAT)", with the date first when the incident spans days. */
  time(ms: number): string {
    // Formatting in a zone costs ~0.4 ms a call (dayjs builds an Intl formatter each time), and
    // shown times have minute precision, so entries in the same minute share one result.
    const minute = Math.floor(ms / 60_000);
    let time = this.timesByMinute.get(minute);
    if (time === undefined) {
      const clock = formatClockTime(ms, this.timeZone);
      time = this.showDates ? `${formatDate(ms, this.timeZone)}, ${clock}` : clock;
      this.timesByMinute.set(minute, time);
    }
    return time;
  }
}

function missing(field: MissingField, reason: PlaceholderReason, hint: string): Placeholder {
  return { kind: 'placeholder', field, reason, hint };
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

/** Sorted events: the first and last bound the incident together with its window. */
function spansDays(startMs: number, endMs: number | undefined, events: readonly TimelineEvent[], tz: string): boolean {
  const first = events.length ? Math.min(startMs, events[0].at) : startMs;
  const last = Math.max(endMs ?? startMs, events.length ? events[events.length - 1].at : startMs);
  return !sameDay(first, last, tz);
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
      zone: `(${zoneAbbreviation(startMs, ctx.timeZone)})`,
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
    end: sameDay(startMs, end.ms, ctx.timeZone) ? ctx.clock(end.ms) : ctx.dateAndClock(end.ms),
    zone: zoneLabel(startMs, end.ms, ctx.timeZone),
    duration: humanizeDuration(durationMs),
    endNote: end.source === 'closed' ? 'the end is when the incident was closed: no resolution time was recorded' : undefined,
    spansDays: ctx.showDates,
  };
}

/** "(EAT)", or "(CET → CEST)" when daylight saving changed during the window. */
function zoneLabel(startMs: number, endMs: number, timeZone: string): string {
  const from = zoneAbbreviation(startMs, timeZone);
  const to = zoneAbbreviation(endMs, timeZone);
  return from === to ? `(${from})` : `(${from} → ${to})`;
}

function roleAssignments(roles: Record<string, string>, ctx: Context): RoleAssignment[] {
  return Object.keys(roles)
    .sort()
    .map((role) => ({ role, label: capitalize(stripControlCharacters(role)), person: ctx.person(roles[role]) }));
}

function timelineRow(event: TimelineEvent, incident: Incident, ctx: Context): TimelineRow {
  return {
    at: event.at,
    time: ctx.time(event.at),
    author: event.actorId ? ctx.name(event.actorId) : undefined,
    kind: event.kind,
    kindLabel: kindLabel(event, ctx),
    text: ctx.plain(event.text) || describe(event, incident, ctx),
  };
}

/** "Note"; changes name their new value: "Status → monitoring", "Severity sev2 → sev1". */
function kindLabel(event: TimelineEvent, ctx: Context): string {
  const label = TIMELINE_KIND_LABELS[event.kind];
  const to = ctx.data(event, 'to');
  if (!to || (event.kind !== 'status' && event.kind !== 'severity')) return label;
  const from = event.kind === 'severity' ? ctx.data(event, 'from') : undefined;
  return `${label} ${from ? `${from} ` : ''}→ ${to}`;
}

/** Words for an entry recorded without text, built only from what the event itself holds. */
function describe(event: TimelineEvent, incident: Incident, ctx: Context): string {
  const userId = dataString(event, 'to');
  switch (event.kind) {
    case 'declared':
      return `Incident declared (${ctx.data(event, 'severity') ?? incident.severity})`;
    case 'status':
    case 'severity': {
      const [from, to] = [ctx.data(event, 'from'), ctx.data(event, 'to')];
      return `${capitalize(event.kind)} changed${from ? ` from ${from}` : ''}${to ? ` to ${to}` : ''}`;
    }
    case 'lead':
      return userId ? `@${ctx.name(userId)} is now the commander` : 'Commander changed';
    case 'role':
      return userId ? `@${ctx.name(userId)} is now ${ctx.data(event, 'role') ?? 'assigned a role'}` : 'Role changed';
    case 'acknowledged':
      return 'Incident acknowledged';
    case 'escalation': {
      const target = ctx.data(event, 'target');
      return target ? `Escalated to ${target}` : 'Escalated';
    }
    case 'resolved':
      return 'Incident resolved';
    case 'closed':
      return 'Incident closed';
    default:
      return '(no text)';
  }
}

function actionItem(event: TimelineEvent, ctx: Context): ActionItem {
  const owner = actionOwner(event);
  return { text: ctx.plain(event.text) || '(no text)', owner: owner ? ctx.name(owner) : undefined };
}

function metricRows(metrics: IncidentMetrics, ctx: Context): MetricRow[] {
  const row = (key: MetricRow['key'], label: string, metric: Metric | undefined, absent: string): MetricRow => ({
    key,
    label,
    value: metric
      ? { ms: metric.ms, duration: humanizeDuration(metric.ms), basis: metric.basis, at: ctx.time(metric.at) }
      : missing(key, 'not-captured', absent),
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

/** A raw string from `event.data` (a user id); displayable text goes through `Context.data`. */
function dataString(event: TimelineEvent, key: string): string | undefined {
  const value = event.data?.[key];
  return typeof value === 'string' && value ? value : undefined;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
