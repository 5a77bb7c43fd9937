// The form that writes a stakeholder update (the use case words the update itself: usecases/updates.ts).

import { incidentKey, SETTABLE_STATUSES, type Incident } from '../domain/incident';
import { UPDATE_VIEW as IDS } from './ids';
import { type ModalMetadata } from './modal-metadata';
import { formModal, selectOption as option } from './modal';

/** Choices for "next update in"; the severity's cadence is the default when it is one of them. */
export const NEXT_UPDATE_MINUTES = [10, 15, 30, 60, 120] as const;

export function updateModal(incident: Incident, metadata: ModalMetadata, defaultNextMinutes?: number): Record<string, unknown> {
  const current = (SETTABLE_STATUSES as readonly string[]).includes(incident.status) && incident.status !== 'resolved' ? incident.status : 'investigating';
  const statuses = SETTABLE_STATUSES.filter((s) => s !== 'resolved');
  const next = NEXT_UPDATE_MINUTES.find((m) => m === defaultNextMinutes) ?? 30;
  const text = (block: string, action: string, label: string, optional: boolean, placeholder: string) => ({
    type: 'input',
    block_id: block,
    optional,
    label: { type: 'plain_text', text: label },
    element: { type: 'plain_text_input', action_id: action, multiline: true, max_length: 2500, placeholder: { type: 'plain_text', text: placeholder } },
  });
  return formModal({
    callbackId: IDS.callbackId,
    metadata,
    title: `Update ${incidentKey(incident)}`,
    submit: 'Post update',
    blocks: [
      {
        type: 'input',
        block_id: IDS.statusBlock,
        label: { type: 'plain_text', text: 'Current status' },
        element: { type: 'static_select', action_id: IDS.statusInput, initial_option: option(current, current), options: statuses.map((s) => option(s, s)) },
      },
      text(IDS.knownBlock, IDS.knownInput, 'What we know', false, 'Checkout fails for 30% of EU customers since 13:05'),
      text(IDS.doingBlock, IDS.doingInput, 'What we are doing', true, 'Rolling back build 142'),
      text(IDS.needBlock, IDS.needInput, 'What we need', true, 'Someone from the payments team'),
      {
        type: 'input',
        block_id: IDS.nextBlock,
        label: { type: 'plain_text', text: 'Next update in' },
        element: {
          type: 'static_select',
          action_id: IDS.nextInput,
          initial_option: option(String(next), `${next} minutes`),
          options: NEXT_UPDATE_MINUTES.map((m) => option(String(m), `${m} minutes`)),
        },
      },
    ],
  });
}
