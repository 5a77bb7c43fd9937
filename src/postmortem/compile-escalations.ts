// Escalations → the Escalations section, and words for `escalation` timeline entries and for the
// acknowledgements of a page. Built only from the records and events: nothing is guessed.

import { acknowledgementLatency, targetFromData, type Escalation, type EscalationTarget, type PageRecord } from '../domain/escalation';
import type { Incident } from '../domain/incident';
import { humanizeDuration } from '../domain/time-format';
import type { TimelineEvent } from '../domain/timeline';
import { dataString, type Context } from './context';
import type { EscalationOutcome, EscalationRow, EscalationsSection, EscalationTrigger, PagedLevel, Recipient } from './model';
import { stripControlCharacters } from './slack-text';

export const NO_ESCALATIONS = 'No escalations were made.';
// Escalation entries without records (e.g. the caller passed none): "none were made" would be false.
export const NO_ESCALATION_RECORDS = 'No pages were sent through the bot; the escalations noted are in the timeline.';

/** What escalation entries are explained from, gathered in one pass over the sorted events. */
export class EscalationFacts {
  private readonly byId: ReadonlyMap<string, Escalation>;
  /** When the incident was first resolved or closed: the bot cancels pages then. */
  private readonly endedAt?: number;
  /** Severity changes in order, for the severity an automatic page was made for. */
  private readonly severities: { at: number; from?: string; to?: string }[] = [];
  private readonly declaredSeverity?: string;

  constructor(
    readonly escalations: readonly Escalation[],
    events: readonly TimelineEvent[],
    private readonly incident: Pick<Incident, 'severity' | 'resolvedAt' | 'closedAt'>,
  ) {
    this.byId = new Map(escalations.map((e) => [e.id, e]));
    const ends = [incident.resolvedAt, incident.closedAt];
    for (const e of events) {
      if (e.kind === 'resolved' || e.kind === 'closed') ends.push(e.at);
      if (e.kind === 'declared') this.declaredSeverity ??= dataString(e, 'severity');
      if (e.kind === 'severity') this.severities.push({ at: e.at, from: dataString(e, 'from'), to: dataString(e, 'to') });
    }
    const known = ends.filter((t): t is number => t !== undefined);
    this.endedAt = known.length ? Math.min(...known) : undefined;
  }

