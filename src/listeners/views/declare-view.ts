// Submission of the "Declare an incident" form.

import { parseModalMetadata } from '../../blocks/modal-metadata';
import { DECLARE_VIEW as IDS } from '../../blocks/ids';
import { parseSeverity } from '../../domain/incident';
import { errorReply } from '../../app/error-reply';
import { withRequest, type BotServices } from '../../app/services';
import { declareIncident } from '../../usecases/declare-incident';
import { formInput, submitter } from './form-input';
import type { FormSubmission } from './form-router';

export function declareForm(shared: BotServices): Record<string, FormSubmission> {
  return {
    [IDS.callbackId]: async ({ ack, body, view, context }) => {
      const services = withRequest(shared, context);
      const form = formInput(view);
      const title = form.text(IDS.titleBlock, IDS.titleInput);
      if (!title) {
        await ack({ response_action: 'errors', errors: { [IDS.titleBlock]: 'Give the incident a short title.' } });
        return;
      }
      const severity = parseSeverity(form.selected(IDS.severityBlock, IDS.severityInput));
      const description = form.text(IDS.descriptionBlock, IDS.descriptionInput) || undefined;
      const metadata = parseModalMetadata(view.private_metadata);
      const log = services.logger.child({ view: IDS.callbackId, userId: body.user.id });
      try {
        await declareIncident(services.deps, submitter(body, view, metadata?.channelId ?? body.user.id), { title, severity, description, isPrivate: false });
        await ack();
        services.wakeEffects();
      } catch (error) {
        await ack({ response_action: 'errors', errors: { [IDS.titleBlock]: errorReply(error, log, {}) } });
      }
    },
  };
}
