// The buttons on an update reminder: post an update (opens the form), snooze, stop. Their value is the incident id.

import { REMINDER_ACTIONS } from '../../blocks/ids';
import { AppError } from '../../usecases/errors';
import { SNOOZE_MINUTES } from '../../domain/reminders';
import { snoozeReminder, stopReminders } from '../../usecases/reminders';
import { openUpdateForm } from '../views/update-view';
import type { ButtonPress } from './button';

export function reminderButtons(): Record<string, ButtonPress> {
  return {
    [REMINDER_ACTIONS.postUpdate]: async ({ deps, chat, triggerId, channelId, value }) => {
      const incident = await deps.store.getIncident(value);
      const where = incident?.chat?.channelId ?? channelId;
      if (!where) throw new AppError('not_found', 'That incident has no channel to post an update in.');
      await openUpdateForm(deps, chat, triggerId, where);
      return { text: '' };
    },
    [REMINDER_ACTIONS.snooze15]: ({ deps, value }) => snoozeReminder(deps, value, SNOOZE_MINUTES[0]),
    [REMINDER_ACTIONS.snooze30]: ({ deps, value }) => snoozeReminder(deps, value, SNOOZE_MINUTES[1]),
    [REMINDER_ACTIONS.stop]: ({ deps, userId, value }) => stopReminders(deps, userId, value),
  };
}
