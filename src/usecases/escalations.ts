// Paging people, groups and policies; acknowledging pages; ending them when the incident resolves.

import { AppError } from './errors';
import { pageOutcome } from '../domain/page-outcome';
import {
  acknowledgeEscalation,
  cancelEscalation,
  isPaging,
  levelsFor,
  pagedUsers,
  startEscalation,
  type Escalation,
  type EscalationTarget,
  type NewEscalation,
} from '../domain/escalation';
import { targetData } from '../domain/escalation';
import { incidentKey, type Incident } from '../domain/incident';
import { humanizeDuration } from '../domain/time-format';
import type { NewTimelineEvent } from '../domain/timeline';
import type { Invocation, Reply, UseCaseDeps } from './context';
import { incidentForChannel, openIncidentForChannel } from './incident-lookup';
import { recordChange, retryOnConflict, type ChangeExtras } from './record-change';
import { joined, paged, said, user } from '../domain/said';

function policyChoices(deps: UseCaseDeps): string {
  const names = [...deps.settings.escalation.policies.keys()];
  return names.length ? `Policies: ${names.map((n) => `\`${n}\``).join(', ')}.` : 'No escalation policies are configured (ESCALATION_POLICIES_FILE).';
}

/** A new escalation of `target` with its first `paged` event and the work to page level 1. */
export function beginEscalation(
  deps: UseCaseDeps,
  incident: Pick<Incident, 'id'>,
  input: { target: EscalationTarget; reason?: string; requestedBy: string; trigger: Escalation['trigger']; sourceId: string; now: number },
): { escalation: NewEscalation; event: NewTimelineEvent } {
  const policy = input.target.kind === 'policy' ? deps.settings.escalation.policies.get(input.target.name) : undefined;
  if (input.target.kind === 'policy' && !policy) {
    throw new AppError('invalid_input', `There is no escalation policy "${input.target.name}". ${policyChoices(deps)} Or page a person (\`@name\`) or a group (\`@group\`).`);
  }
  const escalation = startEscalation({
    id: deps.newId(),
    incidentId: incident.id,
    target: input.target,
    levels: levelsFor(input.target, policy),
    ...(input.reason ? { reason: input.reason } : {}),
    requestedBy: input.requestedBy,
    trigger: input.trigger,
    now: input.now,
  });
  const event: NewTimelineEvent = {
    incidentId: incident.id,
    kind: 'escalation',
    at: input.now,
    recordedAt: input.now,
    actorId: input.requestedBy,
    text: input.reason ?? '',
    sourceId: input.sourceId,
    data: { step: 'paged', escalationId: escalation.id, level: 0, ...targetData(input.target), trigger: input.trigger },
  };
  return { escalation, event };
}

export async function escalate(deps: UseCaseDeps, who: Invocation, target: EscalationTarget, reason?: string): Promise<Reply> {
  const incident = await openIncidentForChannel(deps.store, who.channelId, 'escalate');
  await deps.access.requireControl(incident, who.userId, 'page people');
  const now = deps.clock.now();
  const { escalation, event } = beginEscalation(deps, incident, { target, reason, requestedBy: who.userId, trigger: 'manual', sourceId: who.sourceId, now });
  const result = await deps.store.applyChange({
    incidentId: incident.id,
    now,
    events: [event],
    effects: [{ kind: 'escalation.page', escalationId: escalation.id, level: 0 }, { kind: 'header.update' }],
    escalations: [{ escalation, expectedVersion: null }],
  });
  if (result.duplicate) return { text: 'That page was already sent.' };
  const levels = escalation.levels.length > 1 ? ` (${escalation.levels.length} levels; the next is paged if nobody acknowledges in time)` : '';
  return {
    inChannel: true,
    text: said`:rotating_light: ${user(who.userId)} is paging ${paged(target)}${levels}${reason ? `: ${reason}` : ''}. They get a DM with an Acknowledge button.`,
  };
}

