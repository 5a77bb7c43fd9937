// The "Create ticket" button under an action item.

import { CREATE_TICKET_ACTION } from '../../blocks/ids';
import { mentionUser } from '../../blocks/text';
import { requestTicket } from '../../usecases/findings';
import type { ButtonPress } from './button';

export function createTicketButton(): Record<string, ButtonPress> {
  return {
    [CREATE_TICKET_ACTION]: async ({ userId, value, deps }) => {
      const reply = await requestTicket(deps, userId, value);
      return { text: reply.text, settled: `:ticket: ${mentionUser(userId)} asked for a ticket.` };
    },
  };
}
