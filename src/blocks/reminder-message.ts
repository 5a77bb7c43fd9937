// What the commander sees when an update is late (with buttons), and the nudges about roles and severity.

import { incidentKey, type Incident } from '../domain/incident';
import { SNOOZE_MINUTES } from '../domain/reminders';
import { formatClockTime, humanizeDuration } from '../domain/time-format';
import type { ChatMessage } from '../ports/chat-gateway';
import { REMINDER_ACTIONS } from './ids';
import { mentionUser } from './text';

const button = (actionId: string, text: string, value: string, style?: 'primary') => ({
  type: 'button',
  action_id: actionId,
  text: { type: 'plain_text', text },
  value,
  ...(style ? { style } : {}),
});

export function updateReminderMessage(incident: Incident, now: number, timeZone: string): ChatMessage {
  const latest = incident.latestUpdate;
  const since = latest
    ? `the last update was ${humanizeDuration(now - latest.at)} ago (${formatClockTime(latest.at, timeZone)}, by ${mentionUser(latest.by)})`
    : `no update since it was declared ${humanizeDuration(now - incident.declaredAt)} ago`;
  const text = `:alarm_clock: ${mentionUser(incident.commanderId)}, ${incidentKey(incident)} (${incident.severity}) is due a stakeholder update: ${since}.`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${text}\nPost one with \`/incident update\` or the button.` } },
      {
        type: 'actions',
        block_id: 'update_reminder',
        elements: [
          button(REMINDER_ACTIONS.postUpdate, 'Post update', incident.id, 'primary'),
          button(REMINDER_ACTIONS.snooze15, `Snooze ${SNOOZE_MINUTES[0]}m`, incident.id),
          button(REMINDER_ACTIONS.snooze30, `Snooze ${SNOOZE_MINUTES[1]}m`, incident.id),
          button(REMINDER_ACTIONS.stop, 'Stop reminders', incident.id),
        ],
      },
    ],
  };
}

export function rolesNudge(incident: Incident, now: number): ChatMessage {
  return {
    text: `:busts_in_silhouette: ${mentionUser(incident.commanderId)}, nobody holds a role in ${incidentKey(incident)} ${humanizeDuration(now - incident.declaredAt)} after it was declared. Hand some out so you can lead: \`/incident role comms @person\`, \`/incident role scribe @person\`.`,
  };
}

export function severityNudge(incident: Incident, since: number, now: number): ChatMessage {
  return {
    text: `:thinking_face: ${mentionUser(incident.commanderId)}, ${incidentKey(incident)} has been *${incident.severity}* for ${humanizeDuration(now - since)}. Is that still right? \`/incident severity sev1|sev2|sev3|sev4\``,
  };
}
