// Status, severity, resolution and closing: the incident's lifecycle.

import { AppError } from './errors';
import { confluenceDisabledMessage } from '../config/confluence-config';
import { incidentKey, type Incident, type Severity, type SettableStatus } from '../domain/incident';
import { formatClockTime, humanizeDuration } from '../domain/time-format';
import type { Invocation, Reply, UseCaseDeps } from './context';
import { openIncidentForChannel } from './incident-lookup';
import { cancellationOf } from './escalations';
import { recordChange, retryOnConflict } from './record-change';
import { endReminders, moveDeadlines, updateDeadline } from '../domain/reminders';
import type { EffectSpec } from '../domain/effects';
import { ticketFor } from '../domain/tickets';
import { applyCorrections } from '../domain/corrections';
import { said, user } from '../domain/said';

export async function changeStatus(deps: UseCaseDeps, who: Invocation, status: SettableStatus, message?: string): Promise<Reply> {
  if (status === 'resolved') return resolveIncident(deps, who, message);
  const incident = await openIncidentForChannel(deps.store, who.channelId, 'status');
  if (incident.status === status && !message) {
    return { text: `${incidentKey(incident)} is already *${status}*.` };
  }
  const reopened = incident.status === 'resolved';
  // Re-opened: stakeholders are owed updates again, from now.
  const deadlines = reopened ? moveDeadlines(incident.reminders, { update: updateDeadline(incident.severity, deps.settings.reminders, deps.clock.now()) }) : undefined;
  await recordChange(deps, who, incident, {
    kind: 'status',
    text: message ?? '',
    data: { from: incident.status, to: status },
    // Re-opening a resolved incident means the outage window did not end after all.
    patch: { status, ...(reopened ? { resolvedAt: undefined } : {}), ...(deadlines ? { reminders: deadlines.reminders } : {}) },
    effects: [{ kind: 'header.update' }, ...(deadlines?.effects ?? [])],
  });
  const note = message ? `: ${message}` : '';
  return {
    inChannel: true,
    text: said`:large_blue_circle: ${user(who.userId)} set the status to *${status}*${reopened ? ' (re-opened)' : ''}${note}`,
  };
}

export async function changeSeverity(deps: UseCaseDeps, who: Invocation, severity: Severity): Promise<Reply> {
  const incident = await openIncidentForChannel(deps.store, who.channelId, 'severity');
  await deps.access.requireControl(incident, who.userId, 'change the severity');
  if (incident.severity === severity) return { text: `${incidentKey(incident)} is already *${severity}*.` };
  const deadlines = severityCadence(deps, incident, severity);
  await recordChange(deps, who, incident, {
    kind: 'severity',
    text: '',
    data: { from: incident.severity, to: severity },
    patch: { severity, ...(deadlines ? { reminders: deadlines.reminders } : {}) },
    effects: [{ kind: 'header.update' }, ...(deadlines?.effects ?? [])],
  });
  return { inChannel: true, text: said`:warning: ${user(who.userId)} changed the severity from ${incident.severity} to *${severity}*.` };
}

/**
 * The next update is due at the new severity's cadence, counted from the latest update (or the
 * declaration), and not before now: sev3 → sev1 brings the deadline forward, sev1 → sev4 ends it.
 */
function severityCadence(deps: UseCaseDeps, incident: Incident, severity: Severity) {
  if (incident.status === 'resolved') return undefined;
  const from = incident.latestUpdate?.at ?? incident.declaredAt;
  const due = updateDeadline(severity, deps.settings.reminders, from);
  return moveDeadlines(incident.reminders, { update: due === undefined ? undefined : Math.max(due, deps.clock.now()) });
}

export async function resolveIncident(deps: UseCaseDeps, who: Invocation, summary?: string): Promise<Reply> {
  return retryOnConflict(() => resolveOnce(deps, who, summary));
}

async function resolveOnce(deps: UseCaseDeps, who: Invocation, summary?: string): Promise<Reply> {
  const incident = await openIncidentForChannel(deps.store, who.channelId, 'resolve');
  await deps.access.requireControl(incident, who.userId, 'resolve the incident');
  const tz = deps.settings.timeZone;
  if (incident.status === 'resolved' && incident.resolvedAt !== undefined) {
    return { text: `${incidentKey(incident)} was already resolved at ${formatClockTime(incident.resolvedAt, tz)}. Close it with \`/incident close\`.` };
  }
  const now = deps.clock.now();
  await recordChange(deps, who, incident, {
    kind: 'resolved',
    text: summary ?? '',
    data: { from: incident.status, to: 'resolved' },
    patch: {
      status: 'resolved',
      resolvedAt: now,
      ...(summary ? { resolutionSummary: summary } : {}),
      ...(incident.reminders ? { reminders: endReminders(incident.reminders) } : {}),
    },
    effects: [{ kind: 'header.update' }],
    also: cancellationOf(await deps.store.listEscalations(incident.id), now, who.userId),
  });
  const lasted = humanizeDuration(now - incident.declaredAt);
  return {
    inChannel: true,
    text: said`:white_check_mark: ${user(who.userId)} resolved ${incidentKey(incident)} after ${lasted}${summary ? `: ${summary}` : ''}. When the follow-up is captured, \`/incident close\` compiles the postmortem draft.`,
  };
}

