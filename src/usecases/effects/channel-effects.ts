// Effects that set up and talk in the incident channel.

import { withCollisionSuffix } from '../../domain/channel-name';
import type { Effect } from '../../domain/effects';
import { incidentKey, type ChatLink, type Incident } from '../../domain/incident';
import { ChatError, type CreatedChannel, type ExistingChannel } from '../../ports/chat-gateway';
import { EffectPreconditionError, type EffectContext } from './effect-context';
import { CLOCK_SKEW_MS, findEarlierPost, postOnce } from './effect-posts';
import { type Text, channel, joined, said, user } from '../../domain/said';

const MAX_NAME_ATTEMPTS = 50;

export function requireChat(incident: Incident): ChatLink {
  if (!incident.chat) throw new EffectPreconditionError(`${incidentKey(incident)} has no channel (its creation failed earlier)`);
  return incident.chat;
}

async function saveChat(ctx: EffectContext, incident: Incident, chat: ChatLink): Promise<void> {
  await ctx.store.applyChange({ incidentId: incident.id, now: ctx.clock.now(), patch: { chat } });
}

/**
 * Never fails because of a name collision: `-2`, `-3`, … until a name is free. A channel this
 * incident created before a crash kept us from storing it is adopted, not duplicated.
 */
export async function createChannel(ctx: EffectContext, incident: Incident, preferredName: string): Promise<void> {
  if (incident.chat) return;
  for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
    const channel = await createOrAdoptChannel(ctx, incident, withCollisionSuffix(preferredName, attempt));
    if (!channel) continue;
    await saveChat(ctx, incident, { channelId: channel.id, channelName: channel.name });
    return;
  }
  throw new EffectPreconditionError(`no free channel name after ${MAX_NAME_ATTEMPTS} attempts from ${preferredName}`);
}

/** The channel to use under this name, or undefined when the name belongs to something else. */
async function createOrAdoptChannel(ctx: EffectContext, incident: Incident, name: string): Promise<CreatedChannel | undefined> {
  try {
    const created = await ctx.chat.createChannel(name, { isPrivate: incident.isPrivate });
    // Another incident may have taken it for an orphan of its own in the moment before we store it.
    return (await ownedByAnother(ctx, incident, created.id)) ? undefined : created;
  } catch (error) {
    if (!(error instanceof ChatError && error.code === 'name_taken')) throw error;
  }
  const existing = await ctx.chat.findChannelByName(name, { isPrivate: incident.isPrivate });
  return existing && (await isOrphanOf(ctx, incident, existing)) ? existing : undefined;
}

/**
 * Ours, created by an earlier attempt whose answer or save a crash lost: the bot created it, since
 * the incident was declared, and no incident in the store has it.
 */
async function isOrphanOf(ctx: EffectContext, incident: Incident, channel: ExistingChannel): Promise<boolean> {
  if (channel.createdAt < incident.declaredAt - CLOCK_SKEW_MS) return false;
  if (channel.creatorId !== (await ctx.chat.botUserId())) return false;
  return !(await ownedByAnother(ctx, incident, channel.id));
}

async function ownedByAnother(ctx: EffectContext, incident: Incident, channelId: string): Promise<boolean> {
  const owner = await ctx.store.findIncidentByChannel(channelId);
  return owner !== undefined && owner.id !== incident.id;
}

export async function inviteUsers(ctx: EffectContext, incident: Incident, effect: Effect, userIds: string[]): Promise<void> {
  const chat = requireChat(incident);
  const failures = await ctx.chat.inviteUsers(chat.channelId, userIds);
  if (failures.length === 0) return;
  const lines = joined(
    failures.map((f) => said`${user(f.userId)} (${f.error})`),
    ', ',
  );
  await postOnce(ctx, incident, effect, chat.channelId, { text: ctx.messages.text(said`:warning: I could not invite ${lines}. Please add them by hand.`) });
}

