// The bot's buttons, in ONE Bolt listener routed by action_id (Bolt runs every listener's matchers
// on every request, so fewer listeners cost all traffic less). Each press: do the work (stored
// before Slack gets its acknowledgement, thanks to processBeforeResponse), acknowledge, then
// answer the presser privately.

import type { App, BlockAction, ButtonAction } from '@slack/bolt';

import { errorReply } from '../../app/error-reply';
import { withRequest, type BotServices } from '../../app/services';
import type { ChatGateway } from '../../ports/chat-gateway';
import type { UseCaseDeps } from '../../usecases/context';
import { slackText } from '../../blocks/said';
import type { Text } from '../../domain/said';

/**
 * `deps` are the press's request's own (filed under its incident for the logs); `triggerId` opens a
 * form. An answer with no text sends nothing back (the press opened a form).
 */
export type ButtonPress = (press: { userId: string; value: string; deps: UseCaseDeps; chat: ChatGateway; triggerId: string; channelId?: string }) => Promise<{
  text: Text;
  /** Replaces the pressed button's block in the message with this line (the button has done its job). */
  settled?: string;
}>;

export function registerButtons(app: App, shared: BotServices, buttons: Record<string, ButtonPress>): void {
  const actionIds = new RegExp(`^(?:${Object.keys(buttons).map(escapeRegExp).join('|')})$`);
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: actionIds }, async ({ ack, body, action, context }) => {
    const services = withRequest(shared, context);
    const actionId = action.action_id;
    const run = buttons[actionId];
    const log = services.logger.child({ action: actionId, userId: body.user.id });
    let answer: Awaited<ReturnType<ButtonPress>>;
    try {
      const press = {
        userId: body.user.id,
        value: action.value ?? '',
        deps: services.deps,
        chat: services.chat,
        triggerId: body.trigger_id,
        ...(body.channel?.id ? { channelId: body.channel.id } : {}),
      };
      answer = await run(press);
      await ack();
      services.wakeEffects();
    } catch (error) {
      await ack();
      answer = { text: errorReply(error, log, { value: action.value }) };
    }
    const responseUrl = body.response_url;
    if (!responseUrl) return;
    const failed = (error: unknown) => log.warn({ err: error }, 'could not answer the button press');
    const replaced = answer.settled && body.message ? settledMessage(body.message, action.block_id, answer.settled) : undefined;
    if (replaced) await services.chat.respond(responseUrl, { ...replaced, replaceOriginal: true }).catch(failed);
    const text = slackText(answer.text);
    if (text) await services.chat.respond(responseUrl, { text }).catch(failed);
  });
}

/** The clicked message with the pressed button's block turned into a context line. */
function settledMessage(message: { text?: string; blocks?: unknown }, blockId: string, line: string): { text: string; blocks: Record<string, unknown>[] } | undefined {
  if (!Array.isArray(message.blocks)) return undefined;
  const blocks = (message.blocks as unknown[]).filter((b): b is Record<string, unknown> => typeof b === 'object' && b !== null);
  const settled = { type: 'context', elements: [{ type: 'mrkdwn', text: line }] };
  return { text: message.text ?? line, blocks: blocks.map((b) => (b.block_id === blockId ? settled : b)) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
