// Compile the postmortem from stored state, keep it as a new version, post it as a Markdown file.

import { incidentKey, type Incident } from '../../domain/incident';
import type { TimelineEvent } from '../../domain/timeline';
import { humanizeDuration } from '../../domain/time-format';
import { compilePostmortem } from '../../postmortem/compile';
import { escalationPeople } from '../../postmortem/compile-escalations';
import { renderMarkdown } from '../../postmortem/render-markdown';
import { requireChat } from './channel-effects';
import type { EffectContext } from './effect-context';

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

export function postmortemFilename(incident: Incident, version: number): string {
  return `${incidentKey(incident)}-postmortem-v${version}.md`;
}

export async function publishPostmortem(ctx: EffectContext, incident: Incident): Promise<void> {
  const chat = requireChat(incident);
  const timeline = await ctx.store.listTimeline(incident.id);
  const escalations = await ctx.store.listEscalations(incident.id);
  const people = peopleIn(incident, timeline);
  for (const id of escalationPeople(escalations)) people.add(id);
  const names = await resolveNames(ctx, people);
  const now = ctx.clock.now();
  const model = compilePostmortem({ incident, timeline, escalations, timeZone: ctx.settings.timeZone, names, compiledAt: now });
  const markdown = renderMarkdown(model);
  const saved = await ctx.store.savePostmortem(incident.id, markdown, now);
  const end = incident.resolvedAt ?? incident.closedAt;
  const lasted = end === undefined ? 'still ongoing' : `lasted ${humanizeDuration(end - incident.declaredAt)}`;
  const actions = timeline.filter((e) => e.kind === 'action').length;
  const summary =
    `:page_facing_up: Postmortem draft v${saved.version} for *${incidentKey(incident)}*: ${incident.severity}, ${lasted}, ` +
    `${timeline.length} timeline entries, ${actions} action item${actions === 1 ? '' : 's'}. ` +
    'Edit the placeholders marked _To be completed_ before sharing.';
  await ctx.chat.uploadTextFile(chat.channelId, {
    filename: postmortemFilename(incident, saved.version),
    title: `Postmortem: ${incidentKey(incident)} ${incident.title}`,
    content: markdown,
    initialComment: summary,
  });
}
