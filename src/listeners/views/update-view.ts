// The stakeholder update form: opened by `/incident update` without text or the reminder's "Post
// update" button, submitted here. Its text arrives as typed and is escaped on entry, like the
// Declare form's.

import type { App } from '@slack/bolt';

import { errorReply } from '../../app/error-reply';
import { withRequest, type BotServices } from '../../app/services';
import { UPDATE_VIEW as IDS } from '../../blocks/ids';
import { parseModalMetadata } from '../../blocks/modal-metadata';
import { escapePlainText } from '../../blocks/text';
import { updateModal } from '../../blocks/update-message';
import { parseSettableStatus } from '../../domain/incident';
import type { ChatGateway } from '../../ports/chat-gateway';
import type { UseCaseDeps } from '../../usecases/context';
import { openIncidentForChannel } from '../../usecases/incident-lookup';
import { postUpdate } from '../../usecases/updates';

type ViewValues = Record<string, Record<string, { value?: string | null; selected_option?: { value?: string } | null }>>;

/** Opens the form for the incident of this channel; throws the usual "not an incident channel" error. */
export async function openUpdateForm(deps: UseCaseDeps, chat: ChatGateway, triggerId: string, channelId: string): Promise<void> {
  const incident = await openIncidentForChannel(deps.store, channelId, 'update');
  const every = deps.settings.reminders.updateEvery[incident.severity];
  await chat.openModal(triggerId, updateModal(incident, { channelId }, every === undefined ? undefined : every / 60_000));
}

export function registerUpdateView(app: App, shared: BotServices): void {
  app.view(IDS.callbackId, async ({ ack, body, view, context }) => {
    const services = withRequest(shared, context);
    const values = view.state.values as ViewValues;
    const typed = (block: string, action: string) => escapePlainText(values[block]?.[action]?.value?.trim() ?? '');
    const known = typed(IDS.knownBlock, IDS.knownInput);
    if (!known) {
      await ack({ response_action: 'errors', errors: { [IDS.knownBlock]: 'Say what we know so far.' } });
      return;
    }
    const metadata = parseModalMetadata(view.private_metadata);
    if (!metadata) {
      await ack({ response_action: 'errors', errors: { [IDS.knownBlock]: 'This form lost its incident; open it again with /incident update in the incident channel.' } });
      return;
    }
    const status = parseSettableStatus(values[IDS.statusBlock]?.[IDS.statusInput]?.selected_option?.value ?? '');
    const minutes = Number(values[IDS.nextBlock]?.[IDS.nextInput]?.selected_option?.value);
    const log = services.logger.child({ view: IDS.callbackId, userId: body.user.id });
    try {
      await postUpdate(
        services.deps,
        {
          teamId: body.team?.id ?? body.user.team_id ?? '',
          userId: body.user.id,
          channelId: metadata.channelId,
          // A view is submitted once; a retried delivery of the same submission carries the same id.
          sourceId: `view:${view.id}`,
        },
        {
          known,
          doing: typed(IDS.doingBlock, IDS.doingInput),
          need: typed(IDS.needBlock, IDS.needInput),
          ...(status && status !== 'resolved' ? { status } : {}),
          ...(Number.isInteger(minutes) && minutes > 0 && minutes <= 24 * 60 ? { nextInMs: minutes * 60_000 } : {}),
        },
      );
      await ack();
      services.wakeEffects();
    } catch (error) {
      await ack({ response_action: 'errors', errors: { [IDS.knownBlock]: errorReply(error, log, {}) } });
    }
  });
}
