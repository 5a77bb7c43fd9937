// "Add to incident timeline" on any message the bot can see: the person picks an incident (the
// channel's own by default) and the message joins its timeline with its own author and time and a
// link to the original. Adding the same message to the same incident again changes nothing.

import { AppError } from './errors';
import { incidentKey, type Incident } from '../domain/incident';
import { tsToMillis } from '../domain/transcript';
import { maySee, visibleTo, type ChannelMembers } from './app-home';
import type { Invocation, UseCaseDeps } from './context';
import { channel, link, said, user } from '../domain/said';

/** The incidents the person may add to, newest first, and which one the form picks first. */
export async function timelineTargets(
  deps: UseCaseDeps,
  members: ChannelMembers,
  who: { teamId: string; userId: string; channelId: string },
): Promise<{ incidents: Incident[]; initial?: string }> {
  const incidents = await visibleTo(await deps.store.listOpenIncidents(who.teamId), who.userId, members);
  const own = incidents.find((i) => i.chat?.channelId === who.channelId);
  return own ? { incidents, initial: own.id } : { incidents };
}

export function addedMessageSourceId(incidentId: string, channelId: string, ts: string): string {
  return `added:${incidentId}:${channelId}:${ts}`;
}

/** A message someone adds, as the form carried it. */
export interface AddedMessage {
  ts: string;
  userId: string;
  authorName?: string;
  /** In the stored form (Slack's escaped message text). */
  text: string;
  permalink?: string;
}

/** `who.channelId` is where the message was posted. */
export async function addMessageToTimeline(
  deps: UseCaseDeps,
  members: ChannelMembers,
  who: Invocation,
  incidentId: string,
  message: AddedMessage,
): Promise<{ incident: Incident; duplicate: boolean }> {
  const incident = await deps.store.getIncident(incidentId);
  if (!incident || !(await maySee(incident, who.userId, members))) throw new AppError('not_found', 'That incident is not one you can add to; pick another.');
  const now = deps.clock.now();
  const original = message.permalink ? said` (${link(message.permalink, 'original')})` : '';
  const result = await deps.store.applyChange({
    incidentId: incident.id,
    now,
    events: [
      {
        incidentId: incident.id,
        kind: 'message',
        at: tsToMillis(message.ts),
        recordedAt: now,
        // An integration's message has no person behind it: it is named by `data.author`.
        ...(message.authorName ? {} : { actorId: message.userId }),
        text: message.text,
        sourceId: addedMessageSourceId(incident.id, who.channelId, message.ts),
        data: {
          highlightedBy: who.userId,
          via: 'shortcut',
          fromChannel: who.channelId,
          ...(message.permalink ? { permalink: message.permalink } : {}),
          ...(message.authorName ? { author: message.authorName } : {}),
        },
      },
    ],
    effects: [
      { kind: 'header.update' },
      {
        kind: 'channel.post',
        text: said`:inbox_tray: ${user(who.userId)} added a message from ${channel(who.channelId)} to the timeline of ${incidentKey(incident)}${original}.`,
      },
    ],
  });
  return { incident, duplicate: result.duplicate };
}
