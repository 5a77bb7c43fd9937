// Timeline events → timeline rows: who, when, and words for entries recorded without text.

import type { Incident } from '../domain/incident';
import { TIMELINE_KIND_LABELS, type TimelineEvent } from '../domain/timeline';
import { describeAcknowledgement, describeEscalation, type EscalationFacts } from './compile-escalations';
import { capitalize, dataString, type Context } from './context';
import type { TimelineRow } from './model';

export function timelineRow(event: TimelineEvent, incident: Incident, facts: EscalationFacts, ctx: Context): TimelineRow {
  const permalink = dataString(event, 'permalink');
  return {
    ...(permalink && /^https?:\/\//.test(permalink) ? { source: { label: 'original message', url: permalink } } : {}),
    at: event.at,
    time: ctx.time(event.at),
    // An integration's message (an alert) has no person behind it, only the name Slack showed.
    author: event.actorId ? ctx.name(event.actorId) : ctx.data(event, 'author'),
    kind: event.kind,
    // An entry fixed after the fact says so; the appendix says what it read before.
    kindLabel: event.data?.edited ? `${kindLabel(event, ctx)}, edited` : kindLabel(event, ctx),
    // A page's text is only its reason: who was paged must be said too.
    text: event.kind === 'escalation' ? describeEscalation(event, facts, ctx) : ctx.plain(event.text) || describe(event, incident, facts, ctx),
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
function describe(event: TimelineEvent, incident: Incident, facts: EscalationFacts, ctx: Context): string {
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
      return describeAcknowledgement(event, facts, ctx);
    case 'resolved':
      return 'Incident resolved';
    case 'closed':
      return 'Incident closed';
    default:
      return '(no text)';
  }
}
