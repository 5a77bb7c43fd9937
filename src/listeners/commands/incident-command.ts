// `/incident …`: parse, run the use case (which stores before anything else), then acknowledge
// with the answer. Slack effects run afterwards from the stored outbox.

import type { App, SlashCommand } from '@slack/bolt';

import { declareModal } from '../../blocks/declare-modal';
import { inertPayload, inertText } from '../../blocks/text';
import { ticketOffer } from '../../blocks/ticket-offer';
import { timelineListing } from '../../blocks/timeline-listing';
import { parseIncidentCommand } from '../../commands/grammar';
import { dispatchCommand } from '../../app/dispatch-command';
import { errorReply } from '../../app/error-reply';
import { withRequest, type BotServices } from '../../app/services';
import type { ChatMessage } from '../../ports/chat-gateway';
import type { Invocation, Reply } from '../../usecases/context';
import { openUpdateForm } from '../views/update-view';
import { slackText } from '../../blocks/said';

export function invocationOf(command: SlashCommand): Invocation {
  return {
    teamId: command.team_id,
    userId: command.user_id,
    channelId: command.channel_id,
    sourceId: `cmd:${command.trigger_id}`,
    responseUrl: command.response_url,
  };
}

/** The acknowledgement's body: what Slack shows, passed through inertText like everything the bot posts. */
function answer(text: string, inChannel = false): { response_type: 'in_channel' | 'ephemeral'; text: string } {
  return { response_type: inChannel ? 'in_channel' : 'ephemeral', text: inertText(text) };
}

/** A use case's reply as the acknowledgement, with its buttons: an action item's ticket, a timeline's Edit / Remove. */
function replyAnswer(reply: Reply): ReturnType<typeof answer> & { blocks?: ChatMessage['blocks'] } {
  const text = slackText(reply.text);
  const base = answer(text, reply.inChannel);
  if (reply.offerTicket) return { ...base, ...inertPayload(ticketOffer(text, reply.offerTicket)) };
  if (reply.timeline) {
    const listing = { head: slackText(reply.timeline.head), entries: reply.timeline.entries.map((entry) => ({ ...entry, line: slackText(entry.line) })) };
    return { ...base, ...inertPayload(timelineListing(text, listing)) };
  }
  return base;
}

export function registerIncidentCommand(app: App, shared: BotServices): void {
  app.command('/incident', async ({ command, ack, context }) => {
    const parsed = parseIncidentCommand(command.text ?? '');
    if (!parsed.ok) {
      await ack(answer(parsed.message));
      return;
    }
    const services = withRequest(shared, context);
    const log = services.logger.child({ command: parsed.command.name, teamId: command.team_id, userId: command.user_id });
    try {
      if (parsed.command.name === 'start' && !parsed.command.title) {
        await services.chat.openModal(command.trigger_id, declareModal({ channelId: command.channel_id }));
        await ack();
        return;
      }
      if (parsed.command.name === 'update' && !parsed.command.text) {
        await openUpdateForm(services.deps, services.chat, command.trigger_id, command.channel_id);
        await ack();
        return;
      }
      const reply = await dispatchCommand(services.deps, invocationOf(command), parsed.command);
      await ack(replyAnswer(reply));
      services.wakeEffects();
    } catch (error) {
      await ack(answer(errorReply(error, log, { channelId: command.channel_id })));
    }
  });
}
