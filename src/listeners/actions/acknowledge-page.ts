// The Acknowledge button in a page DM. The DM itself is rewritten by the effect runner.

import type { BotServices } from '../../app/services';
import { ESCALATION_ACK_ACTION } from '../../blocks/ids';
import { acknowledgePage } from '../../usecases/escalations';
import type { ButtonPress } from './button';

export function acknowledgePageButton(services: BotServices): Record<string, ButtonPress> {
  return { [ESCALATION_ACK_ACTION]: ({ userId, value }) => acknowledgePage(services.deps, userId, value) };
}