/** Events, effects and writes that stop every page still running (the incident resolved). */
export function cancellationOf(escalations: readonly Escalation[], now: number, actorId: string): ChangeExtras {
  const paging = escalations.filter(isPaging);
  return {
    events: paging.map((e) => ({
      incidentId: e.incidentId,
      kind: 'escalation',
      at: now,
      recordedAt: now,
      actorId,
      text: '',
      sourceId: `esc:${e.id}:cancelled`,
      data: { step: 'cancelled', escalationId: e.id, level: e.currentLevel, ...targetData(e.target) },
    })),
    effects: paging.map((e) => ({ kind: 'escalation.settle', escalationId: e.id })),
    escalations: paging.map((e) => ({ escalation: cancelEscalation(e, now), expectedVersion: e.version })),
  };
}

/** Acknowledges pages on behalf of `userId`, in the change that records the acknowledgement. */
export function acknowledgementOf(escalations: readonly Escalation[], userId: string, now: number): ChangeExtras {
  return {
    events: [],
    effects: escalations.flatMap((e) => [{ kind: 'escalation.settle', escalationId: e.id } as const]),
    escalations: escalations.map((e) => ({ escalation: acknowledgeEscalation(e, userId, now), expectedVersion: e.version })),
  };
}

/** The pages `/incident ack` stops: those that paged this person, or else every page still running. */
export function pagesStoppedBy(escalations: readonly Escalation[], userId: string): Escalation[] {
  const paging = escalations.filter(isPaging);
  const mine = paging.filter((e) => pagedUsers(e).includes(userId));
  return mine.length > 0 ? mine : paging;
}

/** The Acknowledge button in a page DM. A double press or a retried delivery records one acknowledgement. */
export async function acknowledgePage(deps: UseCaseDeps, userId: string, escalationId: string): Promise<Reply> {
  return retryOnConflict(async () => {
    const escalation = await deps.store.getEscalation(escalationId);
    const incident = escalation && (await deps.store.getIncident(escalation.incidentId));
    if (!escalation || !incident) throw new AppError('not_found', 'That page no longer exists.');
    if (!isPaging(escalation)) {
      return { text: said`This page was already ${pageOutcome(escalation, deps.settings.timeZone)}.` };
    }
    const now = deps.clock.now();
    const latency = humanizeDuration(now - escalation.createdAt);
    await recordChange(deps, { teamId: incident.teamId, userId, channelId: incident.chat?.channelId ?? '', sourceId: `ack:${escalation.id}:${userId}` }, incident, {
      kind: 'acknowledged',
      text: '',
      data: { escalationId: escalation.id, ...targetData(escalation.target) },
      effects: [
        { kind: 'header.update' },
        { kind: 'channel.post', text: said`:white_check_mark: ${user(userId)} acknowledged the page to ${paged(escalation.target)} after ${latency}.` },
      ],
      also: acknowledgementOf([escalation], userId, now),
    });
    return { text: `Thanks — you acknowledged ${incidentKey(incident)} after ${latency}.` };
  });
}

export async function listEscalations(deps: UseCaseDeps, who: Invocation): Promise<Reply> {
  const incident = await incidentForChannel(deps.store, who.channelId, 'escalations');
  const escalations = await deps.store.listEscalations(incident.id);
  if (escalations.length === 0) return { text: `Nobody has been paged for ${incidentKey(incident)}. Page with \`/incident escalate @person|@group|<policy> [reason]\`.` };
  const tz = deps.settings.timeZone;
  const lines = escalations.map((e) => {
    const who = pagedUsers(e);
    const pagedWho = who.length
      ? said` — paged ${joined(
          who.map((id) => [user(id)]),
          ', ',
        )}`
      : '';
    return said`• ${paged(e.target)}${e.reason ? ` (${e.reason})` : ''}: ${pageOutcome(e, tz)}${pagedWho}`;
  });
  return { text: joined([`*Pages for ${incidentKey(incident)}*`, ...lines], '\n') };
}
