// Submission of the "Declare an incident" form.

import type { App } from '@slack/bolt';

import { parseModalMetadata } from '../../blocks/modal-metadata';
import { escapePlainText } from '../../blocks/text';
import { DECLARE_VIEW as IDS } from '../../blocks/ids';
import { parseSeverity } from '../../domain/incident';
import { errorReply } from '../../app/error-reply';
import { withRequest, type BotServices } from '../../app/services';
import { declareIncident } from '../../usecases/declare-incident';

type ViewValues = Record<string, Record<string, { value?: string | null; selected_option?: { value?: string } | null }>>;

export function registerDeclareView(app: App, shared: BotServices): void {
  app.view(IDS.callbackId, async ({ ack, body, view, context }) => {
    const services = withRequest(shared, context);
    const values = view.state.values as ViewValues;
    // Form input arrives as typed, not escaped like slash-command text: stored in that same form.
    const title = escapePlainText(values[IDS.titleBlock]?.[IDS.titleInput]?.value?.trim() ?? '');
    if (!title) {
      await ack({ response_action: 'errors', errors: { [IDS.titleBlock]: 'Give the incident a short title.' } });
      return;
    }
    const severity = parseSeverity(values[IDS.severityBlock]?.[IDS.severityInput]?.selected_option?.value ?? '');
    const typed = values[IDS.descriptionBlock]?.[IDS.descriptionInput]?.value;
    const description = typed ? escapePlainText(typed) : undefined;
    const metadata = parseModalMetadata(view.private_metadata);
    const log = services.logger.child({ view: IDS.callbackId, userId: body.user.id });
    try {
      await declareIncident(
        services.deps,
        {
          teamId: body.team?.id ?? body.user.team_id ?? '',
          userId: body.user.id,
          channelId: metadata?.channelId ?? body.user.id,
          // A view is submitted once; a retried delivery of the same submission carries the same id.
          sourceId: `view:${view.id}`,
        },
        { title, severity, description, isPrivate: false },
      );
      await ack();
      services.wakeEffects();
    } catch (error) {
      await ack({ response_action: 'errors', errors: { [IDS.titleBlock]: errorReply(error, log, {}) } });
    }
  });
}
