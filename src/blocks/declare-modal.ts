// The form `/incident start` opens when no title is given.

import { DEFAULT_SEVERITY, SEVERITIES } from '../domain/incident';
import { DECLARE_VIEW as IDS } from './ids';
import { type ModalMetadata } from './modal-metadata';
import { formModal, selectOption as option } from './modal';

const SEVERITY_LABELS: Record<(typeof SEVERITIES)[number], string> = {
  sev1: 'SEV1 — critical, customer-facing outage',
  sev2: 'SEV2 — major degradation',
  sev3: 'SEV3 — minor, limited impact',
  sev4: 'SEV4 — no customer impact yet',
};

export function declareModal(metadata: ModalMetadata): Record<string, unknown> {
  return formModal({
    callbackId: IDS.callbackId,
    metadata,
    title: 'Declare an incident',
    submit: 'Declare',
    blocks: [
      {
        type: 'input',
        block_id: IDS.titleBlock,
        label: { type: 'plain_text', text: 'Title' },
        element: { type: 'plain_text_input', action_id: IDS.titleInput, max_length: 150, placeholder: { type: 'plain_text', text: 'Checkout is slow for EU customers' } },
      },
      {
        type: 'input',
        block_id: IDS.severityBlock,
        label: { type: 'plain_text', text: 'Severity' },
        element: {
          type: 'static_select',
          action_id: IDS.severityInput,
          initial_option: option(DEFAULT_SEVERITY, SEVERITY_LABELS[DEFAULT_SEVERITY]),
          options: SEVERITIES.map((s) => option(s, SEVERITY_LABELS[s])),
        },
      },
      {
        type: 'input',
        block_id: IDS.descriptionBlock,
        optional: true,
        label: { type: 'plain_text', text: 'Short description' },
        element: { type: 'plain_text_input', action_id: IDS.descriptionInput, multiline: true, max_length: 2000 },
      },
    ],
  });
}
