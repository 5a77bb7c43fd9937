// The frame every form of the bot shares: its callback id, the channel it came from, and
// Cancel beside the submit button.

import { modalMetadata, type ModalMetadata } from './modal-metadata';

export interface FormModal {
  callbackId: string;
  metadata: ModalMetadata;
  title: string;
  submit: string;
  blocks: unknown[];
}

export function formModal(form: FormModal): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: form.callbackId,
    private_metadata: modalMetadata(form.metadata),
    title: { type: 'plain_text', text: form.title },
    submit: { type: 'plain_text', text: form.submit },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: form.blocks,
  };
}

export function selectOption(value: string, text: string) {
  return { text: { type: 'plain_text', text }, value };
}
