// The direct message a paged person gets, and what it becomes once the page has ended.

import type { Escalation } from '../domain/escalation';
import { targetLabel } from './escalation-target';
import { incidentKey, type Incident } from '../domain/incident';
import { levelNote, pageOutcome } from '../domain/page-outcome';
import type { ChatMessage } from '../ports/chat-gateway';
import { ESCALATION_ACK_ACTION } from './ids';
import { slackText } from './said';
import { mentionChannel, mentionUser } from './text';
import { truncate } from '../shared/truncate';

function where(incident: Incident): string {
  return incident.chat ? mentionChannel(incident.chat.channelId) : 'the incident channel (being created)';
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
export function settledPageMessage(incident: Incident, escalation: Escalation, timeZone: string): ChatMessage {
  const text = `${incidentKey(incident)} (${incident.severity}): ${truncate(incident.title, 150)} — this page was ${slackText(pageOutcome(escalation, timeZone))}. Channel: ${where(incident)}.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
