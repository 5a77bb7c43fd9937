// An action item's reply with a button that files it in the team's tracker.

import type { ChatMessage } from '../ports/chat-gateway';
import { CREATE_TICKET_ACTION } from './ids';

// Slack rejects a section whose text is longer than this.
const SECTION_LIMIT = 3000;

export function ticketOffer(text: string, offer: { actionSourceId: string; trackerName: string }): Required<Pick<ChatMessage, 'text' | 'blocks'>> {
  const shown = text.length > SECTION_LIMIT ? `${text.slice(0, SECTION_LIMIT - 1)}…` : text;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: shown } },
      {
        type: 'actions',
        block_id: 'action_item_ticket',
        elements: [{ type: 'button', action_id: CREATE_TICKET_ACTION, text: { type: 'plain_text', text: `Create ${offer.trackerName} ticket` }, value: offer.actionSourceId }],
      },
    ],
  };
}
