// Stakeholder updates are due on a cadence per severity; the commander is reminded when one is
// late. Nudges ask about a question nobody settled: who holds which role, whether the severity is
// still right. Each is a stored deadline: the incident keeps the live one per topic, and the outbox
// holds a `reminder` effect due then. A deadline moved since (an update, a snooze, a stop, the
// resolution) leaves its effect stale, and a stale one does nothing when its time comes. Pure.

import type { EffectSpec } from './effects';
import type { Incident, Severity } from './incident';

export const REMINDER_TOPICS = ['update', 'roles', 'severity'] as const;
export type ReminderTopic = (typeof REMINDER_TOPICS)[number];

export interface ReminderSettings {
  /** How often an update is due, per severity (ms); a severity absent here gets no update reminders. */
  updateEvery: Partial<Record<Severity, number>>;
  /** Nudge once when nobody holds a role this long after declaration; never when unset. */
  rolesAfterMs?: number;
  /** Nudge when the severity has not changed for this long, and again each time after; never when unset. */
  severityAfterMs?: number;
}

export const NO_REMINDERS: ReminderSettings = { updateEvery: {} };

/** Kept with the incident: the live deadline of each topic (epoch ms), and whether reminders were stopped. */
export interface ReminderState {
  due: Partial<Record<ReminderTopic, number>>;
  /** Who pressed "Stop reminders": nothing more is scheduled for this incident. */
  stoppedBy?: string;
}

/** Snooze choices on the reminder message. */
export const SNOOZE_MINUTES = [15, 30] as const;

/** Whether the incident still wants updates and nudges: open and not resolved. */
export function wantsReminders(incident: Pick<Incident, 'status'>): boolean {
  return incident.status !== 'resolved' && incident.status !== 'closed';
}

/** Whether a stored deadline is still the live one of its topic. */
export function isLiveDeadline(incident: Pick<Incident, 'status' | 'reminders'>, topic: ReminderTopic, at: number): boolean {
  return wantsReminders(incident) && !incident.reminders?.stoppedBy && incident.reminders?.due[topic] === at;
}

/** The update deadline after `from`: the promised interval, else the severity's cadence; none when off. */
export function updateDeadline(severity: Severity, settings: ReminderSettings, from: number, promisedMs?: number): number | undefined {
  const every = promisedMs ?? settings.updateEvery[severity];
  return every === undefined ? undefined : from + every;
}

/** A change of deadlines: what to patch into the incident, and the effects due at the new ones. */
export interface DeadlineChange {
  reminders: ReminderState;
  effects: EffectSpec[];
}

/**
 * Sets (a number) or clears (undefined) the deadlines named in `changes`; others stay. After a stop,
 * nothing is set again.
 */
export function moveDeadlines(current: ReminderState | undefined, changes: Partial<Record<ReminderTopic, number | undefined>>): DeadlineChange {
  const due = { ...(current?.due ?? {}) };
  const effects: EffectSpec[] = [];
  for (const topic of REMINDER_TOPICS) {
    if (!(topic in changes)) continue;
    const at = current?.stoppedBy ? undefined : changes[topic];
    if (at === undefined) {
      delete due[topic];
    } else if (due[topic] !== at) {
      due[topic] = at;
      effects.push({ kind: 'reminder', topic, at });
    }
  }
  return { reminders: { ...current, due }, effects };
}

/** The first deadlines of a new incident. */
export function initialDeadlines(severity: Severity, settings: ReminderSettings, declaredAt: number): DeadlineChange {
  return moveDeadlines(undefined, {
    update: updateDeadline(severity, settings, declaredAt),
    roles: settings.rolesAfterMs === undefined ? undefined : declaredAt + settings.rolesAfterMs,
    severity: settings.severityAfterMs === undefined ? undefined : declaredAt + settings.severityAfterMs,
  });
}

/** Every deadline cleared (resolved, closed) or stopped for good (`stoppedBy`). */
export function endReminders(current: ReminderState | undefined, stoppedBy?: string): ReminderState {
  return { due: {}, ...(stoppedBy ? { stoppedBy } : current?.stoppedBy ? { stoppedBy: current.stoppedBy } : {}) };
}
