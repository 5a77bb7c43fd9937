// How a page ended (or where it stands), in words: the paged person's settled DM, the header and
// `/incident escalations` say it. Pure.

import type { Escalation } from './escalation';
import { said, user, type Said } from './said';
import { formatClockTime, humanizeDuration } from './time-format';

export function levelNote(escalation: Escalation, level: number): string {
  return escalation.levels.length > 1 ? ` (level ${level + 1} of ${escalation.levels.length})` : '';
}

export function pageOutcome(escalation: Escalation, timeZone: string): Said {
  switch (escalation.state) {
    case 'acknowledged': {
      const at = escalation.acknowledgedAt ?? escalation.createdAt;
      return said`acknowledged by ${user(escalation.acknowledgedBy ?? '?')} at ${formatClockTime(at, timeZone)}, ${humanizeDuration(at - escalation.createdAt)} after the first page`;
    }
    case 'cancelled':
      return said`cancelled at ${formatClockTime(escalation.endedAt ?? escalation.createdAt, timeZone)} (the incident was resolved)`;
    case 'exhausted':
      return said`not acknowledged: every level was paged (last timed out at ${formatClockTime(escalation.endedAt ?? escalation.createdAt, timeZone)})`;
    case 'paging': {
      const deadline = escalation.deadlineAt !== undefined ? `, times out at ${formatClockTime(escalation.deadlineAt, timeZone)}` : '';
      return said`paging${levelNote(escalation, escalation.currentLevel)} since ${formatClockTime(escalation.pages.at(-1)?.pagedAt ?? escalation.createdAt, timeZone)}${deadline}`;
    }
  }
}
