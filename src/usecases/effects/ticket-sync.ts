// Ticket states read back from the tracker: whenever the postmortem is compiled, and by a stored
// periodic deadline per incident (TRACKER_SYNC_EVERY) that says in the channel what changed and
// lets go once every ticket is settled, or SYNC_HORIZON_MS after the last was filed.

import type { Effect, EffectSpec } from '../../domain/effects';
import type { Incident } from '../../domain/incident';
import { anyOpen, changedTickets, TICKET_STATE_WORDS, withStates, type ActionTicket } from '../../domain/tickets';
import { ChatError } from '../../ports/chat-gateway';
import { requireChat } from './channel-effects';
import type { EffectContext } from './effect-context';
import { postOnce } from './effect-posts';
import { joined, link, said } from '../../domain/said';

/** Each ticket as the tracker has it now; undefined when the tracker could not be read. */
async function readTickets(ctx: EffectContext, incident: Incident): Promise<ActionTicket[] | undefined> {
  const tracker = ctx.tracker;
  if (!tracker || !incident.tickets?.length) return undefined;
  const now = ctx.clock.now();
  try {
    return await Promise.all(
      incident.tickets.map(async (known): Promise<ActionTicket> => {
        const current = await tracker.client.get(known.key);
        const { gone: _gone, ...rest } = known;
        return current ? { ...rest, state: current.state, statusName: current.statusName, checkedAt: now } : { ...rest, checkedAt: now, gone: true };
      }),
    );
  } catch (error) {
    ctx.logger.warn({ incidentId: incident.id, err: error }, 'could not read ticket states; the last known ones stay');
    return undefined;
  }
}

/**
 * Reads each ticket's state back from the tracker and stores what changed; the incident as it is
 * afterwards. The tracker being down does not hold up the postmortem: the last known states stay,
 * with the time they were read.
 */
export async function refreshTickets(ctx: EffectContext, incident: Incident): Promise<Incident> {
  const read = await readTickets(ctx, incident);
  if (!read) return incident;
  const current = (await ctx.store.getIncident(incident.id)) ?? incident;
  const result = await ctx.store.applyChange({ incidentId: incident.id, now: ctx.clock.now(), patch: { tickets: withStates(current.tickets, read) } });
  return result.incident;
}

/** The periodic sync follows an incident's tickets this long after the last one was filed, then lets go. */
export const SYNC_HORIZON_MS = 90 * 24 * 60 * 60_000;

/** The first sync deadline, when the tracker syncs periodically and none is set yet. */
export function firstSync(ctx: EffectContext, incident: Incident, now: number): { patch: { ticketSyncDue?: number }; effects: EffectSpec[] } {
  const every = ctx.tracker?.config.syncEveryMs;
  if (every === undefined || incident.ticketSyncDue !== undefined) return { patch: {}, effects: [] };
  return { patch: { ticketSyncDue: now + every }, effects: [{ kind: 'tickets.sync', at: now + every }] };
}

/**
 * A sync deadline came: if it is still the live one, read the tickets back, say in the channel which
 * changed, and set the next deadline while any is open. The post is tagged with the effect, so a retry
 * after a crash finds it; states and the next deadline are written together, and only while `at` is
 * still live, so a retry then does nothing.
 */
export async function syncTickets(ctx: EffectContext, claimed: Incident, effect: Effect, at: number): Promise<void> {
  const incident = (await ctx.store.getIncident(claimed.id)) ?? claimed;
  if (incident.ticketSyncDue !== at) return;
  const read = (await readTickets(ctx, incident)) ?? [];
  const changed = changedTickets(incident.tickets, read);
  const now = ctx.clock.now();
  const latest = await ctx.store.getIncident(incident.id);
  if (!latest || latest.ticketSyncDue !== at) return;
  const tickets = withStates(latest.tickets, read);
  const lastFiled = Math.max(0, ...tickets.map((t) => t.createdAt));
  const every = ctx.tracker?.config.syncEveryMs;
  const next = every !== undefined && anyOpen(tickets) && now + every <= lastFiled + SYNC_HORIZON_MS ? now + every : undefined;
  const ending = next !== undefined || every === undefined ? undefined : anyOpen(tickets) ? 'horizon' : 'settled';
  if ((changed.length > 0 || ending) && incident.chat) await tellChanges(ctx, incident, effect, changed, ending);
  await ctx.store.applyChange({
    incidentId: incident.id,
    now,
    patch: { ...(read.length ? { tickets } : {}), ticketSyncDue: next },
    effects: next === undefined ? [] : [{ kind: 'tickets.sync', at: next }],
  });
}

const ENDINGS = {
  settled: 'Every follow-up is settled; the bot stops checking.',
  horizon: `The bot stops checking these tickets ${SYNC_HORIZON_MS / (24 * 60 * 60_000)} days after the last was filed; the postmortem shows their last known status.`,
};

async function tellChanges(ctx: EffectContext, incident: Incident, effect: Effect, changed: readonly ActionTicket[], ending: keyof typeof ENDINGS | undefined): Promise<void> {
  const tracker = ctx.tracker?.client.name ?? 'the tracker';
  const lines = changed.map((t) => said`• ${link(t.url, t.key)} ${t.gone ? `no longer exists in ${tracker}` : `is ${TICKET_STATE_WORDS[t.state]} (${t.statusName})`}`);
  const last = ending ? [ENDINGS[ending]] : [];
  const text = ctx.messages.text(lines.length ? joined([`:ticket: Follow-up tickets changed in ${tracker}:`, ...lines, ...last], '\n') : `:ticket: ${last.join('')}`);
  try {
    await postOnce(ctx, incident, effect, requireChat(incident).channelId, { text }, 'tickets-sync');
  } catch (error) {
    // An archived or left channel must not stop the sync: the postmortem still shows the states.
    if (!(error instanceof ChatError) || error.transient) throw error;
    ctx.logger.warn({ incidentId: incident.id, code: error.code }, 'could not say in the channel which tickets changed');
  }
}
