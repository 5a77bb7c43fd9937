// The bot's buttons, in ONE Bolt listener routed by action_id (Bolt runs every listener's matchers
// on every request, so fewer listeners cost all traffic less). Each press: do the work (stored
// before Slack gets its acknowledgement, thanks to processBeforeResponse), acknowledge, then
// answer the presser privately.

import type { App, BlockAction, ButtonAction } from '@slack/bolt';

import { errorReply } from '../../app/error-reply';
import { withRequest, type BotServices } from '../../app/services';
import type { ChatGateway } from '../../ports/chat-gateway';
import type { UseCaseDeps } from '../../usecases/context';

/**
 * `deps` are the press's request's own (filed under its incident for the logs); `triggerId` opens a
 * form. An answer with no text sends nothing back (the press opened a form).
 */
export type ButtonPress = (press: { userId: string; value: string; deps: UseCaseDeps; chat: ChatGateway; triggerId: string; channelId?: string }) => Promise<{ text: string }>;

export function registerButtons(app: App, shared: BotServices, buttons: Record<string, ButtonPress>): void {
  const actionIds = new RegExp(`^(?:${Object.keys(buttons).map(escapeRegExp).join('|')})$`);
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: actionIds }, async ({ ack, body, action, context }) => {
    const services = withRequest(shared, context);
    const actionId = action.action_id;
    const run = buttons[actionId];
    const log = services.logger.child({ action: actionId, userId: body.user.id });
    let text: string;
    try {
      const press = { userId: body.user.id, value: action.value ?? '', deps: services.deps, chat: services.chat, triggerId: body.trigger_id, ...(body.channel?.id ? { channelId: body.channel.id } : {}) };
      text = (await run(press)).text;
      await ack();
      services.wakeEffects();
    } catch (error) {
      await ack();
      text = errorReply(error, log, { value: action.value });
    }
    if (body.response_url && text) {
      await services.chat.respond(body.response_url, { text }).catch((error: unknown) => log.warn({ err: error }, 'could not answer the button press'));
    }
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
