// The pinned header of an incident channel and the announcement: Block Kit built from the incident.

import type { ChatMessage, ChatMetadata } from '../ports/chat-gateway';
import type { Escalation } from '../domain/escalation';
import { targetLabel } from './escalation-target';
import { pageOutcome } from '../domain/page-outcome';
import { slackText } from './said';
import { incidentKey, type Incident } from '../domain/incident';
import { formatClockTime, formatDateTime, humanizeDuration } from '../domain/time-format';
import { mentionUser } from './text';
import { truncate } from '../shared/truncate';
import type { TimelineSummary } from '../ports/chat-messages';

export const SEVERITY_EMOJI: Record<Incident['severity'], string> = {
  sev1: ':red_circle:',
  sev2: ':large_orange_circle:',
  sev3: ':large_yellow_circle:',
  sev4: ':white_circle:',
};

/** " Next update by 2:15 PM (UTC)." while one is due; shown on the card and in the header. */
export function nextUpdateNote(incident: Pick<Incident, 'reminders'>, timeZone: string): string {
  const due = incident.reminders?.due.update;
  return due === undefined ? '' : ` Next update by ${formatClockTime(due, timeZone)}.`;
}

const field = (label: string, value: string) => ({ type: 'mrkdwn', text: `*${label}*\n${value}` });

function escalationLine(escalation: Escalation, timeZone: string): string {
  return `• ${targetLabel(escalation.target)}: ${slackText(pageOutcome(escalation, timeZone))}`;
}

/** The header's tag (Slack message metadata), so a post whose answer was lost in a crash is found again. */
export function headerMetadata(incident: Pick<Incident, 'id'>): ChatMetadata {
  return { type: 'incident_header', payload: { incident_id: incident.id } };
}

export function headerMessage(incident: Incident, timeZone: string, escalations: readonly Escalation[] = [], timeline?: TimelineSummary): ChatMessage {
  const key = incidentKey(incident);
  const fields = [
    field('Severity', `${SEVERITY_EMOJI[incident.severity]} ${incident.severity}`),
    field('Status', incident.status),
    field('Commander', mentionUser(incident.commanderId)),
    field('Started', formatDateTime(incident.declaredAt, timeZone)),
  ];
  for (const [role, userId] of Object.entries(incident.roles)) fields.push(field(role, mentionUser(userId)));
  if (incident.resolvedAt !== undefined) {
    fields.push(field('Resolved', `${formatDateTime(incident.resolvedAt, timeZone)} (after ${humanizeDuration(incident.resolvedAt - incident.declaredAt)})`));
  }
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${key}: ${incident.title}`, 150), emoji: true } },
    // Slack allows at most 10 fields in a section.
    { type: 'section', fields: fields.slice(0, 10) },
  ];
  if (incident.description) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(incident.description, 2900) } });
  }
  if (escalations.length > 0) {
    // Most recent last, and only a few: the full list is `/incident escalations`.
    const lines = escalations.slice(-5).map((e) => escalationLine(e, timeZone));
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(`*Escalations*\n${lines.join('\n')}`, 2900) } });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${timeline ? `*Timeline:* ${timeline.entries} entr${timeline.entries === 1 ? 'y' : 'ies'}${timeline.latestAt !== undefined ? `, latest ${formatDateTime(timeline.latestAt, timeZone)}` : ''}. ` : ''}Add to it with \`/incident note …\` or react with :pushpin: on any message. \`/incident help\` lists every command.${nextUpdateNote(incident, timeZone)}`,
      },
    ],
  });
  return { text: `${key}: ${incident.title} — ${incident.severity}, ${incident.status}`, blocks, metadata: headerMetadata(incident) };
}

/** Static on purpose: status and roles live in the pinned header, which is kept current. */
export function channelTopic(incident: Incident): string {
  return truncate(`${incidentKey(incident)}: ${incident.title} — status and roles in the pinned header`, 250);
}

export function channelPurpose(incident: Incident): string {
  const about = incident.description ?? 'Incident response: notes, decisions and the timeline for the postmortem.';
  return truncate(`${incidentKey(incident)} — ${about}`, 250);
}
