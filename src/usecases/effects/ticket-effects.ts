// File an action item in the team's tracker, once. The ticket is stored with the incident; before
// creating one, the tracker is asked for a ticket carrying the item's marker, so a create whose
// answer was lost (a crash, a timeout, another replica) is adopted instead of repeated. A double
// click queues two effects: they run one after the other, and the second finds the first's ticket.
// Tickets filed before the postmortem page existed are linked to it once it is created.

import { createHash } from 'node:crypto';

import { incidentKey, type Incident } from '../../domain/incident';
import type { Effect } from '../../domain/effects';
import { ticketFor, withTicket, type ActionTicket } from '../../domain/tickets';
import type { TimelineEvent } from '../../domain/timeline';
import { formatDateTime } from '../../domain/time-format';
import { slackToPlainText } from '../../postmortem/slack-text';
import { TrackerError, type DescriptionBlock, type IssueTracker, type TrackerTicket } from '../../ports/issue-tracker';
import { currentEntryBySource } from '../corrections';
import { requireChat } from './channel-effects';
import type { EffectContext } from './effect-context';
import { postOnce } from './effect-posts';
import { firstSync } from './ticket-sync';
import { link, said } from '../../domain/said';

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
  // As the record reads now: an edited item is filed with its corrected text, a removed one not at all.
  const action = await currentEntryBySource(ctx.store, actionSourceId);
  if (!action || action.kind !== 'action' || action.incidentId !== incident.id) {
    ctx.logger.warn({ incidentId: incident.id }, 'ticket requested for an action item that is gone');
    return;
  }
  const { client, config } = ctx.tracker;
  const marker = ticketMarker(actionSourceId);
  let ticket: TrackerTicket;
  try {
    ticket =
      (await client.findByMarker(marker)) ??
      (await client.create({ ...(await ticketText(ctx, incident, action)), marker, labels: config.labels, ...(await assignee(ctx, action)) }));
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
    effects: [{ kind: 'channel.post', text: said`:ticket: Filed in ${client.name} as ${link(ticket.url, ticket.key)} (${ticket.statusName}): ${action.text}` }, ...sync.effects],
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
  const names = await namesIn(
    ctx,
    [action.text, incident.title],
    [owner, action.actorId].filter((id): id is string => !!id),
  );
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
