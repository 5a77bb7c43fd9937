import { AppError } from './errors';
import { incidentChannelName } from '../domain/channel-name';
import type { EffectSpec } from '../domain/effects';
import { DEFAULT_SEVERITY, incidentKey, type Incident, type NewIncident, type Severity } from '../domain/incident';
import { initialDeadlines } from '../domain/reminders';
import type { UseCaseDeps, Invocation, Reply } from './context';
import { beginEscalation } from './escalations';

export interface DeclareInput {
  title: string;
  severity?: Severity;
  description?: string;
  isPrivate: boolean;
}

/**
 * Stores the incident, its `declared` event and the Slack work it implies in one write; the
 * channel is created afterwards from stored state, so a crash or a Slack outage loses nothing.
 */
export async function declareIncident(deps: UseCaseDeps, who: Invocation, input: DeclareInput): Promise<{ incident: Incident; duplicate: boolean; reply: Reply }> {
  const title = input.title.trim();
  if (!title) throw new AppError('invalid_input', 'An incident needs a title, e.g. `/incident start Checkout is slow sev2`.');
  const now = deps.clock.now();
  const severity = input.severity ?? DEFAULT_SEVERITY;
  // Reminders count from declaration: an update is due at the severity's cadence.
  const deadlines = initialDeadlines(severity, deps.settings.reminders, now);
  const incident: NewIncident = {
    id: deps.newId(),
    teamId: who.teamId,
    title,
    ...(input.description?.trim() ? { description: input.description.trim() } : {}),
    severity,
    status: 'investigating',
    commanderId: who.userId,
    declaredBy: who.userId,
    roles: {},
    isPrivate: input.isPrivate,
    declaredAt: now,
    ...(who.responseUrl ? { declarerReplyUrl: who.responseUrl } : {}),
    // Declared from the App Home tab there is no channel (the invocation names the person): a DM answers.
    ...(/^[CGD]/.test(who.channelId) ? { declaredFromChannelId: who.channelId } : {}),
    ...(deadlines.effects.length > 0 ? { reminders: deadlines.reminders } : {}),
  };
  const channelName = incidentChannelName({
    prefix: deps.settings.channelPrefix,
    declaredAt: now,
    timeZone: deps.settings.timeZone,
    title,
  });
  const effects: EffectSpec[] = [
    { kind: 'channel.create', name: channelName },
    { kind: 'channel.invite', userIds: [who.userId] },
    { kind: 'channel.describe' },
    { kind: 'header.post' },
  ];
  // A severity can name a policy that is paged as soon as the channel exists.
  const policyName = deps.settings.escalation.severityPolicies[severity];
  const automatic = policyName
    ? beginEscalation(deps, incident, { target: { kind: 'policy', name: policyName }, requestedBy: who.userId, trigger: 'automatic', sourceId: `${who.sourceId}:page`, now })
    : undefined;
  if (deps.settings.announceChannelId && !input.isPrivate) {
    effects.push({ kind: 'announce', channelId: deps.settings.announceChannelId });
  }
  effects.push({ kind: 'declarer.reply' }, ...deadlines.effects);
  if (automatic) effects.push({ kind: 'escalation.page', escalationId: automatic.escalation.id, level: 0 }, { kind: 'header.update' });

  const result = await deps.store.declareIncident(
    incident,
    [
      {
        incidentId: incident.id,
        kind: 'declared',
        at: now,
        recordedAt: now,
        actorId: who.userId,
        text: title,
        sourceId: who.sourceId,
        data: { severity },
      },
      ...(automatic ? [automatic.event] : []),
    ],
    effects,
    automatic ? [automatic.escalation] : [],
  );
  const stored = result.incident;
  return {
    incident: stored,
    duplicate: result.duplicate,
    reply: {
      text: `:rotating_light: Declared *${incidentKey(stored)}* (${stored.severity}). Opening the incident channel — I'll send you the link in a moment.${policyName ? ` Paging policy \`${policyName}\` (automatic for ${stored.severity}).` : ''}`,
    },
  };
}
