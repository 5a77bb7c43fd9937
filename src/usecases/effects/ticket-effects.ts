// File an action item in the team's tracker, once. The ticket is stored with the incident; before
// creating one, the tracker is asked for a ticket carrying the item's marker, so a create whose
// answer was lost (a crash, a timeout, another replica) is adopted instead of repeated. A double
// click queues two effects: they run one after the other, and the second finds the first's ticket.

import { createHash } from 'node:crypto';

import { incidentKey, type Incident } from '../../domain/incident';
import type { Effect, EffectSpec } from '../../domain/effects';
import { anyOpen, changedTickets, ticketFor, TICKET_STATE_WORDS, withStates, withTicket, type ActionTicket } from '../../domain/tickets';
import type { TimelineEvent } from '../../domain/timeline';
import { formatDateTime } from '../../domain/time-format';
import { slackToPlainText } from '../../postmortem/slack-text';
import { ChatError } from '../../ports/chat-gateway';
import { TrackerError, type DescriptionBlock, type IssueTracker, type TrackerTicket } from '../../ports/issue-tracker';
import { requireChat } from './channel-effects';
import type { EffectContext } from './effect-context';
import { postOnce } from './effect-posts';

/** A label-safe marker unique to the action item (Jira labels take no spaces; a hash fits any tracker). */
export function ticketMarker(actionSourceId: string): string {
  return `ic-${createHash('sha256').update(actionSourceId).digest('hex').slice(0, 24)}`;
}

export async function createTicket(ctx: EffectContext, claimed: Incident, actionSourceId: string): Promise<void> {
  const incident = (await ctx.store.getIncident(claimed.id)) ?? claimed;
  const chat = requireChat(incident);
  if (!ctx.tracker) {
    await ctx.chat.postMessage(chat.channelId, { text: ':warning: Tickets are not set up: set `TRACKER` (jira or github) and its variables where the bot runs (see the README).' });
    return;
  }
  if (ticketFor(incident.tickets, actionSourceId)) return; // filed already (a double click, a retry)
  const action = await ctx.store.findEventBySource(actionSourceId);
  if (!action || action.kind !== 'action' || action.incidentId !== incident.id) {
    ctx.logger.warn({ incidentId: incident.id }, 'ticket requested for an action item that is gone');
    return;
  }
  const { client, config } = ctx.tracker;
  const marker = ticketMarker(actionSourceId);
  let ticket: TrackerTicket;
  try {
    ticket = (await client.findByMarker(marker)) ?? (await client.create({ ...(await ticketText(ctx, incident, action)), marker, labels: config.labels, ...(await assignee(ctx, action)) }));
  } catch (error) {
    // Transient failures (429, 5xx, network) go back to the runner, which honours Retry-After.
    if (!(error instanceof TrackerError) || error.transient) throw error;
    ctx.logger.warn({ incidentId: incident.id, code: error.code, status: error.status }, 'tracker refused the ticket');
    await ctx.chat.postMessage(chat.channelId, { text: `:x: ${explain(client, error, CREATING)} The action item is saved; add it again with \`--ticket\` once that is fixed.` });
    return;
  }
  const now = ctx.clock.now();
  const stored: ActionTicket = { actionSourceId, key: ticket.key, url: ticket.url, state: ticket.state, statusName: ticket.statusName, createdAt: now, checkedAt: now };
  const latest = (await ctx.store.getIncident(incident.id)) ?? incident;
  const sync = firstSync(ctx, latest, now);
  await ctx.store.applyChange({
    incidentId: incident.id,
    now,
    patch: { tickets: withTicket(latest.tickets, stored), ...sync.patch },
    effects: [{ kind: 'channel.post', text: `:ticket: Filed in ${client.name} as <${ticket.url}|${ticket.key}> (${ticket.statusName}): ${action.text}` }, ...sync.effects],
  });
}

/** Display names of the people mentioned in `texts`, and of `people`. */
async function namesIn(ctx: EffectContext, texts: readonly string[], people: readonly string[]): Promise<Map<string, string>> {
  const ids = new Set([...people, ...texts.flatMap((text) => [...text.matchAll(/<@([UW][A-Z0-9]+)/g)].map((m) => m[1] ?? ''))]);
  const names = new Map<string, string>();
  for (const id of ids) names.set(id, await ctx.chat.displayName(id));
  return names;
}

function ownerOf(action: TimelineEvent): string | undefined {
  const owner = action.data?.owner;
  return typeof owner === 'string' ? owner : undefined;
}

async function ticketText(ctx: EffectContext, incident: Incident, action: TimelineEvent): Promise<{ summary: string; description: DescriptionBlock[] }> {
  const owner = ownerOf(action);
  const names = await namesIn(ctx, [action.text, incident.title], [owner, action.actorId].filter((id): id is string => !!id));
  const plain = (text: string) => slackToPlainText(text, names);
  const person = (id: string | undefined) => (id ? (names.get(id) ?? id) : 'someone');
  const chat = requireChat(incident);
  const when = formatDateTime(action.at, ctx.settings.timeZone);
  return {
    summary: plain(action.text),
    description: [
      { text: plain(action.text) },
      { text: `Action item of ${incidentKey(incident)} "${plain(incident.title)}" (${incident.severity}), recorded by ${person(action.actorId)} at ${when}.` },
      ...(owner ? [{ text: `Owner: ${person(owner)}` }] : []),
      { label: `Incident channel #${chat.channelName}`, url: `https://app.slack.com/client/${incident.teamId}/${chat.channelId}` },
      ...(incident.confluencePage ? [{ label: `Postmortem: ${incident.confluencePage.title}`, url: incident.confluencePage.url }] : []),
    ],
  };
}

