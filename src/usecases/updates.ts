// Stakeholder updates: posted in the incident channel, kept on the timeline (the postmortem's
// Communications), shown on the announcement card, and each one resets the reminder's deadline.

import { AppError } from './errors';
import { incidentKey, type Incident, type IncidentStatus, type SettableStatus } from '../domain/incident';
import { joined, said, user, type Said } from '../domain/said';
import { moveDeadlines, updateDeadline, wantsReminders } from '../domain/reminders';
import { formatClockTime } from '../domain/time-format';
import type { Invocation, Reply, UseCaseDeps } from './context';
import { openIncidentForChannel } from './incident-lookup';
import { recordChange } from './record-change';
import { truncate } from '../shared/truncate';

/** What an update says; every text is in the stored form (form input is escaped on entry). */
export interface UpdateContent {
  known: string;
  doing?: string;
  need?: string;
}

/** The update as posted in the incident channel. */
function updateLines(incident: Incident, by: string, status: IncidentStatus, content: UpdateContent, nextDue: number | undefined, timeZone: string): Said {
  const lines = [
    said`:mega: *Update on ${incidentKey(incident)}* from ${user(by)} — *${status}*, ${incident.severity}`,
    `*What we know:* ${truncate(content.known, 2500)}`,
    ...(content.doing ? [`*What we are doing:* ${truncate(content.doing, 2500)}`] : []),
    ...(content.need ? [`*What we need:* ${truncate(content.need, 2500)}`] : []),
    ...(nextDue !== undefined ? [`_Next update by ${formatClockTime(nextDue, timeZone)}._`] : []),
  ];
  return joined(lines, '\n');
}

export interface UpdateInput extends UpdateContent {
  /** A new status the update announces (not `resolved`: `/incident resolve` records the end). */
  status?: Exclude<SettableStatus, 'resolved'>;
  /** When the next update is promised; the severity's cadence otherwise. */
  nextInMs?: number;
}

export async function postUpdate(deps: UseCaseDeps, who: Invocation, input: UpdateInput): Promise<Reply> {
  const known = input.known.trim();
  if (!known) throw new AppError('invalid_input', 'An update needs what we know, e.g. `/incident update Checkout fails for EU customers; rolling back`.');
  const incident = await openIncidentForChannel(deps.store, who.channelId, 'update');
  const now = deps.clock.now();
  const status = input.status && incident.status !== 'resolved' ? input.status : incident.status;
  const changesStatus = status !== incident.status;
  const after: Pick<Incident, 'status'> = { status };
  const nextDue = wantsReminders(after) ? updateDeadline(incident.severity, deps.settings.reminders, now, input.nextInMs) : undefined;
  const deadlines = moveDeadlines(incident.reminders, { update: nextDue });
  const shownDue = deadlines.reminders.due.update;
  const content: UpdateContent = { known, ...(input.doing?.trim() ? { doing: input.doing.trim() } : {}), ...(input.need?.trim() ? { need: input.need.trim() } : {}) };
  const result = await recordChange(deps, who, incident, {
    kind: 'update',
    text: known,
    data: {
      status,
      ...(content.doing ? { doing: content.doing } : {}),
      ...(content.need ? { need: content.need } : {}),
      ...(shownDue !== undefined ? { nextDueAt: shownDue } : {}),
    },
    patch: {
      latestUpdate: { at: now, by: who.userId, text: known },
      reminders: deadlines.reminders,
      ...(changesStatus ? { status } : {}),
    },
    effects: [
      { kind: 'channel.post', text: updateLines(incident, who.userId, status, content, shownDue, deps.settings.timeZone) },
      { kind: 'header.update' },
      ...deadlines.effects,
    ],
    // The status an update announces is a status change like any other (the metrics count it).
    ...(changesStatus
      ? {
          also: {
            events: [
              {
                incidentId: incident.id,
                kind: 'status',
                at: now,
                recordedAt: now,
                actorId: who.userId,
                text: '',
                sourceId: `${who.sourceId}:status`,
                data: { from: incident.status, to: status },
              },
            ],
            effects: [],
            escalations: [],
          },
        }
      : {}),
  });
  if (result.duplicate) return { text: `That update of ${incidentKey(incident)} is posted already.` };
  const next = shownDue !== undefined ? ` Next update due by ${formatClockTime(shownDue, deps.settings.timeZone)}.` : '';
  const card = deps.settings.announceChannelId && !incident.isPrivate ? ' and on the announcement card' : '';
  return { text: `:mega: Your update of ${incidentKey(incident)} is posted in the channel${card}.${next}` };
}
