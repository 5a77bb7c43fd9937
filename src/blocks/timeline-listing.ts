// `/incident timeline` as blocks: one section per entry, and under each entry the asker may fix,
// Edit and Remove buttons (Remove asks first). Older entries give way to stay within the 50 blocks
// Slack allows in a message; the text fallback keeps every line.

import type { ChatMessage } from '../ports/chat-gateway';
import type { Reply } from '../usecases/context';
import { TIMELINE_EDIT_ACTION, TIMELINE_REMOVE_ACTION } from './ids';

const MAX_BLOCKS = 50;

type Listing = NonNullable<Reply['timeline']>;
type Entry = Listing['entries'][number];

function entryBlocks(entry: Entry): Record<string, unknown>[] {
  const line = { type: 'section', text: { type: 'mrkdwn', text: entry.line } };
  if (!entry.ref) return [line];
  return [
    line,
    {
      type: 'actions',
      elements: [
        { type: 'button', action_id: TIMELINE_EDIT_ACTION, text: { type: 'plain_text', text: 'Edit' }, value: entry.ref },
        {
          type: 'button',
          action_id: TIMELINE_REMOVE_ACTION,
          style: 'danger',
          text: { type: 'plain_text', text: 'Remove' },
          value: entry.ref,
          confirm: {
            title: { type: 'plain_text', text: 'Remove this entry?' },
            text: { type: 'mrkdwn', text: 'It leaves the timeline and the postmortem; the removal is recorded with your name.' },
            confirm: { type: 'plain_text', text: 'Remove' },
            deny: { type: 'plain_text', text: 'Keep it' },
          },
        },
      ],
    },
  ];
}

export function timelineListing(text: string, listing: Listing): Required<Pick<ChatMessage, 'text' | 'blocks'>> {
  const blocks: Record<string, unknown>[] = [];
  let budget = MAX_BLOCKS - 2; // the head, and the note when entries are left out
  const kept: Record<string, unknown>[][] = [];
  for (const entry of [...listing.entries].reverse()) {
    const these = entryBlocks(entry);
    if (these.length > budget) break;
    budget -= these.length;
    kept.unshift(these);
  }
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: listing.head } });
  const left = listing.entries.length - kept.length;
  if (left > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${left} earlier entries not shown here; the postmortem has them all.` }] });
  for (const these of kept) blocks.push(...these);
  return { text, blocks };
}
