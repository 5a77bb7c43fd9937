// The App Home tab: a Declare button, the person's open incidents, every open incident they may
// see, and recent postmortems with their Confluence links. Rebuilt whenever the tab is opened.

import { incidentKey, type Incident } from '../domain/incident';
import { formatClockTime, formatDate, formatDateTime, sameDay } from '../domain/time-format';
import type { AppHome, HomeIncident } from '../usecases/app-home';
import { HOME_DECLARE_ACTION } from './ids';
import { SEVERITY_EMOJI } from './incident-header';
import { mentionChannel } from './text';
import { truncate } from '../shared/truncate';

type Block = Record<string, unknown>;

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): Block => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
const heading = (text: string): Block => ({ type: 'header', text: { type: 'plain_text', text } });

function where(incident: Incident): string {
  return incident.chat ? mentionChannel(incident.chat.channelId) : '_channel being created_';
}

function when(ms: number, now: number, timeZone: string): string {
  return sameDay(ms, now, timeZone) ? formatClockTime(ms, timeZone) : formatDateTime(ms, timeZone);
}

function openLine({ incident, part }: HomeIncident, now: number, timeZone: string): string {
  const lock = incident.isPrivate ? ' :lock:' : '';
  const yours = part ? ` · you are ${part === 'declarer' ? 'the declarer' : part}` : '';
  return `${SEVERITY_EMOJI[incident.severity]} *${incidentKey(incident)}* ${truncate(incident.title, 120)}${lock} — ${incident.severity}, ${incident.status} · ${where(incident)} · since ${when(incident.declaredAt, now, timeZone)}${yours}`;
}

function recentLine(incident: Incident, timeZone: string): string {
  const page = incident.confluencePage;
  const postmortem = page ? `<${page.url}|Postmortem on Confluence>` : `postmortem draft in ${where(incident)}`;
  const closed = incident.closedAt === undefined ? '' : `closed ${formatDate(incident.closedAt, timeZone)} · `;
  return `*${incidentKey(incident)}* ${truncate(incident.title, 120)} — ${incident.severity} · ${closed}${postmortem}`;
}

function list(lines: string[], empty: string): Block[] {
  return lines.length ? lines.map(section) : [context(empty)];
}

export function appHomeView(home: AppHome, options: { now: number; timeZone: string }): Record<string, unknown> {
  const { now, timeZone } = options;
  const blocks: Block[] = [
    heading('Incident Commander'),
    {
      type: 'actions',
      elements: [{ type: 'button', action_id: HOME_DECLARE_ACTION, style: 'danger', text: { type: 'plain_text', text: 'Declare an incident' } }],
    },
    context('Or type `/incident start <title> [sev1-sev4]` in any channel.'),
    { type: 'divider' },
    section('*Your open incidents*'),
    ...list(
      home.mine.map((h) => openLine(h, now, timeZone)),
      'None: nothing you run, declared or hold a role in is open.',
    ),
    { type: 'divider' },
    section(`*All open incidents* (${home.open.length + home.moreOpen})`),
    ...list(
      home.open.map((h) => openLine(h, now, timeZone)),
      'No open incidents. :tada:',
    ),
    ...(home.moreOpen ? [context(`…and ${home.moreOpen} more, older.`)] : []),
    { type: 'divider' },
    section('*Recent postmortems*'),
    ...list(
      home.recent.map((i) => recentLine(i, timeZone)),
      'No closed incidents yet.',
    ),
    context(`Updated ${formatDateTime(now, timeZone)}. Private incidents show only to their channel's members.`),
  ];
  return { type: 'home', blocks };
}
