import type { Effect } from '../../domain/effects';
import type { Incident } from '../../domain/incident';
import { announce, updateAnnouncement } from './announcement-effects';
import { archiveChannel } from './archive-effect';
import { createChannel, describeChannel, inviteUsers, notifyUser, postHeader, postInChannel, replyToDeclarer, updateHeader } from './channel-effects';
import type { EffectContext } from './effect-context';
import { notifyPagedUser, pageLevel, settlePageMessages } from './escalation-effects';
import { exportToConfluence } from './export-effect';
import { publishPostmortem } from './postmortem-effect';
import { fireReminder } from './reminder-effects';
import { createTicket, linkTicketsToPage } from './ticket-effects';
import { syncTickets } from './ticket-sync';

/**
 * Every handler is idempotent: a retry after a crash or a timeout must not repeat what was done. Posts
 * are found again through their tag (effect-posts.ts) when `effect.startedAt` says an attempt began.
 */
export async function runEffect(ctx: EffectContext, incident: Incident, effect: Effect): Promise<void> {
  const spec = effect.spec;
  switch (spec.kind) {
    case 'channel.create':
      return createChannel(ctx, incident, spec.name);
    case 'channel.invite':
      return inviteUsers(ctx, incident, effect, spec.userIds);
    case 'channel.describe':
      return describeChannel(ctx, incident);
    case 'header.post':
      return postHeader(ctx, incident, effect);
    case 'header.update':
      return updateHeader(ctx, incident);
    case 'announce':
      return announce(ctx, incident, effect, spec.channelId);
    case 'announcement.update':
      return updateAnnouncement(ctx, incident);
    case 'reminder':
      return fireReminder(ctx, incident, effect, spec.topic, spec.at);
    case 'declarer.reply':
      return replyToDeclarer(ctx, incident);
    case 'channel.post':
      return postInChannel(ctx, incident, effect, ctx.messages.text(spec.text));
    case 'user.notify':
      return notifyUser(ctx, spec.channelId, spec.userId, ctx.messages.text(spec.text));
    case 'escalation.page':
      return pageLevel(ctx, incident, effect, spec.escalationId, spec.level);
    case 'escalation.notify':
      return notifyPagedUser(ctx, incident, effect, spec.escalationId, spec.level, spec.userId);
    case 'escalation.settle':
      return settlePageMessages(ctx, incident, spec.escalationId);
    case 'postmortem.publish':
      return publishPostmortem(ctx, incident, effect);
    case 'postmortem.export':
      return exportToConfluence(ctx, incident);
    case 'ticket.create':
      return createTicket(ctx, incident, spec.actionSourceId);
    case 'tickets.sync':
      return syncTickets(ctx, incident, effect, spec.at);
    case 'channel.archive':
      return archiveChannel(ctx, incident, effect);
    case 'tickets.link':
      return linkTicketsToPage(ctx, incident, effect);
  }
}