export async function describeChannel(ctx: EffectContext, incident: Incident): Promise<void> {
  const chat = requireChat(incident);
  await ctx.chat.setTopic(chat.channelId, ctx.messages.channelTopic(incident));
  await ctx.chat.setPurpose(chat.channelId, ctx.messages.channelPurpose(incident));
}

/** A header an earlier attempt posted but could not store (a crash) is adopted, not posted again. */
export async function postHeader(ctx: EffectContext, incident: Incident, effect: Effect): Promise<void> {
  const chat = requireChat(incident);
  let headerTs = chat.headerTs;
  if (!headerTs) {
    const earlier = await findEarlierPost(ctx, incident, effect, chat.channelId, ctx.messages.headerMetadata(incident));
    headerTs = earlier ?? (await ctx.chat.postMessage(chat.channelId, ctx.messages.header(incident, ctx.settings.timeZone))).ts;
    await saveChat(ctx, incident, { ...chat, headerTs });
  }
  await ctx.chat.pinMessage(chat.channelId, headerTs);
}

/** Renders the current state, so one run covers every change made since the last one. */
export async function updateHeader(ctx: EffectContext, claimed: Incident): Promise<void> {
  // Read again: `claimed` was read before this effect was claimed, and a change stored in between
  // had its header update coalesced into this one (see IncidentStore.applyChange), so it must show.
  const incident = (await ctx.store.getIncident(claimed.id)) ?? claimed;
  const chat = requireChat(incident);
  if (!chat.headerTs) return; // header.post, still queued, will render the latest state.
  const escalations = await ctx.store.listEscalations(incident.id);
  // A count and a time, not the whole timeline: this runs after every change, on timelines of thousands.
  const summary = await ctx.store.timelineSummary(incident.id);
  await ctx.chat.updateMessage(chat.channelId, chat.headerTs, ctx.messages.header(incident, ctx.settings.timeZone, escalations, summary));
}

/**
 * Slack's response URL first; if it expired, an ephemeral where they typed; then a DM. Not guarded
 * against repeats after a crash: response-URL answers and ephemerals are in no history the bot can
 * read, so a retry cannot tell whether the declarer already got one (a repeat reaches only them).
 */
export async function replyToDeclarer(ctx: EffectContext, incident: Incident): Promise<void> {
  const chat = requireChat(incident);
  await tellDeclarer(ctx, incident, said`:rotating_light: ${incidentKey(incident)} is declared. Join ${channel(chat.channelId)} — you are the incident commander.`);
}

/** The declarer's answer by the first way that works: the response URL, an ephemeral where they typed, a DM. */
export async function tellDeclarer(ctx: Pick<EffectContext, 'chat' | 'messages'>, incident: Incident, said: Text): Promise<void> {
  const text = ctx.messages.text(said);
  const attempts: (() => Promise<unknown>)[] = [];
  if (incident.declarerReplyUrl) attempts.push(() => ctx.chat.respond(incident.declarerReplyUrl as string, { text }));
  if (incident.declaredFromChannelId) {
    attempts.push(() => ctx.chat.postEphemeral(incident.declaredFromChannelId as string, incident.declaredBy, { text }));
  }
  attempts.push(() => ctx.chat.postMessage(incident.declaredBy, { text }));
  let lastError: unknown;
  for (const attempt of attempts) {
    try {
      await attempt();
      return;
    } catch (error) {
      if (error instanceof ChatError && error.transient) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

export async function postInChannel(ctx: EffectContext, incident: Incident, effect: Effect, text: string): Promise<void> {
  await postOnce(ctx, incident, effect, requireChat(incident).channelId, { text });
}

/** Ephemeral, so, like replyToDeclarer, not found again after a crash: a repeat reaches only that person. */
export async function notifyUser(ctx: EffectContext, channelId: string, userId: string, text: string): Promise<void> {
  await ctx.chat.postEphemeral(channelId, userId, { text });
}
