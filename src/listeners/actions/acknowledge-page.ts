// The Acknowledge button in a page DM.

import type { App, BlockAction, ButtonAction } from '@slack/bolt';

import { errorReply } from '../../app/error-reply';
import type { BotServices } from '../../app/services';
import { ESCALATION_ACK_ACTION } from '../../blocks/ids';
import { acknowledgePage } from '../../usecases/escalations';

export function registerAcknowledgePage(app: App, services: BotServices): void {
  app.action<BlockAction<ButtonAction>>(ESCALATION_ACK_ACTION, async ({ ack, body, action }) => {
    const log = services.logger.child({ action: ESCALATION_ACK_ACTION, userId: body.user.id });
    let text: string;
    try {
      // Stored before the acknowledgement goes back to Slack (processBeforeResponse).
      text = (await acknowledgePage(services.deps, body.user.id, action.value ?? '')).text;
      await ack();
      services.wakeEffects();
    } catch (error) {
      await ack();
      text = errorReply(error, log, { escalationId: action.value });
    }
    // The DM itself is rewritten by the effect runner; this short answer is only for the presser.
    if (body.response_url) {
      await services.chat.respond(body.response_url, { text }).catch((error: unknown) => log.warn({ err: error }, 'could not answer the button press'));
    }
  });
}
