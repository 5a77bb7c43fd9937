// The direct message a paged person gets, and what it becomes once the page has ended.

import type { Escalation } from '../domain/escalation';
import { targetLabel } from './escalation-target';
import { incidentKey, type Incident } from '../domain/incident';
import { formatClockTime, humanizeDuration } from '../domain/time-format';
import type { ChatMessage } from '../ports/chat-gateway';
import { ESCALATION_ACK_ACTION } from './ids';
import { mentionChannel, mentionUser, truncate } from './text';

function where(incident: Incident): string {
  return incident.chat ? mentionChannel(incident.chat.channelId) : 'the incident channel (being created)';
}

function levelNote(escalation: Escalation, level: number): string {
  return escalation.levels.length > 1 ? ` (level ${level + 1} of ${escalation.levels.length})` : '';
}

export function pageMessage(incident: Incident, escalation: Escalation, level: number): ChatMessage {
  const reason = escalation.reason ? truncate(escalation.reason, 500) : '_no reason given_';
  const summary =
    `:rotating_light: *You are paged for ${incidentKey(incident)}* (${incident.severity}): ${truncate(incident.title, 150)}\n` +
    `Requested by ${mentionUser(escalation.requestedBy)} via ${targetLabel(escalation.target)}${levelNote(escalation, level)}. Reason: ${reason}\n` +
    `Join ${where(incident)}.`;
  return {
    text: `You are paged for ${incidentKey(incident)} (${incident.severity}): ${incident.title}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: summary } },
      {
        type: 'actions',
        block_id: 'page_actions',
        elements: [
          {
            type: 'button',
            action_id: ESCALATION_ACK_ACTION,
            style: 'primary',
            text: { type: 'plain_text', text: 'Acknowledge' },
            value: escalation.id,
          },
        ],
      },
    ],
  };
}

/** How a page ended, in words; shared by the DM, the channel and `/incident escalations`. */
export function pageOutcome(escalation: Escalation, timeZone: string): string {
  switch (escalation.state) {
    case 'acknowledged': {
      const at = escalation.acknowledgedAt ?? escalation.createdAt;
      return `acknowledged by ${mentionUser(escalation.acknowledgedBy ?? '?')} at ${formatClockTime(at, timeZone)}, ${humanizeDuration(at - escalation.createdAt)} after the first page`;
    }
    case 'cancelled':
      return `cancelled at ${formatClockTime(escalation.endedAt ?? escalation.createdAt, timeZone)} (the incident was resolved)`;
    case 'exhausted':
      return `not acknowledged: every level was paged (last timed out at ${formatClockTime(escalation.endedAt ?? escalation.createdAt, timeZone)})`;
    case 'paging': {
      const deadline = escalation.deadlineAt !== undefined ? `, times out at ${formatClockTime(escalation.deadlineAt, timeZone)}` : '';
      return `paging${levelNote(escalation, escalation.currentLevel)} since ${formatClockTime(escalation.pages.at(-1)?.pagedAt ?? escalation.createdAt, timeZone)}${deadline}`;
    }
  }
}

export function settledPageMessage(incident: Incident, escalation: Escalation, timeZone: string): ChatMessage {
  const text = `${incidentKey(incident)} (${incident.severity}): ${truncate(incident.title, 150)} — this page was ${pageOutcome(escalation, timeZone)}. Channel: ${where(incident)}.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
