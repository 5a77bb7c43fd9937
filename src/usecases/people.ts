// Who runs the incident: commander, roles, acknowledgements.

import { targetData } from '../domain/escalation';
import { incidentKey } from '../domain/incident';
import { formatClockTime } from '../domain/time-format';
import type { Invocation, Reply, UseCaseDeps } from './context';
import { openIncidentForChannel } from './incident-lookup';
import { acknowledgementOf, pagesStoppedBy } from './escalations';
import { recordChange, retryOnConflict } from './record-change';
import { joined, paged, said, user } from '../domain/said';

export async function changeLead(deps: UseCaseDeps, who: Invocation, userId: string): Promise<Reply> {
  const incident = await openIncidentForChannel(deps.store, who.channelId, 'lead');
  if (incident.commanderId === userId) return { text: said`${user(userId)} is already the incident commander.` };
  await recordChange(deps, who, incident, {
    kind: 'lead',
    text: '',
    data: { from: incident.commanderId, to: userId },
    patch: { commanderId: userId },
    effects: [{ kind: 'channel.invite', userIds: [userId] }, { kind: 'header.update' }],
  });
  return { inChannel: true, text: said`:crown: ${user(userId)} is now the incident commander (was ${user(incident.commanderId)}).` };
}

export async function assignRole(deps: UseCaseDeps, who: Invocation, role: string, userId: string): Promise<Reply> {
  const incident = await openIncidentForChannel(deps.store, who.channelId, 'role');
  if (incident.roles[role] === userId) return { text: said`${user(userId)} already has the role *${role}*.` };
  const previous = incident.roles[role];
  await recordChange(deps, who, incident, {
    kind: 'role',
    text: '',
    data: { role, to: userId, from: previous ?? null },
    patch: { roles: { ...incident.roles, [role]: userId } },
    effects: [{ kind: 'channel.invite', userIds: [userId] }, { kind: 'header.update' }],
  });
  return { inChannel: true, text: said`:bust_in_silhouette: ${user(userId)} is now *${role}*${previous ? said` (was ${user(previous)})` : ''}.` };
}

/**
 * "I'm on it": records the acknowledgement and stops the pages it answers (those that paged this
 * person, or else every page still running). Repeating it without pages to stop changes nothing.
 */
export async function acknowledge(deps: UseCaseDeps, who: Invocation): Promise<Reply> {
  return retryOnConflict(async () => {
    const incident = await openIncidentForChannel(deps.store, who.channelId, 'ack');
    const stopped = pagesStoppedBy(await deps.store.listEscalations(incident.id), who.userId);
    const earlier = (await deps.store.listTimeline(incident.id)).find((e) => e.kind === 'acknowledged' && e.actorId === who.userId);
    if (earlier && stopped.length === 0) {
      return { text: `You acknowledged ${incidentKey(incident)} at ${formatClockTime(earlier.at, deps.settings.timeZone)} already.` };
    }
    const now = deps.clock.now();
    await recordChange(deps, who, incident, {
      kind: 'acknowledged',
      text: '',
      ...(stopped.length === 1 ? { data: { escalationId: stopped[0].id, ...targetData(stopped[0].target) } } : {}),
      effects: [{ kind: 'header.update' }],
      also: acknowledgementOf(stopped, who.userId, now),
    });
    const pages = stopped.length
      ? said` Stopped paging ${joined(
          stopped.map((e) => [paged(e.target)]),
          ', ',
        )}.`
      : '';
    return { inChannel: true, text: said`:eyes: ${user(who.userId)} acknowledged and is on it.${pages}` };
  });
}
