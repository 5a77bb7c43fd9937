// Submission of the "Fix the record" form: the entry's new text, escaped on entry like every form's,
// with user and channel mentions kept as mentions.

import { errorReply } from '../../app/error-reply';
import { withRequest, type BotServices } from '../../app/services';
import { EDIT_ENTRY_VIEW as IDS } from '../../blocks/ids';
import { parseModalMetadata } from '../../blocks/modal-metadata';
import { editEntry, parseEntryRef } from '../../usecases/corrections';
import { formInput, submitter } from './form-input';
import type { FormSubmission } from './form-router';

/** `<@U123>` and `<#C123|name>` typed (or kept) in the form are mentions, not text to escape. */
export function keepMentions(escaped: string): string {
  return escaped.replace(/&lt;([@#][UWC][A-Z0-9]+(?:\|[^&<>]*)?)&gt;/g, '<$1>');
}

export function editEntryForm(shared: BotServices): Record<string, FormSubmission> {
  return {
    [IDS.callbackId]: async ({ ack, body, view, context }) => {
      const services = withRequest(shared, context);
      const text = keepMentions(formInput(view).text(IDS.textBlock, IDS.textInput));
      const metadata = parseModalMetadata(view.private_metadata);
      const ref = parseEntryRef(metadata?.entry ?? '');
      if (!metadata || !ref) {
        await ack({ response_action: 'errors', errors: { [IDS.textBlock]: 'This form lost its entry; run /incident timeline and press Edit again.' } });
        return;
      }
      const log = services.logger.child({ view: IDS.callbackId, userId: body.user.id });
      try {
        await editEntry(services.deps, submitter(body, view, metadata.channelId), ref, text);
        await ack();
        services.wakeEffects();
      } catch (error) {
        await ack({ response_action: 'errors', errors: { [IDS.textBlock]: errorReply(error, log, {}) } });
      }
    },
  };
}
