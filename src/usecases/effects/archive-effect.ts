// The incident channel's end: INCIDENT_ARCHIVE_AFTER after close, the bot says so in the channel,
// then archives it. The notice is tagged with the effect, so a retry after a crash does not repeat
// it; archiving a channel already archived counts as done.

import type { Effect } from '../../domain/effects';
import { incidentKey, type Incident } from '../../domain/incident';
import { humanizeDuration } from '../../domain/time-format';
import { ChatError } from '../../ports/chat-gateway';
import type { EffectContext } from './effect-context';
import { postOnce } from './effect-posts';
import { joined, link, said } from '../../domain/said';

export async function archiveChannel(ctx: EffectContext, claimed: Incident, effect: Effect): Promise<void> {
  const incident = (await ctx.store.getIncident(claimed.id)) ?? claimed;
  if (incident.status !== 'closed' || !incident.chat) return;
  const page = incident.confluencePage;
  const since = incident.closedAt === undefined ? '' : ` ${humanizeDuration(ctx.clock.now() - incident.closedAt)} ago`;
  const text = ctx.messages.text(
    joined(
      [
        `:file_cabinet: ${incidentKey(incident)} closed${since}, so this channel is archived now.`,
        'Its messages stay searchable, and anyone can unarchive it from the channel settings.',
        page ? said`The postmortem: ${link(page.url, page.title)}` : 'The postmortem draft is the file posted above.',
      ],
      ' ',
    ),
  );
  const channelId = incident.chat.channelId;
  await postOnce(ctx, incident, effect, channelId, { text }, 'archive-notice');
  try {
    await ctx.chat.archiveChannel(channelId);
  } catch (error) {
    // Workspace settings can keep apps from archiving: worth a clear sentence, not a bare error code.
    if (!(error instanceof ChatError) || error.code !== 'restricted_action') throw error;
    ctx.logger.warn({ incidentId: incident.id }, 'the workspace does not let the bot archive channels');
    await postOnce(
      ctx,
      incident,
      effect,
      channelId,
      { text: ':warning: This workspace does not let apps archive channels (restricted_action): please archive this channel from its settings.' },
      'archive-refused',
    );
  }
}