/** The owner's tracker user: the configured mapping by Slack email, the tracker's own lookup, the default. */
async function assignee(ctx: EffectContext, action: TimelineEvent): Promise<{ assignee?: string }> {
  const { client, config } = ctx.tracker ?? {};
  if (!client || !config) return {};
  const owner = ownerOf(action);
  const email = owner ? (await ctx.chat.userEmail(owner))?.toLowerCase() : undefined;
  const found = email ? (config.assignees.get(email) ?? (await client.userForEmail(email))) : undefined;
  const chosen = found ?? config.defaultAssignee;
  return chosen ? { assignee: chosen } : {};
}

interface Attempt {
  /** "create the ticket" */
  doing: string;
  /** "create issues": what the token's user must be allowed to do. */
  needs: string;
}
const CREATING: Attempt = { doing: 'create the ticket', needs: 'create issues' };
const LINKING: Attempt = { doing: 'link the tickets to the postmortem', needs: 'edit and link issues' };

function explain(client: IssueTracker, error: TrackerError, attempt: Attempt): string {
  switch (error.code) {
    case 'unauthorized':
      return `${client.name} refused the bot's credentials (401): check the token where the bot runs (it may have expired or been revoked).`;
    case 'forbidden':
      return `${client.name} refused to ${attempt.doing} (403): check that the token's user may ${attempt.needs} in the project or repository.`;
    case 'not_found':
      return `${client.name} could not find the project or repository (404): check JIRA_PROJECT_KEY or GITHUB_REPOSITORY.`;
    default:
      return `${client.name} refused to ${attempt.doing}: ${error.message}.`;
  }
}

/** Our id for the link from a ticket to the incident's postmortem: the same for every export, so linking again updates. */
export function postmortemLinkId(incident: Pick<Incident, 'id'>): string {
  return `incident-commander:${incident.id}:postmortem`;
}

/**
 * The postmortem page went up after tickets were filed (tickets filed later carry it in their
 * description): each ticket gets a link to it. Linking is idempotent, so a retry repeats it safely.
 */
export async function linkTicketsToPage(ctx: EffectContext, claimed: Incident, effect: Effect): Promise<void> {
  const incident = (await ctx.store.getIncident(claimed.id)) ?? claimed;
  const page = incident.confluencePage;
  const tracker = ctx.tracker;
  if (!tracker || !page) return;
  const link = { id: postmortemLinkId(incident), url: page.url, title: page.title };
  let refused: { keys: string[]; error: TrackerError } | undefined;
  for (const ticket of incident.tickets ?? []) {
    if (ticket.gone) continue;
    try {
      await tracker.client.linkPage(ticket.key, link);
    } catch (error) {
      if (!(error instanceof TrackerError) || error.transient) throw error;
      ctx.logger.warn({ incidentId: incident.id, code: error.code, status: error.status }, 'tracker refused the postmortem link');
      refused = { keys: [...(refused?.keys ?? []), ticket.key], error };
    }
  }
  if (refused && incident.chat) {
    const text = `:warning: ${explain(tracker.client, refused.error, LINKING)} Not linked: ${refused.keys.join(', ')}; the postmortem still lists them.`;
    await postOnce(ctx, incident, effect, incident.chat.channelId, { text }, 'tickets-link');
  }
}

/** Each ticket as the tracker has it now; undefined when the tracker could not be read. */
async function readTickets(ctx: EffectContext, incident: Incident): Promise<ActionTicket[] | undefined> {
  const tracker = ctx.tracker;
  if (!tracker || !incident.tickets?.length) return undefined;
  const now = ctx.clock.now();
  try {
    return await Promise.all(
      incident.tickets.map(async (known): Promise<ActionTicket> => {
        const current = await tracker.client.get(known.key);
        return current ? { ...known, state: current.state, statusName: current.statusName, checkedAt: now } : { ...known, checkedAt: now, gone: true };
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
function firstSync(ctx: EffectContext, incident: Incident, now: number): { patch: { ticketSyncDue?: number }; effects: EffectSpec[] } {
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
  const lines = changed.map((t) => `• <${t.url}|${t.key}> ${t.gone ? `no longer exists in ${tracker}` : `is ${TICKET_STATE_WORDS[t.state]} (${t.statusName})`}`);
  const last = ending ? [ENDINGS[ending]] : [];
  const text = lines.length ? [`:ticket: Follow-up tickets changed in ${tracker}:`, ...lines, ...last].join('\n') : `:ticket: ${last.join('')}`;
  try {
    await postOnce(ctx, incident, effect, requireChat(incident).channelId, { text }, 'tickets-sync');
  } catch (error) {
    // An archived or left channel must not stop the sync: the postmortem still shows the states.
    if (!(error instanceof ChatError) || error.transient) throw error;
    ctx.logger.warn({ incidentId: incident.id, code: error.code }, 'could not say in the channel which tickets changed');
  }
}
