// The channel's messages become the incident's transcript; a :pushpin: reaction or a pin turns one
// into a timeline entry with the original time and author (a person, or an integration by its
// name). Edits and deletions follow.

import { isHighlighted, messageSourceId, tsToMillis, type TranscriptMessage } from '../domain/transcript';
import type { EffectSpec } from '../domain/effects';
import { allSettled } from '../shared/all-settled';
import type { UseCaseDeps } from './context';

export const HIGHLIGHT_REACTION = 'pushpin';

export interface ChannelMessage {
  channelId: string;
  ts: string;
  threadTs?: string;
  userId: string;
  /** An integration's name, when no person posted it. */
  authorName?: string;
  text: string;
}

/** Saves a new message if the channel is an incident channel. */
export async function captureMessage(deps: UseCaseDeps, message: ChannelMessage): Promise<void> {
  if (!(await deps.store.incidentIdForChannel(message.channelId))) return;
  // One write, no read: a pin that arrived before the message keeps its mark (see the port).
  await deps.store.recordPostedMessage({
    channelId: message.channelId,
    ts: message.ts,
    ...(message.threadTs && message.threadTs !== message.ts ? { threadTs: message.threadTs } : {}),
    userId: message.userId,
    ...(message.authorName ? { authorName: message.authorName } : {}),
    text: message.text,
    at: tsToMillis(message.ts),
  });
}

export async function captureEdit(deps: UseCaseDeps, channelId: string, ts: string, text: string): Promise<void> {
  const existing = await deps.store.getTranscriptMessage(channelId, ts);
  if (!existing) return;
  await deps.store.saveTranscriptMessage({ ...existing, text, editedAt: deps.clock.now() });
  if (isHighlighted(existing)) await deps.store.updateEventBySource(messageSourceId(channelId, ts), { text });
}

export async function captureDeletion(deps: UseCaseDeps, channelId: string, ts: string): Promise<void> {
  const existing = await deps.store.getTranscriptMessage(channelId, ts);
  if (!existing) return;
  await deps.store.saveTranscriptMessage({ ...existing, deleted: true });
  await deps.store.removeEventBySource(messageSourceId(channelId, ts));
}

type Mark = { by: string; kind: 'reaction' | 'pin' };

/**
 * Marks a message as highlighted. `fallback` is the message as carried by the event (pin events
 * include it), used when the transcript does not have it.
 */
export async function highlightMessage(deps: UseCaseDeps, channelId: string, ts: string, mark: Mark, fallback?: ChannelMessage): Promise<void> {
  const [incidentId, stored] = await Promise.all([deps.store.incidentIdForChannel(channelId), deps.store.getTranscriptMessage(channelId, ts)]);
  if (!incidentId) return;
  let message = stored;
  if (!message && fallback) {
    message = { ...fallback, at: tsToMillis(fallback.ts), deleted: false, pushpinnedBy: [], pinned: false };
  }
  if (!message) {
    await notify(deps, incidentId, {
      kind: 'user.notify',
      channelId,
      userId: mark.by,
      text: 'I could not add that message to the timeline: I have no copy of it (it was posted before I was in this channel). Pin it instead, or add it with `/incident note`.',
    });
    return;
  }
  const updated: TranscriptMessage = mark.kind === 'pin' ? { ...message, pinned: true } : { ...message, pushpinnedBy: [...new Set([...message.pushpinnedBy, mark.by])] };
  const saved = deps.store.saveTranscriptMessage(updated);
  if (!isHighlighted(updated)) return saved;
  const now = deps.clock.now();
  const entry = {
    incidentId: incidentId,
    kind: 'message' as const,
    at: updated.at,
    recordedAt: now,
    // An integration is no person to look up or mention: it is named by `data.author`.
    ...(updated.authorName ? {} : { actorId: updated.userId }),
    text: updated.text,
    sourceId: messageSourceId(channelId, ts),
    data: {
      highlightedBy: mark.by,
      via: mark.kind,
      ...(updated.threadTs ? { threadTs: updated.threadTs } : {}),
      ...(updated.authorName ? { author: updated.authorName } : {}),
    },
  };
  // Issued together, so both writes share one group commit and one disk sync.
  await allSettled([saved, deps.store.applyChange({ incidentId: incidentId, now, events: [entry], effects: [{ kind: 'header.update' }] })]);
}

/** The entry goes when no :pushpin: and no pin are left on the message. */
export async function unhighlightMessage(deps: UseCaseDeps, channelId: string, ts: string, mark: Mark): Promise<void> {
  const message = await deps.store.getTranscriptMessage(channelId, ts);
  if (!message) return;
  const updated: TranscriptMessage = mark.kind === 'pin' ? { ...message, pinned: false } : { ...message, pushpinnedBy: message.pushpinnedBy.filter((u) => u !== mark.by) };
  await deps.store.saveTranscriptMessage(updated);
  if (!isHighlighted(updated)) await deps.store.removeEventBySource(messageSourceId(channelId, ts));
}

async function notify(deps: UseCaseDeps, incidentId: string, effect: EffectSpec): Promise<void> {
  await deps.store.applyChange({ incidentId, now: deps.clock.now(), effects: [effect] });
}
