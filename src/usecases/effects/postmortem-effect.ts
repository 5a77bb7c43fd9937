// Compile the postmortem from stored state, keep it as a new version, post it as a Markdown file.

import type { Effect } from '../../domain/effects';
import { incidentKey, type Incident } from '../../domain/incident';
import { humanizeDuration } from '../../domain/time-format';
import { renderMarkdown } from '../../postmortem/render-markdown';
import { compileCurrentPostmortem } from './postmortem-source';
import { requireChat } from './channel-effects';
import type { EffectContext } from './effect-context';
import { effectPostMetadata, findEarlierFileShare, postOnce } from './effect-posts';

const PROMPT_PART = 'export prompt';

export function postmortemFilename(incident: Incident, version: number): string {
  return `${incidentKey(incident)}-postmortem-v${version}.md`;
}

/**
 * A retry (after a failed upload or a crash) posts the version the first attempt saved rather than
 * compiling another one: the saved version is the one this request produced. A file that attempt
 * already shared is not shared again: files.uploadV2 takes no message metadata, so the share is
 * found by the file's name, which names the incident and the version.
 */
export async function publishPostmortem(ctx: EffectContext, incident: Incident, effect: Effect): Promise<void> {
  const chat = requireChat(incident);
  const { model, timeline } = await compileCurrentPostmortem(ctx, incident);
  const latest = await ctx.store.latestPostmortem(incident.id);
  const saved = latest && latest.createdAt >= effect.createdAt ? latest : await ctx.store.savePostmortem(incident.id, renderMarkdown(model), ctx.clock.now());
  const markdown = saved.markdown;
  const end = incident.resolvedAt ?? incident.closedAt;
  const lasted = end === undefined ? 'still ongoing' : `lasted ${humanizeDuration(end - incident.declaredAt)}`;
  const actions = timeline.filter((e) => e.kind === 'action').length;
  const summary =
    `:page_facing_up: Postmortem draft v${saved.version} for *${incidentKey(incident)}*: ${incident.severity}, ${lasted}, ` +
    `${timeline.length} timeline entries, ${actions} action item${actions === 1 ? '' : 's'}. ` +
    'Edit the placeholders marked _To be completed_ before sharing.';
  const filename = postmortemFilename(incident, saved.version);
  const prompt = ctx.messages.exportPrompt(incident, ctx.confluence.config);
  if (await findEarlierFileShare(ctx, incident, effect, chat.channelId, filename)) {
    await postOnce(ctx, incident, effect, chat.channelId, prompt, PROMPT_PART);
    return;
  }
  await ctx.chat.uploadTextFile(chat.channelId, { filename, title: `Postmortem: ${incidentKey(incident)} ${incident.title}`, content: markdown, initialComment: summary });
  // The prompt is posted after the file, so with the file not shared before there is no earlier prompt to look for.
  await ctx.chat.postMessage(chat.channelId, { ...prompt, metadata: effectPostMetadata(incident, effect, PROMPT_PART) });
}
