// The form the Edit button under a timeline entry opens: the entry's text, ready to fix.

import { EDIT_ENTRY_VIEW as IDS } from './ids';
import type { ModalMetadata } from './modal-metadata';
import { formModal } from './modal';
import { unescapePlainText } from './text';

export function editEntryModal(entry: { label: string; when: string; text: string }, metadata: ModalMetadata & { entry: string }): Record<string, unknown> {
  return formModal({
    callbackId: IDS.callbackId,
    metadata,
    title: 'Fix the record',
    submit: 'Save',
    blocks: [
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `The ${entry.label} of ${entry.when}. The change is recorded with your name; the original stays on the audit trail.` }],
      },
      {
        type: 'input',
        block_id: IDS.textBlock,
        label: { type: 'plain_text', text: 'Text' },
        // Shown as typed; mentions stay tokens, which the form's submission keeps as mentions.
        element: { type: 'plain_text_input', action_id: IDS.textInput, multiline: true, max_length: 3000, initial_value: unescapePlainText(entry.text).slice(0, 3000) },
      },
    ],
  });
}
