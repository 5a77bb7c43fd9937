// The Acknowledge button in a page DM. The DM itself is rewritten by the effect runner.

import { ESCALATION_ACK_ACTION } from '../../blocks/ids';
import { acknowledgePage } from '../../usecases/escalations';
import type { ButtonPress } from './button';

export function acknowledgePageButton(): Record<string, ButtonPress> {
  return { [ESCALATION_ACK_ACTION]: ({ userId, value, deps }) => acknowledgePage(deps, userId, value) };
}
