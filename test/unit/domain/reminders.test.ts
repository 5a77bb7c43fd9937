// Reminder deadlines: set, moved, cleared, stopped, and which one is still live.

import { endReminders, initialDeadlines, isLiveDeadline, moveDeadlines, NO_REMINDERS, updateDeadline, type ReminderSettings } from '../../../src/domain/reminders';

const MINUTE = 60_000;
const SETTINGS: ReminderSettings = { updateEvery: { sev1: 15 * MINUTE, sev2: 30 * MINUTE }, rolesAfterMs: 30 * MINUTE, severityAfterMs: 120 * MINUTE };
const T = 1_700_000_000_000;

describe('reminder deadlines', () => {
  it('gives a new incident a deadline per topic, each with its effect due then', () => {
    expect(initialDeadlines('sev1', SETTINGS, T)).toEqual({
      reminders: { due: { update: T + 15 * MINUTE, roles: T + 30 * MINUTE, severity: T + 120 * MINUTE } },
      effects: [
        { kind: 'reminder', topic: 'update', at: T + 15 * MINUTE },
        { kind: 'reminder', topic: 'roles', at: T + 30 * MINUTE },
        { kind: 'reminder', topic: 'severity', at: T + 120 * MINUTE },
      ],
    });
    expect(initialDeadlines('sev4', SETTINGS, T).reminders.due.update).toBeUndefined();
    expect(initialDeadlines('sev1', NO_REMINDERS, T)).toEqual({ reminders: { due: {} }, effects: [] });
  });

  it('prefers the promised interval of an update to the cadence', () => {
    expect(updateDeadline('sev2', SETTINGS, T)).toBe(T + 30 * MINUTE);
    expect(updateDeadline('sev2', SETTINGS, T, 10 * MINUTE)).toBe(T + 10 * MINUTE);
    expect(updateDeadline('sev3', SETTINGS, T)).toBeUndefined();
  });

  it('moves only the topics named, and queues no effect for an unchanged deadline', () => {
    const current = initialDeadlines('sev1', SETTINGS, T).reminders;
    const moved = moveDeadlines(current, { update: T + 40 * MINUTE });
    expect(moved.reminders.due).toEqual({ ...current.due, update: T + 40 * MINUTE });
    expect(moved.effects).toEqual([{ kind: 'reminder', topic: 'update', at: T + 40 * MINUTE }]);
    expect(moveDeadlines(moved.reminders, { update: T + 40 * MINUTE }).effects).toEqual([]);
    expect(moveDeadlines(moved.reminders, { roles: undefined }).reminders.due).not.toHaveProperty('roles');
  });

  it('makes a moved deadline stale: the old effect finds it is no longer the live one', () => {
    const first = initialDeadlines('sev1', SETTINGS, T).reminders;
    const incident = { status: 'investigating' as const, reminders: moveDeadlines(first, { update: T + 40 * MINUTE }).reminders };
    expect(isLiveDeadline(incident, 'update', T + 15 * MINUTE)).toBe(false);
    expect(isLiveDeadline(incident, 'update', T + 40 * MINUTE)).toBe(true);
    expect(isLiveDeadline({ ...incident, status: 'resolved' }, 'update', T + 40 * MINUTE)).toBe(false);
  });

  it('after a stop, clears every deadline and sets none again', () => {
    const stopped = endReminders(initialDeadlines('sev1', SETTINGS, T).reminders, 'U0BOB');
    expect(stopped).toEqual({ due: {}, stoppedBy: 'U0BOB' });
    expect(moveDeadlines(stopped, { update: T + MINUTE })).toEqual({ reminders: { due: {}, stoppedBy: 'U0BOB' }, effects: [] });
    expect(endReminders(stopped)).toEqual({ due: {}, stoppedBy: 'U0BOB' });
    expect(isLiveDeadline({ status: 'investigating', reminders: { due: { update: T }, stoppedBy: 'U0BOB' } }, 'update', T)).toBe(false);
  });
});
