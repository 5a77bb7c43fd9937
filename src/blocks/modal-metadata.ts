// What a form carries through Slack (its `private_metadata`): the channel it was opened from, and
// for the entry form, which timeline entry it edits.

import type { AddedMessage } from '../usecases/added-messages';

export interface ModalMetadata {
  channelId: string;
  /** The timeline entry an edit form is for (usecases/corrections EntryRef, as its value). */
  entry?: string;
  /** The message the "Add to incident timeline" form adds (carried through Slack, so nothing is stored before the submit). */
  message?: CarriedMessage;
}

/** Its text shortened to fit Slack's 3000-character private_metadata (the permalink has the rest). */
export type CarriedMessage = AddedMessage;

/** Slack refuses a view whose private_metadata is longer. */
export const MAX_METADATA = 3000;

function carried(value: unknown): CarriedMessage | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const m = value as Record<string, unknown>;
  if (typeof m.ts !== 'string' || typeof m.userId !== 'string' || typeof m.text !== 'string') return undefined;
  return {
    ts: m.ts,
    userId: m.userId,
    text: m.text,
    ...(typeof m.authorName === 'string' ? { authorName: m.authorName } : {}),
    ...(typeof m.permalink === 'string' ? { permalink: m.permalink } : {}),
  };
}

/** A carried message's text is cut (on a character boundary) until the whole fits. */
export function modalMetadata(metadata: ModalMetadata): string {
  const json = JSON.stringify(metadata);
  const message = metadata.message;
  if (json.length <= MAX_METADATA || !message || message.text.length <= 1) return json;
  const over = json.length - MAX_METADATA;
  const chars = [...message.text];
  // JSON escaping can make a character cost more than one: cut by what the JSON measures, then retry.
  const kept = chars.slice(0, Math.max(0, chars.length - over - 2)).join('');
  return modalMetadata({ ...metadata, message: { ...message, text: `${kept}…` } });
}

/** Undefined when it is not ours or was tampered with. */
export function parseModalMetadata(raw: string | undefined): ModalMetadata | undefined {
  try {
    const parsed: unknown = JSON.parse(raw ?? '');
    const candidate = parsed as Partial<ModalMetadata> | null;
    if (candidate && typeof candidate === 'object' && typeof candidate.channelId === 'string') {
      const message = carried(candidate.message);
      return { channelId: candidate.channelId, ...(typeof candidate.entry === 'string' ? { entry: candidate.entry } : {}), ...(message ? { message } : {}) };
    }
  } catch {
    // Not JSON: not ours.
  }
  return undefined;
}
