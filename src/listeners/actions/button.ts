// Shared shape of a button listener: do the work (stored before Slack gets its acknowledgement,
// thanks to processBeforeResponse), acknowledge, then answer the presser privately.

import type { App, BlockAction, ButtonAction } from '@slack/bolt';

import { errorReply } from '../../app/error-reply';
import type { BotServices } from '../../app/services';

export function registerButton(
  app: App,
  services: BotServices,
  actionId: string,
  run: (press: { userId: string; value: string }) => Promise<{ text: string }>,
): void {
  app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
    const log = services.logger.child({ action: actionId, userId: body.user.id });
    let text: string;
    try {
      text = (await run({ userId: body.user.id, value: action.value ?? '' })).text;
      await ack();
      services.wakeEffects();
    } catch (error) {
      await ack();
      text = errorReply(error, log, { value: action.value });
    }
    if (body.response_url) {
      await services.chat.respond(body.response_url, { text }).catch((error: unknown) => log.warn({ err: error }, 'could not answer the button press'));
    }
  });
}
