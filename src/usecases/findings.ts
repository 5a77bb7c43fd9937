// What the postmortem is made of: impact, root cause, corrective and preventative measures.
// Allowed after closing too: postmortems are written after the fact, and a re-export picks them up.

import { AppError } from './errors';
import { incidentKey } from '../domain/incident';
import { ticketFor } from '../domain/tickets';
import type { Invocation, Reply, UseCaseDeps } from './context';
import { incidentForChannel } from './incident-lookup';
import { currentEntryBySource } from './corrections';
import { recordChange } from './record-change';
import { link, said, user } from '../domain/said';

export async function recordImpact(deps: UseCaseDeps, who: Invocation, text: string): Promise<Reply> {
  const incident = await incidentForChannel(deps.store, who.channelId, 'impact');
  await recordChange(deps, who, incident, { kind: 'impact', text, patch: { impact: text } });
  return { inChannel: true, text: said`:chart_with_downwards_trend: ${user(who.userId)} recorded the impact: ${text}` };
}

export async function recordCause(deps: UseCaseDeps, who: Invocation, text: string): Promise<Reply> {
  const incident = await incidentForChannel(deps.store, who.channelId, 'cause');
  await recordChange(deps, who, incident, { kind: 'cause', text, patch: { rootCause: text } });
  return { inChannel: true, text: said`:mag: ${user(who.userId)} recorded the root cause: ${text}` };
}

export async function addActionItem(deps: UseCaseDeps, who: Invocation, text: string, ownerId?: string, ticket = false): Promise<Reply> {
  const incident = await incidentForChannel(deps.store, who.channelId, 'action');
  const tracker = deps.settings.tracker;
  await recordChange(deps, who, incident, {
    kind: 'action',
    text,
    data: { owner: ownerId ?? null },
    // The action item is known by its source id; the ticket effect reads it after this write.
    ...(ticket && tracker.enabled ? { effects: [{ kind: 'ticket.create', actionSourceId: who.sourceId, requestedBy: who.userId }] } : {}),
  });
  const owner = ownerId ? said` (owner: ${user(ownerId)})` : ' (no owner yet: add one with `/incident action <text> @owner`)';
  // Without a tracker the item is still kept: the text is never lost to a setup problem.
  const filing = !ticket
    ? ''
    : tracker.enabled
      ? ` A ${tracker.name} ticket is on its way.`
      : ' No ticket: tickets are not set up (set `TRACKER` and its variables where the bot runs, see the README).';
  const reply: Reply = { inChannel: true, text: said`:clipboard: ${user(who.userId)} added an action item${owner}: ${text}${filing}` };
  return !ticket && tracker.enabled ? { ...reply, offerTicket: { actionSourceId: who.sourceId, trackerName: tracker.name } } : reply;
}

/**
 * Someone asked to file an action item (the button under it). Queued through the outbox like
 * `--ticket`: a second click queues a second effect, which finds the first one's ticket.
 */
export async function requestTicket(deps: UseCaseDeps, userId: string, actionSourceId: string): Promise<Reply> {
  const tracker = deps.settings.tracker;
  if (!tracker.enabled) return { text: 'Tickets are not set up: set `TRACKER` and its variables where the bot runs (see the README).' };
  const action = await currentEntryBySource(deps.store, actionSourceId);
  const incident = action?.kind === 'action' ? await deps.store.getIncident(action.incidentId) : undefined;
  if (!action || !incident) throw new AppError('not_found', 'That action item no longer exists (it may have been removed from the record).');
  const filed = ticketFor(incident.tickets, actionSourceId);
  if (filed) return { text: said`That action item is already filed as ${link(filed.url, filed.key)}.` };
  await deps.store.applyChange({ incidentId: incident.id, now: deps.clock.now(), effects: [{ kind: 'ticket.create', actionSourceId, requestedBy: userId }] });
  return { text: `A ${tracker.name} ticket is on its way for ${incidentKey(incident)}'s action item; its link will appear in the channel.` };
}
