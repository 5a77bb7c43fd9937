// The button under an action item: Slack's section limit, and the item it files.

import { CREATE_TICKET_ACTION } from '../../../src/blocks/ids';
import { ticketOffer } from '../../../src/blocks/ticket-offer';

describe('ticketOffer', () => {
  it('keeps the whole reply as the fallback text and cuts the section to what Slack accepts', () => {
    const text = `:clipboard: ${'x'.repeat(3200)}`;
    const offer = ticketOffer(text, { actionSourceId: 'cmd:abc', trackerName: 'GitHub' });
    expect(offer.text).toBe(text);
    const [section, actions] = offer.blocks as [{ text: { text: string } }, { elements: Record<string, unknown>[] }];
    expect(section.text.text).toHaveLength(3000);
    expect(section.text.text.endsWith('…')).toBe(true);
    expect(actions.elements).toEqual([{ type: 'button', action_id: CREATE_TICKET_ACTION, text: { type: 'plain_text', text: 'Create GitHub ticket' }, value: 'cmd:abc' }]);
  });
});
