import type { App } from '@slack/bolt';

import type { BotServices } from '../app/services';
import { acknowledgePageButton } from './actions/acknowledge-page';
import { registerButtons } from './actions/button';
import { createTicketButton } from './actions/create-ticket';
import { exportPostmortemButton } from './actions/export-postmortem';
import { homeDeclareButton } from './actions/home-declare';
import { timelineButtons } from './actions/timeline-buttons';
import { registerIncidentCommand } from './commands/incident-command';
import { registerEvents } from './events/event-router';
import { addToTimelineForm, registerAddToTimeline } from './shortcuts/add-to-timeline';
import { declareForm } from './views/declare-view';
import { editEntryForm } from './views/edit-entry-view';
import { registerForms } from './views/form-router';
import { updateForm } from './views/update-view';
import { reminderButtons } from './actions/reminder-buttons';

export function registerListeners(app: App, services: BotServices): void {
  registerIncidentCommand(app, services);
  registerEvents(app, services);
  registerForms(app, { ...declareForm(services), ...updateForm(services), ...editEntryForm(services), ...addToTimelineForm(services) });
  registerAddToTimeline(app, services);
  registerButtons(app, services, {
    ...acknowledgePageButton(),
    ...exportPostmortemButton(),
    ...reminderButtons(),
    ...createTicketButton(),
    ...homeDeclareButton(),
    ...timelineButtons(),
  });
}
