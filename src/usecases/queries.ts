// Read-only answers: the timeline so far (as corrected, with Edit / Remove where the asker may fix an entry), open incidents.

import { truncate } from '../shared/truncate';
import { applyCorrections, mayCorrect } from '../domain/corrections';
import { incidentKey } from '../domain/incident';
import { TIMELINE_KIND_LABELS, type TimelineEvent } from '../domain/timeline';
import { formatClockTime, formatDateTime, humanizeDuration, sameDay } from '../domain/time-format';
import type { Invocation, Reply, UseCaseDeps } from './context';
import { entryRefValue } from './corrections';
import { incidentForChannel } from './incident-lookup';
import { channel, joined, link, said, user, type Text } from '../domain/said';

const TIMELINE_LINES = 40;

/** What the entry says, its own text cut to a listing line. */
function describe(event: TimelineEvent): Text {
  const d = event.data ?? {};
  const text = truncate(event.text, 300);
  switch (event.kind) {
    case 'status':
    case 'severity':
      return `${String(d.from)} → ${String(d.to)}${text ? `: ${text}` : ''}`;
    case 'lead':
      return said`${user(String(d.to))} took command`;
    case 'role':
      return said`${user(String(d.to))} is ${String(d.role)}`;
    case 'action':
      return said`${text}${typeof d.owner === 'string' ? said` (owner ${user(d.owner)})` : ''}`;
    default:
      return text;
  }
}

export async function showTimeline(deps: UseCaseDeps, who: Invocation): Promise<Reply> {
  const incident = await incidentForChannel(deps.store, who.channelId, 'timeline');
  const events = applyCorrections(await deps.store.listTimeline(incident.id)).filter((e) => e.kind !== 'postmortem');
  const tz = deps.settings.timeZone;
  const shown = events.slice(-TIMELINE_LINES);
  const multiDay = events.length > 0 && !sameDay(events[0].at, events[events.length - 1].at, tz);
  const entries = shown.map((e) => {
    const when = multiDay ? formatDateTime(e.at, tz) : formatClockTime(e.at, tz);
    const author = e.actorId ? said` ${user(e.actorId)}` : typeof e.data?.author === 'string' ? ` ${e.data.author}` : '';
    const edited = e.data?.edited ? ' _(edited)_' : '';
    const original = typeof e.data?.permalink === 'string' ? said` (${link(e.data.permalink, 'original')})` : '';
    const line = said`• *${when}* ${TIMELINE_KIND_LABELS[e.kind]}${author}: ${describe(e)}${original}${edited}`;
    // Buttons to fix an entry only where the asker may: they see the reply alone.
    return mayCorrect(incident, e, who.userId) ? { line, ref: entryRefValue({ incidentId: incident.id, eventId: e.id }) } : { line };
  });
  const skipped = events.length - shown.length;
  const head = `*Timeline of ${incidentKey(incident)}: ${incident.title}*${skipped ? ` (last ${shown.length} of ${events.length}; the postmortem has all)` : ''}`;
  return { text: joined([head, ...entries.map((e) => e.line)], '\n'), timeline: { head, entries } };
}

export async function listOpenIncidents(deps: UseCaseDeps, who: Invocation): Promise<Reply> {
  const open = await deps.store.listOpenIncidents(who.teamId);
  // Private incidents stay out of a list anyone can ask for.
  const visible = open.filter((i) => !i.isPrivate);
  if (visible.length === 0) return { text: 'No open incidents. :sunny:' };
  const tz = deps.settings.timeZone;
  const now = deps.clock.now();
  const lines = visible.map((i) => {
    const where = i.chat ? channel(i.chat.channelId) : '_channel being created_';
    return said`• *${incidentKey(i)}* ${i.severity} · ${i.status} — ${truncate(i.title, 120)} — ${where} — since ${formatClockTime(i.declaredAt, tz)} (${humanizeDuration(now - i.declaredAt)})`;
  });
  return { text: joined([`*Open incidents (${visible.length})*`, ...lines], '\n') };
}
