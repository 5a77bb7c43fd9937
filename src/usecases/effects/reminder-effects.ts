// A reminder's deadline came: if it is still the live one (no update, snooze or stop moved it, the
// incident is not resolved), say it in the incident channel and set the next deadline. The post is
// tagged with the effect, so a retry after a crash finds it instead of reminding twice; the next
// deadline is written only while this one is still live, so a retry then does nothing.

import type { Effect } from '../../domain/effects';
import type { Incident } from '../../domain/incident';
import { isLiveDeadline, moveDeadlines, updateDeadline, type ReminderTopic } from '../../domain/reminders';
import type { ChatMessage } from '../../ports/chat-gateway';
import { cardUpdateFor } from '../announcement';
import type { EffectContext } from './effect-context';
import { postOnce } from './effect-posts';

export async function fireReminder(ctx: EffectContext, claimed: Incident, effect: Effect, topic: ReminderTopic, at: number): Promise<void> {
  const incident = (await ctx.store.getIncident(claimed.id)) ?? claimed;
  if (!isLiveDeadline(incident, topic, at) || !incident.chat) return;
  const now = ctx.clock.now();
  const decision = await decide(ctx, incident, topic, now);
  if (decision.message) await postOnce(ctx, incident, effect, incident.chat.channelId, decision.message, `reminder-${topic}`);
  await moveIfLive(ctx, incident.id, topic, at, decision.next, now);
}

interface Decision {
  /** What to post now, if anything. */
  message?: ChatMessage;
  /** The topic's next deadline; none means it is done. */
  next?: number;
}

async function decide(ctx: EffectContext, incident: Incident, topic: ReminderTopic, now: number): Promise<Decision> {
  const settings = ctx.settings.reminders;
  switch (topic) {
    case 'update':
      // Reminded again at the severity's cadence until someone posts an update.
      return { message: ctx.messages.updateReminder(incident, now, ctx.settings.timeZone), next: updateDeadline(incident.severity, settings, now) };
    case 'roles':
      return Object.keys(incident.roles).length === 0 ? { message: ctx.messages.rolesNudge(incident, now) } : {};
    case 'severity': {
      const after = settings.severityAfterMs;
      if (after === undefined) return {};
      const since = await lastSeverityChange(ctx, incident);
      // Changed since this deadline was set: the question is settled until `after` from that change.
      if (since + after > now) return { next: since + after };
      return { message: ctx.messages.severityNudge(incident, since, now), next: now + after };
    }
  }
}

async function lastSeverityChange(ctx: EffectContext, incident: Incident): Promise<number> {
  // A nudge is rare (hours apart), so reading the timeline is affordable here.
  const timeline = await ctx.store.listTimeline(incident.id);
  return timeline.reduce((latest, e) => (e.kind === 'severity' ? Math.max(latest, e.at) : latest), incident.declaredAt);
}

/** Writes the next deadline only if `at` is still the live one: an update that raced this reminder wins. */
async function moveIfLive(ctx: EffectContext, incidentId: string, topic: ReminderTopic, at: number, next: number | undefined, now: number): Promise<void> {
  const incident = await ctx.store.getIncident(incidentId);
  if (!incident || !isLiveDeadline(incident, topic, at)) return;
  const moved = moveDeadlines(incident.reminders, { [topic]: next });
  // The card and the header show when the next update is due.
  const shown = topic === 'update' ? [{ kind: 'header.update' } as const, ...cardUpdateFor(ctx.settings, incident)] : [];
  await ctx.store.applyChange({ incidentId, now, patch: { reminders: moved.reminders }, effects: [...moved.effects, ...shown] });
}
