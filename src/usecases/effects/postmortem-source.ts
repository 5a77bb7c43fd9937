// The postmortem as it stands now: compiled from the stored incident, timeline and escalations,
// with people's names looked up. The Markdown file and the Confluence page both start here.

import type { Incident } from '../../domain/incident';
import type { TimelineEvent } from '../../domain/timeline';
import { compilePostmortem } from '../../postmortem/compile';
import { escalationPeople } from '../../postmortem/compile-escalations';
import type { PostmortemModel } from '../../postmortem/model';
import type { EffectContext } from './effect-context';
import { refreshTickets } from './ticket-sync';

const MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;

/** Everyone the document names: actors, commander, roles, owners and people mentioned in text. */
export function peopleIn(incident: Incident, timeline: TimelineEvent[]): Set<string> {
  const ids = new Set<string>([incident.commanderId, incident.declaredBy, ...Object.values(incident.roles)]);
  const addMentions = (text: string | undefined) => {
    for (const m of (text ?? '').matchAll(MENTION)) ids.add(m[1]);
  };
  for (const e of timeline) {
    if (e.actorId) ids.add(e.actorId);
    for (const value of Object.values(e.data ?? {})) if (typeof value === 'string' && /^[UW][A-Z0-9]+$/.test(value)) ids.add(value);
    addMentions(e.text);
  }
  for (const text of [incident.impact, incident.rootCause, incident.resolutionSummary, incident.conclusion, incident.description]) addMentions(text);
  return ids;
}

async function resolveNames(ctx: EffectContext, ids: Set<string>): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  await Promise.all([...ids].map(async (id) => names.set(id, await ctx.chat.displayName(id))));
  return names;
}

export async function compileCurrentPostmortem(ctx: EffectContext, stored: Incident): Promise<{ model: PostmortemModel; timeline: TimelineEvent[] }> {
  // Ticket states as the tracker has them now: the measures table says what is done.
  const incident = await refreshTickets(ctx, stored);
  const timeline = await ctx.store.listTimeline(incident.id);
  const escalations = await ctx.store.listEscalations(incident.id);
  const people = peopleIn(incident, timeline);
  for (const id of escalationPeople(escalations)) people.add(id);
  const names = await resolveNames(ctx, people);
  const model = compilePostmortem({ incident, timeline, escalations, timeZone: ctx.settings.timeZone, names, compiledAt: ctx.clock.now() });
  return { model, timeline };
}
