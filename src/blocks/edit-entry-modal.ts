// The form the Edit button under a timeline entry opens: the entry's text, ready to fix.

import { EDIT_ENTRY_VIEW as IDS } from './ids';
import type { ModalMetadata } from './modal-metadata';
import { formModal } from './modal';

/** Stored text is in Slack's escaped form; the form shows it as typed (mentions stay tokens, kept on save). */
function asTyped(stored: string): string {
  return stored.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

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
        element: { type: 'plain_text_input', action_id: IDS.textInput, multiline: true, max_length: 3000, initial_value: asTyped(entry.text).slice(0, 3000) },
      },
    ],
  });
}
