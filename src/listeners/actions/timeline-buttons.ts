// Edit and Remove under an entry of `/incident timeline`: Edit opens the entry's form, Remove takes
// it off the record (Slack asked "Remove this entry?" first).

import { AppError } from '../../usecases/errors';
import { editEntryModal } from '../../blocks/edit-entry-modal';
import { TIMELINE_EDIT_ACTION, TIMELINE_REMOVE_ACTION } from '../../blocks/ids';
import { formatClockTime } from '../../domain/time-format';
import { TIMELINE_KIND_LABELS } from '../../domain/timeline';
import { correctableEntry, parseEntryRef, removeEntry, type EntryRef } from '../../usecases/corrections';
import type { ButtonPress } from './button';

function refOf(value: string): EntryRef {
  const ref = parseEntryRef(value);
  if (!ref) throw new AppError('invalid_input', 'That button does not name a timeline entry; run `/incident timeline` again.');
  return ref;
}

export function timelineButtons(): Record<string, ButtonPress> {
  return {
    [TIMELINE_EDIT_ACTION]: async ({ userId, value, deps, chat, triggerId, channelId }) => {
      const { entry } = await correctableEntry(deps, userId, refOf(value));
      const when = formatClockTime(entry.at, deps.settings.timeZone);
      await chat.openModal(
        triggerId,
        editEntryModal({ label: TIMELINE_KIND_LABELS[entry.kind].toLowerCase(), when, text: entry.text }, { channelId: channelId ?? userId, entry: value }),
      );
      return { text: '' };
    },
    [TIMELINE_REMOVE_ACTION]: async ({ userId, value, deps, triggerId, channelId }) => {
      const who = { teamId: '', userId, channelId: channelId ?? userId, sourceId: `remove:${triggerId}` };
      return removeEntry(deps, who, refOf(value));
    },
  };
}
