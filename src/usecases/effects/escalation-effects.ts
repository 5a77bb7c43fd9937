// Paging: expand a level into people, invite and DM each with an Acknowledge button, and update
// those DMs once the page ends. A person who cannot be reached is reported, the others go on.

import type { Effect, EffectSpec } from '../../domain/effects';
import { isPaging, recordNotice, recordPagedUsers, type Escalation, type PageNotice } from '../../domain/escalation';
import type { Incident } from '../../domain/incident';
import { ChatError } from '../../ports/chat-gateway';
import { retryOnConflict } from '../record-change';
import { requireChat } from './channel-effects';
import type { EffectContext } from './effect-context';
import { postOnce } from './effect-posts';
import { joined, paged, said, user } from '../../domain/said';

/** Read, change and write one escalation, again from the top if someone changed it meanwhile. */
async function updateEscalation(
  ctx: EffectContext,
  escalationId: string,
  change: (current: Escalation) => { escalation: Escalation; effects?: EffectSpec[] } | undefined,
): Promise<void> {
  await retryOnConflict(async () => {
    const current = await ctx.store.getEscalation(escalationId);
    if (!current) return;
    const next = change(current);
    if (!next) return;
    await ctx.store.applyChange({
      incidentId: current.incidentId,
      now: ctx.clock.now(),
      effects: next.effects ?? [],
      escalations: [{ escalation: next.escalation, expectedVersion: current.version }],
    });
  });
}

function isPermanent(error: unknown): error is ChatError {
  return error instanceof ChatError && !error.transient;
}

async function membersOf(ctx: EffectContext, incident: Incident, effect: Effect, usergroupIds: string[]): Promise<string[]> {
  const members: string[] = [];
  for (const group of usergroupIds) {
    try {
      members.push(...(await ctx.chat.usergroupMembers(group)));
    } catch (error) {
      if (!isPermanent(error)) throw error;
      const text = `:warning: I could not read the members of user group ${group} (${error.code}); nobody from it was paged.`;
      await postOnce(ctx, incident, effect, requireChat(incident).channelId, { text }, `usergroup ${group}`);
    }
  }
  return members;
}

/** Expands the level once; the people found are stored before anyone is invited or DMed. */
export async function pageLevel(ctx: EffectContext, incident: Incident, effect: Effect, escalationId: string, level: number): Promise<void> {
  const escalation = await ctx.store.getEscalation(escalationId);
  const page = escalation?.pages.find((p) => p.level === level);
  // Acknowledged or cancelled before we got here, or already expanded by an earlier attempt.
  if (!escalation || !page || !isPaging(escalation) || escalation.currentLevel !== level || page.userIds) return;
  const definition = escalation.levels[level];
  const userIds = [...new Set([...definition.userIds, ...(await membersOf(ctx, incident, effect, definition.usergroupIds))])];
  const label = paged(escalation.target);
  const levelNote = escalation.levels.length > 1 ? ` (level ${level + 1} of ${escalation.levels.length})` : '';
  const line =
    userIds.length > 0
      ? said`:rotating_light: Paging ${joined(
          userIds.map((id) => [user(id)]),
          ', ',
        )} for ${label}${levelNote}${escalation.reason ? `: ${escalation.reason}` : ''}`
      : said`:warning: ${label}${levelNote} has nobody to page (an empty group?).${escalation.deadlineAt !== undefined ? ' The next level follows when this one times out.' : ''}`;
  await updateEscalation(ctx, escalationId, (current) =>
    current.pages.find((p) => p.level === level)?.userIds
      ? undefined
      : {
          escalation: recordPagedUsers(current, level, userIds),
          effects: [
            { kind: 'channel.post', text: line },
            ...(userIds.length > 0 ? [{ kind: 'channel.invite', userIds } as const] : []),
            ...userIds.map((userId) => ({ kind: 'escalation.notify', escalationId, level, userId }) as const),
          ],
        },
  );
}

/** The DM is tagged with the effect, so a retry after a crash finds it rather than paging the person twice. */
export async function notifyPagedUser(ctx: EffectContext, incident: Incident, effect: Effect, escalationId: string, level: number, userId: string): Promise<void> {
  const escalation = await ctx.store.getEscalation(escalationId);
  if (!escalation || !isPaging(escalation)) return; // no DM for a page that already ended
  if (escalation.pages.find((p) => p.level === level)?.notices.some((n) => n.userId === userId && (n.ts || n.error))) return;
  let notice: PageNotice;
  try {
    const channelId = await ctx.chat.openDirectMessage(userId);
    const { ts } = await postOnce(ctx, incident, effect, channelId, ctx.messages.page(incident, escalation, level), 'page');
    notice = { userId, channelId, ts };
  } catch (error) {
    if (!isPermanent(error)) throw error;
    notice = { userId, error: error.code };
    const text = ctx.messages.text(said`:warning: I could not DM ${user(userId)} about the page (${error.code}). Reach them another way; the others were paged.`);
    await postOnce(ctx, incident, effect, requireChat(incident).channelId, { text }, 'page failed');
  }
  await updateEscalation(ctx, escalationId, (current) => ({ escalation: recordNotice(current, level, notice) }));
}

/** Every DM of an ended page now says how it ended (and loses its button). */
export async function settlePageMessages(ctx: EffectContext, incident: Incident, escalationId: string): Promise<void> {
  const escalation = await ctx.store.getEscalation(escalationId);
  if (!escalation || isPaging(escalation)) return;
  const message = ctx.messages.settledPage(incident, escalation, ctx.settings.timeZone);
  for (const notice of escalation.pages.flatMap((p) => p.notices)) {
    if (!notice.channelId || !notice.ts) continue;
    try {
      await ctx.chat.updateMessage(notice.channelId, notice.ts, message);
    } catch (error) {
      if (!isPermanent(error)) throw error;
      ctx.logger.warn({ escalationId, code: error.code }, 'could not update a page DM');
    }
  }
}
