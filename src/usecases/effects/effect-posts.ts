// Posts an effect makes are tagged with the effect's id (Slack message metadata), so that a retry
// after an attempt that may have reached Slack (a crash, or an answer that never came back) finds
// the post instead of making it twice. The look-up costs a conversations.history call, paid only on
// such retries, never on a first attempt.

import type { Effect } from '../../domain/effects';
import type { Incident } from '../../domain/incident';
import { ChatError, type ChatMessage, type ChatMetadata } from '../../ports/chat-gateway';
import type { EffectContext } from './effect-context';

/** Slack's clock and ours may disagree a little; what we posted is not older than this before we decided to post it. */
export const CLOCK_SKEW_MS = 60_000;

const EFFECT_POST_TYPE = 'incident_effect';

/**
 * An earlier attempt at this effect began (see `Effect.startedAt`), so what it posted may be in Slack
 * even though its outcome was never stored.
 */
function mayHaveRunBefore(effect: Effect): boolean {
  return effect.startedAt !== undefined;
}

/** `part` tells apart the several posts one effect may make (e.g. a DM and a warning about it). */
export function effectPostMetadata(incident: Pick<Incident, 'id'>, effect: Pick<Effect, 'id'>, part: string): ChatMetadata {
  return { type: EFFECT_POST_TYPE, payload: { incident_id: incident.id, effect_id: String(effect.id), part } };
}

/**
 * Runs a look-up for our own earlier post. A failure that retrying cannot fix (e.g. the bot may post
 * to but not read the channel, or lacks the history scope) counts as not found: a possible repeat is
 * better than no message. Transient failures go back to the runner, which retries the effect.
 */
async function lookUp(ctx: EffectContext, incident: Incident, channelId: string, find: () => Promise<{ ts: string } | undefined>): Promise<string | undefined> {
  try {
    return (await find())?.ts;
  } catch (error) {
    if (!(error instanceof ChatError) || error.transient) throw error;
    ctx.logger.warn({ incidentId: incident.id, channelId, code: error.code }, 'could not look for an earlier post; posting');
    return undefined;
  }
}

/**
 * On a retry of an effect that may have posted already: the ts of our message with this metadata,
 * posted since the effect was queued, if any. On a first attempt: undefined, with no Slack call.
 */
export async function findEarlierPost(ctx: EffectContext, incident: Incident, effect: Effect, channelId: string, metadata: ChatMetadata): Promise<string | undefined> {
  if (!mayHaveRunBefore(effect)) return undefined;
  return lookUp(ctx, incident, channelId, () => ctx.chat.findOwnMessage(channelId, metadata, effect.createdAt - CLOCK_SKEW_MS));
}

/** As findEarlierPost, for the message that shared a file of this name. */
export async function findEarlierFileShare(ctx: EffectContext, incident: Incident, effect: Effect, channelId: string, filename: string): Promise<string | undefined> {
  if (!mayHaveRunBefore(effect)) return undefined;
  return lookUp(ctx, incident, channelId, () => ctx.chat.findOwnFileShare(channelId, filename, effect.createdAt - CLOCK_SKEW_MS));
}

/**
 * Posts `message` tagged as this effect's `part`, unless an earlier attempt already did: then that
 * post's ts comes back instead. Only the channel's recent history is searched (see ChatGateway).
 */
export async function postOnce(
  ctx: EffectContext,
  incident: Incident,
  effect: Effect,
  channelId: string,
  message: Omit<ChatMessage, 'metadata'>,
  part = 'post',
): Promise<{ ts: string }> {
  const metadata = effectPostMetadata(incident, effect, part);
  const earlier = await findEarlierPost(ctx, incident, effect, channelId, metadata);
  return earlier ? { ts: earlier } : ctx.chat.postMessage(channelId, { ...message, metadata });
}
