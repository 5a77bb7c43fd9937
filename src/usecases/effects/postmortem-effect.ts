// Compile the postmortem from stored state, keep it as a new version, post it as a Markdown file.

import { incidentKey, type Incident } from '../../domain/incident';
import { humanizeDuration } from '../../domain/time-format';
import { exportPrompt } from '../../blocks/export-prompt';
import { renderMarkdown } from '../../postmortem/render-markdown';
import { compileCurrentPostmortem } from './postmortem-source';
import { requireChat } from './channel-effects';
import type { EffectContext } from './effect-context';

export function postmortemFilename(incident: Incident, version: number): string {
  return `${incidentKey(incident)}-postmortem-v${version}.md`;
}

/**
 * A retry (after a failed upload or a crash) posts the version the first attempt saved rather than
 * compiling another one: the saved version is the one this request produced.
 */
export async function publishPostmortem(ctx: EffectContext, incident: Incident, requestedAt: number): Promise<void> {
  const chat = requireChat(incident);
  const { model, timeline } = await compileCurrentPostmortem(ctx, incident);
  const latest = await ctx.store.latestPostmortem(incident.id);
  const saved = latest && latest.createdAt >= requestedAt ? latest : await ctx.store.savePostmortem(incident.id, renderMarkdown(model), ctx.clock.now());
  const markdown = saved.markdown;
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
  await ctx.chat.postMessage(chat.channelId, exportPrompt(incident, ctx.confluence.config));
}
