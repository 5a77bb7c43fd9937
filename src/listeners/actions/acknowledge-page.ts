// The Acknowledge button in a page DM. The DM itself is rewritten by the effect runner.

import type { App } from '@slack/bolt';

import type { BotServices } from '../../app/services';
import { ESCALATION_ACK_ACTION } from '../../blocks/ids';
import { acknowledgePage } from '../../usecases/escalations';
import { registerButton } from './button';

export function registerAcknowledgePage(app: App, services: BotServices): void {
  registerButton(app, services, ESCALATION_ACK_ACTION, ({ userId, value }) => acknowledgePage(services.deps, userId, value));
}