  get(event: TimelineEvent): Escalation | undefined {
    const id = dataString(event, 'escalationId');
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** "incident resolved" when the incident had ended by `ms`. */
  cancelCause(ms: number | undefined): string | undefined {
    return ms !== undefined && this.endedAt !== undefined && this.endedAt <= ms ? 'incident resolved' : undefined;
  }

  /** The severity in force at `ms`: the declared one, then each change up to that instant. */
  severityAt(ms: number): string {
    let severity = this.declaredSeverity ?? this.severities[0]?.from;
    for (const change of this.severities) {
      if (change.at > ms) break;
      severity = change.to ?? severity;
    }
    return stripControlCharacters(severity ?? this.incident.severity);
  }
}

/** Every instant an escalation shows, so the caller can tell whether times need their date. */
export function escalationInstants(escalations: readonly Escalation[]): number[] {
  return escalations.flatMap((e) => [e.createdAt, ...e.pages.flatMap((p) => [p.pagedAt, p.timedOutAt ?? p.pagedAt]), e.endedAt ?? e.createdAt]);
}

/** People the section names, for the caller to resolve display names for. */
export function escalationPeople(escalations: readonly Escalation[]): Set<string> {
  const ids = new Set<string>();
  for (const e of escalations) {
    ids.add(e.requestedBy);
    if (e.acknowledgedBy) ids.add(e.acknowledgedBy);
    if (e.target.kind === 'user') ids.add(e.target.id);
    for (const level of e.levels) for (const id of level.userIds) ids.add(id);
    for (const page of e.pages) for (const id of page.userIds ?? []) ids.add(id);
  }
  return ids;
}

export function compileEscalations(facts: EscalationFacts, hasEscalationEvents: boolean, ctx: Context): EscalationsSection {
  if (facts.escalations.length === 0) return { kind: 'none', text: hasEscalationEvents ? NO_ESCALATION_RECORDS : NO_ESCALATIONS };
  // Stable: the store lists them in creation order already; this only guards against another order.
  const rows = [...facts.escalations].sort((a, b) => a.createdAt - b.createdAt).map((e) => escalationRow(e, facts, ctx));
  return { kind: 'rows', rows };
}

function escalationRow(e: Escalation, facts: EscalationFacts, ctx: Context): EscalationRow {
  const latencyMs = e.state === 'acknowledged' ? acknowledgementLatency(e) : undefined;
  const latency = latencyMs === undefined ? undefined : { ms: latencyMs, duration: humanizeDuration(latencyMs) };
  const reason = e.reason === undefined ? undefined : ctx.plain(e.reason) || undefined;
  return {
    id: e.id,
    targetKind: e.target.kind,
    target: targetName(e.target, ctx),
    trigger: trigger(e, facts, ctx),
    ...(reason ? { reason } : {}),
    pagedAtMs: e.createdAt,
    pagedAt: ctx.time(e.createdAt),
    levels: e.pages.map((page) => pagedLevel(e, page, ctx)),
    outcome: outcome(e, latency?.duration, facts, ctx),
    ...(latency ? { timeToAcknowledge: latency } : {}),
  };
}

function trigger(e: Escalation, facts: EscalationFacts, ctx: Context): EscalationTrigger {
  if (e.trigger === 'automatic') {
    const severity = facts.severityAt(e.createdAt);
    return { kind: 'automatic', severity, label: `automatic, for ${severity}` };
  }
  const by = ctx.person(e.requestedBy);
  return { kind: 'manual', by, label: `manual, by ${by.name}` };
}

function outcome(e: Escalation, latency: string | undefined, facts: EscalationFacts, ctx: Context): EscalationOutcome {
  switch (e.state) {
    case 'acknowledged': {
      const by = e.acknowledgedBy === undefined ? undefined : ctx.person(e.acknowledgedBy);
      const atMs = e.acknowledgedAt ?? e.endedAt;
      const at = atMs === undefined ? undefined : ctx.time(atMs);
      const label = `Acknowledged${by ? ` by ${by.name}` : ''}${at ? ` at ${at}` : ''}${latency ? ` after ${latency}` : ''}`;
      return { kind: 'acknowledged', ...(by ? { by } : {}), ...(atMs === undefined ? {} : { atMs, at }), label };
    }
    case 'exhausted': {
      const at = e.endedAt === undefined ? undefined : ctx.time(e.endedAt);
      const what = e.levels.length > 1 ? 'all levels exhausted' : 'the page timed out';
      return { kind: 'exhausted', ...(at ? { atMs: e.endedAt, at } : {}), label: `Not acknowledged: ${what}${at ? ` at ${at}` : ''}` };
    }
    case 'cancelled': {
      const at = e.endedAt === undefined ? undefined : ctx.time(e.endedAt);
      const cause = facts.cancelCause(e.endedAt);
      const label = `Cancelled${at ? ` at ${at}` : ''}${cause ? ` (${cause})` : ''}`;
      return { kind: 'cancelled', ...(at ? { atMs: e.endedAt, at } : {}), label };
    }
    case 'paging': {
      const level = e.levels.length > 1 ? ` (level ${e.currentLevel + 1} of ${e.levels.length})` : '';
      return { kind: 'paging', label: `Still paging${level}` };
    }
  }
}

function pagedLevel(e: Escalation, page: PageRecord, ctx: Context): PagedLevel {
  const errors = new Map(page.notices.flatMap((n) => (n.error ? [[n.userId, stripControlCharacters(n.error)] as const] : [])));
  const recipients: Recipient[] = page.userIds
    ? page.userIds.map((id) => {
        const error = errors.get(id);
        return { kind: 'user', id, name: ctx.name(id), ...(error ? { notNotified: error } : {}) };
      })
    : configuredRecipients(e, page.level, ctx);
  return {
    level: page.level + 1,
    pagedAtMs: page.pagedAt,
    pagedAt: ctx.time(page.pagedAt),
    recipients,
    ...(page.timedOutAt === undefined ? {} : { timedOutAtMs: page.timedOutAt, timedOutAt: ctx.time(page.timedOutAt) }),
  };
}

/** Who a level was set to page (before its groups were expanded into people). */
function configuredRecipients(e: Escalation, level: number, ctx: Context): Recipient[] {
  const config = e.levels[level] ?? { userIds: [], usergroupIds: [] };
  return [
    ...config.userIds.map((id): Recipient => ({ kind: 'user', id, name: ctx.name(id) })),
    ...config.usergroupIds.map((id): Recipient => ({ kind: 'usergroup', id, name: groupName(id, e.target, ctx) })),
  ];
}

/** "@platform-oncall": the target's handle, else a name the caller mapped the group id to. */
function groupName(id: string, target: EscalationTarget, ctx: Context): string {
  const handle = target.kind === 'usergroup' && target.id === id && target.handle ? target.handle : ctx.name(id);
  return `@${stripControlCharacters(handle).replace(/^@/, '')}`;
}

/** "@Chebet Kiprono", "@platform-oncall", "policy platform-oncall". */
export function targetName(target: EscalationTarget, ctx: Context): string {
  switch (target.kind) {
    case 'user':
      return `@${ctx.name(target.id)}`;
    case 'usergroup':
      return groupName(target.id, target, ctx);
    case 'policy':
      return `policy ${stripControlCharacters(target.name)}`;
  }
}

// --- Timeline entries ---------------------------------------------------------------------------

/** Whom the entry names when its escalation is not stored: its target fields, or an older entry's label. */
function recordedTarget(event: TimelineEvent, ctx: Context): string | undefined {
  const target = targetFromData(event.data);
  return target ? targetName(target, ctx) : ctx.data(event, 'target');
}

/** Words for an `escalation` entry. A `paged` entry's text is its reason, so it follows the words. */
export function describeEscalation(event: TimelineEvent, facts: EscalationFacts, ctx: Context): string {
  const e = facts.get(event);
  const target = e ? targetName(e.target, ctx) : recordedTarget(event, ctx);
  const level = levelOf(event);
  const text = ctx.plain(event.text);
  switch (dataString(event, 'step')) {
    case 'paged': {
      const isPolicy = e ? e.target.kind === 'policy' : target?.startsWith('policy ');
      const who = e && level !== undefined && isPolicy ? levelNames(e, level, ctx) : undefined;
      const of = isPolicy && level !== undefined ? `level ${level + 1} of ${target}` : undefined;
      const head = who && of ? `Paged ${who} (${of})` : of ? `Paged ${of}` : `Paged ${target ?? 'someone'}`;
      return text ? `${head}: ${text}` : head;
    }
    case 'timed_out': {
      if (text) return text;
      const next = e && level !== undefined && level + 1 < e.levels.length ? `; paging level ${level + 2}` : '';
      return `${level === undefined ? 'A level' : `Level ${level + 1}`} timed out without acknowledgement${next}`;
    }
    case 'cancelled': {
      if (text) return text;
      const cause = facts.cancelCause(event.at);
      return `Escalation${target ? ` to ${target}` : ''} cancelled${cause ? `: ${cause}` : ''}`;
    }
    case 'exhausted':
      if (text) return text;
      if (target?.startsWith('policy ')) return `All levels of ${target} paged without acknowledgement`;
      return `${target ?? 'Every level'} paged without acknowledgement`;
    default:
      return text || (target ? `Escalated to ${target}` : 'Escalated');
  }
}

/** Words for an `acknowledged` entry recorded without text. */
export function describeAcknowledgement(event: TimelineEvent, facts: EscalationFacts, ctx: Context): string {
  const e = facts.get(event);
  const target = e ? targetName(e.target, ctx) : recordedTarget(event, ctx);
  return target ? `Acknowledged the page to ${target}` : 'Incident acknowledged';
}

function levelOf(event: TimelineEvent): number | undefined {
  const level = event.data?.level;
  return typeof level === 'number' && Number.isInteger(level) && level >= 0 ? level : undefined;
}

/**
 * A policy level for the timeline: its groups by handle when all are known, else the people it
 * paged once expanded, else whatever was configured ("@S0123" for a group nobody named).
 */
function levelNames(e: Escalation, level: number, ctx: Context): string | undefined {
  const config = e.levels[level];
  const page = e.pages.find((p) => p.level === level);
  const groupsNamed = config?.usergroupIds.every((id) => ctx.knows(id)) ?? false;
  const labels =
    !groupsNamed && page?.userIds?.length
      ? page.userIds.map((id) => `@${ctx.name(id)}`)
      : configuredRecipients(e, level, ctx).map((r) => (r.kind === 'user' ? `@${r.name}` : r.name));
  return labels.length ? labels.join(', ') : undefined;
}
