// The incident's one card in the announcement channel: posted once, then edited in place as the
// incident moves (severity, status, commander, latest update), so stakeholders follow one message.

import { incidentKey, type Incident } from '../domain/incident';
import { formatClockTime, formatDateTime, humanizeDuration } from '../domain/time-format';
import type { ChatMessage, ChatMetadata } from '../ports/chat-gateway';
import { nextUpdateNote, SEVERITY_EMOJI } from './incident-header';
import { mentionChannel, mentionUser } from './text';
import { truncate } from '../shared/truncate';

/** Tags the card, so a post whose answer was lost in a crash is found again instead of posted twice. */
export function announcementMetadata(incident: Pick<Incident, 'id'>): ChatMetadata {
  return { type: 'incident_announcement', payload: { incident_id: incident.id } };
}

const field = (label: string, value: string) => ({ type: 'mrkdwn', text: `*${label}*\n${value}` });

export function announcementCard(incident: Incident, timeZone: string): ChatMessage {
  const key = incidentKey(incident);
  const where = incident.chat ? mentionChannel(incident.chat.channelId) : '_its channel is being created_';
  const ended =
    incident.resolvedAt !== undefined
      ? field('Resolved', `${formatDateTime(incident.resolvedAt, timeZone)} (after ${humanizeDuration(incident.resolvedAt - incident.declaredAt)})`)
      : field('Started', formatDateTime(incident.declaredAt, timeZone));
  const latest = incident.latestUpdate;
  const update = latest ? `*Latest update* (${formatClockTime(latest.at, timeZone)}, ${mentionUser(latest.by)}):\n${truncate(latest.text, 2500)}` : '*Latest update:* _none yet_';
  const next = nextUpdateNote(incident, timeZone);
  return {
    text: `${SEVERITY_EMOJI[incident.severity]} ${key} (${incident.severity}, ${incident.status}): ${incident.title} — in ${where}${latest ? `. Latest: ${truncate(latest.text, 200)}` : ''}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${SEVERITY_EMOJI[incident.severity]} *${key}: ${truncate(incident.title, 200)}*` } },
      {
        type: 'section',
        fields: [field('Severity', incident.severity), field('Status', incident.status), field('Commander', mentionUser(incident.commanderId)), ended],
      },
      { type: 'section', text: { type: 'mrkdwn', text: update } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Follow along in ${where}.${next}` }] },
    ],
    metadata: announcementMetadata(incident),
  };
}