/** With TRACKER_AUTO_CREATE, every action item without a ticket gets one when the incident closes. */
async function ticketsOnClose(deps: UseCaseDeps, incident: Incident, userId: string): Promise<EffectSpec[]> {
  const tracker = deps.settings.tracker;
  if (!tracker.enabled || !tracker.autoCreate) return [];
  const actions = applyCorrections(await deps.store.listTimeline(incident.id)).filter((e) => e.kind === 'action' && !ticketFor(incident.tickets, e.sourceId));
  return actions.map((e) => ({ kind: 'ticket.create', actionSourceId: e.sourceId, requestedBy: userId }));
}

/** Closing resolves first if needed (the outage window ends no later than the close). */
export async function closeIncident(deps: UseCaseDeps, who: Invocation, conclusion?: string): Promise<Reply> {
  return retryOnConflict(() => closeOnce(deps, who, conclusion));
}

async function closeOnce(deps: UseCaseDeps, who: Invocation, conclusion?: string): Promise<Reply> {
  const incident = await openIncidentForChannel(deps.store, who.channelId, 'close');
  await deps.access.requireControl(incident, who.userId, 'close the incident');
  const now = deps.clock.now();
  const wasResolved = incident.resolvedAt !== undefined;
  const archiveAfter = deps.settings.archiveAfterMs;
  const result = await recordChange(deps, who, incident, {
    kind: 'closed',
    // The conclusion has its own section; the timeline only marks the moment.
    text: '',
    patch: {
      status: 'closed',
      closedAt: now,
      ...(wasResolved ? {} : { resolvedAt: now }),
      ...(conclusion ? { conclusion } : {}),
      ...(incident.reminders ? { reminders: endReminders(incident.reminders) } : {}),
    },
    effects: [
      { kind: 'header.update' },
      // Before the postmortem, so the draft shows the tickets' keys.
      ...(await ticketsOnClose(deps, incident, who.userId)),
      { kind: 'postmortem.publish', reason: 'closed', requestedBy: who.userId },
      // A private incident's postmortem leaves Slack only when someone asks for it.
      ...(deps.settings.confluence.enabled && deps.settings.confluence.autoExport && !incident.isPrivate ? [{ kind: 'postmortem.export', requestedBy: who.userId } as const] : []),
      ...(archiveAfter !== undefined ? [{ kind: 'channel.archive', at: now + archiveAfter } as const] : []),
    ],
    also: cancellationOf(await deps.store.listEscalations(incident.id), now, who.userId),
  });
  if (result.duplicate) return { text: `${incidentKey(incident)} is being closed.` };
  return {
    inChannel: true,
    text: said`:lock: ${user(who.userId)} closed ${incidentKey(incident)}${wasResolved ? '' : ' (resolved now, as it was not marked resolved before)'}. Compiling the postmortem draft…${
      archiveAfter !== undefined ? ` This channel will be archived in ${humanizeDuration(archiveAfter)}.` : ''
    }`,
  };
}

/** `/incident postmortem`, `/incident export markdown|confluence` and the Export button. */
export async function requestPostmortem(deps: UseCaseDeps, who: Invocation, target: 'markdown' | 'confluence' = 'markdown'): Promise<Reply> {
  const incident = await deps.store.findIncidentByChannel(who.channelId);
  if (!incident) {
    throw new AppError('not_in_incident_channel', `\`/incident ${target === 'confluence' ? 'export confluence' : 'postmortem'}\` works inside an incident channel.`);
  }
  return queueExport(deps, incident, who.userId, target);
}

export async function queueExport(deps: UseCaseDeps, incident: Incident, userId: string, target: 'markdown' | 'confluence'): Promise<Reply> {
  const confluence = deps.settings.confluence;
  if (target === 'confluence' && !confluence.enabled) return { text: confluenceDisabledMessage(confluence.missing) };
  await deps.store.applyChange({
    incidentId: incident.id,
    now: deps.clock.now(),
    effects: [target === 'confluence' ? { kind: 'postmortem.export', requestedBy: userId } : { kind: 'postmortem.publish', reason: 'requested', requestedBy: userId }],
  });
  return target === 'confluence'
    ? { text: `Exporting the postmortem of ${incidentKey(incident)} to Confluence — the link will appear in the channel.` }
    : { text: `Compiling the postmortem draft of ${incidentKey(incident)} — it will appear in this channel as a file.` };
}
