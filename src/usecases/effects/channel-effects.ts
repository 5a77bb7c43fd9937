// Effects that set up and talk in the incident channel.

import { announcementMessage, channelPurpose, channelTopic, headerMessage } from '../../blocks/incident-header';
import { mentionChannel, mentionUser } from '../../blocks/text';
import { withCollisionSuffix } from '../../domain/channel-name';
import { incidentKey, type ChatLink, type Incident } from '../../domain/incident';
import { ChatError } from '../../ports/chat-gateway';
import { EffectPreconditionError, type EffectContext } from './effect-context';

const MAX_NAME_ATTEMPTS = 50;

export function requireChat(incident: Incident): ChatLink {
  if (!incident.chat) throw new EffectPreconditionError(`${incidentKey(incident)} has no channel (its creation failed earlier)`);
  return incident.chat;
}

async function saveChat(ctx: EffectContext, incident: Incident, chat: ChatLink): Promise<void> {
  await ctx.store.applyChange({ incidentId: incident.id, now: ctx.clock.now(), patch: { chat } });
}

/** Never fails because of a name collision: `-2`, `-3`, … until a name is free. */
export async function createChannel(ctx: EffectContext, incident: Incident, preferredName: string): Promise<void> {
  if (incident.chat) return;
  for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
    const name = withCollisionSuffix(preferredName, attempt);
    try {
      const channel = await ctx.chat.createChannel(name, { isPrivate: incident.isPrivate });
      await saveChat(ctx, incident, { channelId: channel.id, channelName: channel.name });
      return;
    } catch (error) {
      if (error instanceof ChatError && error.code === 'name_taken') continue;
      throw error;
    }
  }
  throw new EffectPreconditionError(`no free channel name after ${MAX_NAME_ATTEMPTS} attempts from ${preferredName}`);
}

export async function inviteUsers(ctx: EffectContext, incident: Incident, userIds: string[]): Promise<void> {
  const chat = requireChat(incident);
  const failures = await ctx.chat.inviteUsers(chat.channelId, userIds);
  if (failures.length === 0) return;
  const lines = failures.map((f) => `${mentionUser(f.userId)} (${f.error})`).join(', ');
  await ctx.chat.postMessage(chat.channelId, { text: `:warning: I could not invite ${lines}. Please add them by hand.` });
}

export async function describeChannel(ctx: EffectContext, incident: Incident): Promise<void> {
  const chat = requireChat(incident);
  await ctx.chat.setTopic(chat.channelId, channelTopic(incident));
  await ctx.chat.setPurpose(chat.channelId, channelPurpose(incident));
}

export async function postHeader(ctx: EffectContext, incident: Incident): Promise<void> {
  const chat = requireChat(incident);
  let headerTs = chat.headerTs;
  if (!headerTs) {
    const posted = await ctx.chat.postMessage(chat.channelId, headerMessage(incident, ctx.settings.timeZone));
    headerTs = posted.ts;
    await saveChat(ctx, incident, { ...chat, headerTs });
  }
  await ctx.chat.pinMessage(chat.channelId, headerTs);
}

/** Renders the current state, so one run covers every change made since the last one. */
export async function updateHeader(ctx: EffectContext, incident: Incident): Promise<void> {
  const chat = requireChat(incident);
  if (!chat.headerTs) return; // header.post, still queued, will render the latest state.
  const escalations = await ctx.store.listEscalations(incident.id);
  const timeline = await ctx.store.listTimeline(incident.id);
  const latestAt = timeline.reduce<number | undefined>((max, e) => (max === undefined || e.at > max ? e.at : max), undefined);
  const summary = { entries: timeline.length, ...(latestAt !== undefined ? { latestAt } : {}) };
  await ctx.chat.updateMessage(chat.channelId, chat.headerTs, headerMessage(incident, ctx.settings.timeZone, escalations, summary));
}

export async function announce(ctx: EffectContext, incident: Incident, channelId: string): Promise<void> {
  await ctx.chat.postMessage(channelId, announcementMessage(incident, ctx.settings.timeZone));
}

/** Slack's response URL first; if it expired, an ephemeral where they typed; then a DM. */
export async function replyToDeclarer(ctx: EffectContext, incident: Incident): Promise<void> {
  const chat = requireChat(incident);
  const text = `:rotating_light: ${incidentKey(incident)} is declared. Join ${mentionChannel(chat.channelId)} — you are the incident commander.`;
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

export async function postInChannel(ctx: EffectContext, incident: Incident, text: string): Promise<void> {
  await ctx.chat.postMessage(requireChat(incident).channelId, { text });
}

export async function notifyUser(ctx: EffectContext, channelId: string, userId: string, text: string): Promise<void> {
  await ctx.chat.postEphemeral(channelId, userId, { text });
}
