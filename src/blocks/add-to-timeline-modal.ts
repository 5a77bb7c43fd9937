// The form "Add to incident timeline" opens: which incident, and the message as it will be added.

import { incidentKey, type Incident } from '../domain/incident';
import { formatDateTime } from '../domain/time-format';
import { tsToMillis } from '../domain/transcript';
import { ADD_TO_TIMELINE_VIEW as IDS } from './ids';
import type { ModalMetadata } from './modal-metadata';
import { formModal, selectOption } from './modal';
import { mentionChannel, mentionUser } from './text';
import { truncate } from '../shared/truncate';

// Slack's limits: 100 options in a static select, 75 characters in an option's text.
const MAX_OPTIONS = 100;
const OPTION_TEXT = 75;

function option(incident: Incident) {
  return selectOption(incident.id, truncate(`${incidentKey(incident)} ${incident.title} (${incident.severity})`, OPTION_TEXT));
}

export function addToTimelineModal(
  choices: { incidents: Incident[]; initial?: string },
  metadata: ModalMetadata & { message: NonNullable<ModalMetadata['message']> },
  timeZone: string,
): Record<string, unknown> {
  const { message } = metadata;
  const initial = choices.incidents.find((i) => i.id === choices.initial);
  const author = message.authorName ?? mentionUser(message.userId);
  return formModal({
    callbackId: IDS.callbackId,
    metadata,
    title: 'Add to timeline',
    submit: 'Add',
    blocks: [
      {
        type: 'input',
        block_id: IDS.incidentBlock,
        label: { type: 'plain_text', text: 'Incident' },
        element: {
          type: 'static_select',
          action_id: IDS.incidentInput,
          placeholder: { type: 'plain_text', text: 'Pick an open incident' },
          options: choices.incidents.slice(0, MAX_OPTIONS).map(option),
          ...(initial ? { initial_option: option(initial) } : {}),
        },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `From ${author} in ${mentionChannel(metadata.channelId)}, ${formatDateTime(tsToMillis(message.ts), timeZone)}: kept with its author and time, linked to the original.`,
          },
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: truncate(message.text || '_(no text)_', 2900) } },
    ],
  });
}
