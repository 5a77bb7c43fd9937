import type { App } from '@slack/bolt';

import type { BotServices } from '../app/services';
import { registerAcknowledgePage } from './actions/acknowledge-page';
import { registerExportPostmortem } from './actions/export-postmortem';
import { registerIncidentCommand } from './commands/incident-command';
import { registerHighlightEvents } from './events/highlight-events';
import { registerMessageEvents } from './events/message-events';
import { registerDeclareView } from './views/declare-view';

export function registerListeners(app: App, services: BotServices): void {
  registerIncidentCommand(app, services);
  registerMessageEvents(app, services);
  registerHighlightEvents(app, services);
  registerDeclareView(app, services);
  registerAcknowledgePage(app, services);
  registerExportPostmortem(app, services);
}
