// The incident's one announcement card: posted once, then edited in place. Both render the state
// current when they run, so the card shows the latest whatever ran before; a card update that runs
// before the card exists has nothing to edit (the post, still queued, will show it all).

import type { Effect } from '../../domain/effects';
import type { Incident } from '../../domain/incident';
import type { EffectContext } from './effect-context';
import { findEarlierPost } from './effect-posts';

/** Read again: a change stored after this effect was read must show on the card. */
async function current(ctx: EffectContext, claimed: Incident): Promise<Incident> {
  return (await ctx.store.getIncident(claimed.id)) ?? claimed;
}

export async function announce(ctx: EffectContext, claimed: Incident, effect: Effect, channelId: string): Promise<void> {
  const incident = await current(ctx, claimed);
  if (incident.announcement || incident.isPrivate) return;
  const earlier = await findEarlierPost(ctx, incident, effect, channelId, ctx.messages.announcementMetadata(incident));
  const ts = earlier ?? (await ctx.chat.postMessage(channelId, ctx.messages.announcementCard(incident, ctx.settings.timeZone))).ts;
  await ctx.store.applyChange({ incidentId: incident.id, now: ctx.clock.now(), patch: { announcement: { channelId, ts } } });
  // Adopted after a crash: the post is as old as that attempt, so bring it up to date.
  if (earlier) await ctx.chat.updateMessage(channelId, ts, ctx.messages.announcementCard(incident, ctx.settings.timeZone));
}

export async function updateAnnouncement(ctx: EffectContext, claimed: Incident): Promise<void> {
  const incident = await current(ctx, claimed);
  const card = incident.announcement;
  if (!card || incident.isPrivate) return;
  await ctx.chat.updateMessage(card.channelId, card.ts, ctx.messages.announcementCard(incident, ctx.settings.timeZone));
}
