// The buttons on an update reminder: snooze it, or stop reminders for the incident.

import { AppError } from './errors';
import { incidentKey, type Incident } from '../domain/incident';
import { endReminders, moveDeadlines, wantsReminders, type DeadlineChange } from '../domain/reminders';
import { formatClockTime } from '../domain/time-format';
import { cardUpdateFor } from './announcement';
import type { UseCaseDeps } from './context';
import { said, user } from '../domain/said';

async function remindedIncident(deps: UseCaseDeps, incidentId: string): Promise<Incident> {
  const incident = await deps.store.getIncident(incidentId);
  if (!incident) throw new AppError('not_found', 'That incident no longer exists.');
  if (!wantsReminders(incident)) throw new AppError('invalid_input', `${incidentKey(incident)} is ${incident.status}: it gets no more reminders.`);
  if (incident.reminders?.stoppedBy) throw new AppError('invalid_input', said`Reminders for ${incidentKey(incident)} were stopped by ${user(incident.reminders.stoppedBy)}.`);
  return incident;
}

async function save(deps: UseCaseDeps, incident: Incident, change: Pick<DeadlineChange, 'reminders'> & Partial<DeadlineChange>): Promise<void> {
  await deps.store.applyChange({
    incidentId: incident.id,
    now: deps.clock.now(),
    patch: { reminders: change.reminders },
    // The header and the card show when the next update is due.
    effects: [...(change.effects ?? []), { kind: 'header.update' }, ...cardUpdateFor(deps.settings, incident)],
  });
}

export async function snoozeReminder(deps: UseCaseDeps, incidentId: string, minutes: number): Promise<{ text: string }> {
  const incident = await remindedIncident(deps, incidentId);
  const at = deps.clock.now() + minutes * 60_000;
  await save(deps, incident, moveDeadlines(incident.reminders, { update: at }));
  return { text: `:zzz: Snoozed: the next update reminder for ${incidentKey(incident)} comes at ${formatClockTime(at, deps.settings.timeZone)}.` };
}

export async function stopReminders(deps: UseCaseDeps, userId: string, incidentId: string): Promise<{ text: string }> {
  const incident = await remindedIncident(deps, incidentId);
  await save(deps, incident, { reminders: endReminders(incident.reminders, userId) });
  return { text: `:no_bell: No more reminders or nudges for ${incidentKey(incident)}. Updates still post with \`/incident update\`.` };
}
