// The message shortcut "Add to incident timeline": the form opens (within the trigger's 3 seconds)
// before the acknowledgement, as buttons do their work first; its submission adds the message.

import type { App, MessageShortcut } from '@slack/bolt';

import { errorReply } from '../../app/error-reply';
import { withRequest, type BotServices } from '../../app/services';
import { addToTimelineModal } from '../../blocks/add-to-timeline-modal';
import { ADD_TO_TIMELINE_SHORTCUT, ADD_TO_TIMELINE_VIEW as IDS } from '../../blocks/ids';
import { parseModalMetadata, type CarriedMessage } from '../../blocks/modal-metadata';
import { addMessageToTimeline, timelineTargets } from '../../usecases/added-messages';
import { integrationName, messageText, type SlackMessageParts } from '../events/message-content';
import { formInput, submitter } from '../views/form-input';
import type { FormSubmission } from '../views/form-router';

export function registerAddToTimeline(app: App, shared: BotServices): void {
  app.shortcut<MessageShortcut>({ callback_id: ADD_TO_TIMELINE_SHORTCUT, type: 'message_action' }, async ({ ack, shortcut, context }) => {
    const services = withRequest(shared, context);
    const { chat, deps } = services;
    const userId = shortcut.user.id;
    const channelId = shortcut.channel.id;
    const log = services.logger.child({ shortcut: ADD_TO_TIMELINE_SHORTCUT, userId });
    try {
      const m = shortcut.message as SlackMessageParts & { ts: string };
      const author = integrationName(m);
      const permalink = await chat.permalink(channelId, m.ts);
      const message: CarriedMessage = {
        ts: m.ts,
        userId: typeof m.user === 'string' ? m.user : typeof m.bot_id === 'string' ? m.bot_id : '',
        text: messageText(m),
        ...(author ? { authorName: author } : {}),
        ...(permalink ? { permalink } : {}),
      };
      const teamId = shortcut.team?.id ?? shortcut.user.team_id ?? '';
      const choices = await timelineTargets(deps, (id) => chat.channelMembers(id), { teamId, userId, channelId });
      if (choices.incidents.length === 0) {
        await chat.respond(shortcut.response_url, { text: 'There is no open incident to add this message to. Declare one with `/incident start <title>`.' });
        return;
      }
      await chat.openModal(shortcut.trigger_id, addToTimelineModal(choices, { channelId, message }, deps.settings.timeZone));
    } catch (error) {
      await chat.respond(shortcut.response_url, { text: errorReply(error, log, {}) }).catch((e: unknown) => log.warn({ err: e }, 'could not answer the shortcut'));
    } finally {
      await ack();
    }
  });
}

export function addToTimelineForm(shared: BotServices): Record<string, FormSubmission> {
  return {
    [IDS.callbackId]: async ({ ack, body, view, context }) => {
      const services = withRequest(shared, context);
      const metadata = parseModalMetadata(view.private_metadata);
      const incidentId = formInput(view).selected(IDS.incidentBlock, IDS.incidentInput);
      if (!metadata?.message) {
        await ack({ response_action: 'errors', errors: { [IDS.incidentBlock]: 'This form lost its message; use the shortcut on the message again.' } });
        return;
      }
      if (!incidentId) {
        await ack({ response_action: 'errors', errors: { [IDS.incidentBlock]: 'Pick the incident to add the message to.' } });
        return;
      }
      const log = services.logger.child({ view: IDS.callbackId, userId: body.user.id });
      try {
        await addMessageToTimeline(services.deps, (id) => services.chat.channelMembers(id), submitter(body, view, metadata.channelId), incidentId, metadata.message);
        await ack();
        services.wakeEffects();
      } catch (error) {
        await ack({ response_action: 'errors', errors: { [IDS.incidentBlock]: errorReply(error, log, {}) } });
      }
    },
  };
}
