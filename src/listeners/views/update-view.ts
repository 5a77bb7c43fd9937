// The stakeholder update form: opened by `/incident update` without text or the reminder's "Post
// update" button, submitted here. Its text arrives as typed and is escaped on entry, like the
// Declare form's.

import { errorReply } from '../../app/error-reply';
import { withRequest, type BotServices } from '../../app/services';
import { UPDATE_VIEW as IDS } from '../../blocks/ids';
import { parseModalMetadata } from '../../blocks/modal-metadata';
import { updateModal } from '../../blocks/update-message';
import { parseSettableStatus } from '../../domain/incident';
import type { ChatGateway } from '../../ports/chat-gateway';
import type { UseCaseDeps } from '../../usecases/context';
import { openIncidentForChannel } from '../../usecases/incident-lookup';
import { postUpdate } from '../../usecases/updates';
import { formInput, submitter } from './form-input';
import type { FormSubmission } from './form-router';

/** Opens the form for the incident of this channel; throws the usual "not an incident channel" error. */
export async function openUpdateForm(deps: UseCaseDeps, chat: ChatGateway, triggerId: string, channelId: string): Promise<void> {
  const incident = await openIncidentForChannel(deps.store, channelId, 'update');
  const every = deps.settings.reminders.updateEvery[incident.severity];
  await chat.openModal(triggerId, updateModal(incident, { channelId }, every === undefined ? undefined : every / 60_000));
}

export function updateForm(shared: BotServices): Record<string, FormSubmission> {
  return {
    [IDS.callbackId]: async ({ ack, body, view, context }) => {
      const services = withRequest(shared, context);
      const form = formInput(view);
      const known = form.text(IDS.knownBlock, IDS.knownInput);
      if (!known) {
        await ack({ response_action: 'errors', errors: { [IDS.knownBlock]: 'Say what we know so far.' } });
        return;
      }
      const metadata = parseModalMetadata(view.private_metadata);
      if (!metadata) {
        await ack({ response_action: 'errors', errors: { [IDS.knownBlock]: 'This form lost its incident; open it again with /incident update in the incident channel.' } });
        return;
      }
      const status = parseSettableStatus(form.selected(IDS.statusBlock, IDS.statusInput));
      const minutes = Number(form.selected(IDS.nextBlock, IDS.nextInput));
      const log = services.logger.child({ view: IDS.callbackId, userId: body.user.id });
      try {
        await postUpdate(services.deps, submitter(body, view, metadata.channelId), {
          known,
          doing: form.text(IDS.doingBlock, IDS.doingInput),
          need: form.text(IDS.needBlock, IDS.needInput),
          ...(status && status !== 'resolved' ? { status } : {}),
          ...(Number.isInteger(minutes) && minutes > 0 && minutes <= 24 * 60 ? { nextInMs: minutes * 60_000 } : {}),
        });
        await ack();
        services.wakeEffects();
      } catch (error) {
        await ack({ response_action: 'errors', errors: { [IDS.knownBlock]: errorReply(error, log, {}) } });
      }
    },
  };
}
