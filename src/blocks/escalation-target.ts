// Whom an escalation pages, in Slack's words: a person as a mention, a group by its handle (never a
// group mention: the bot pages people by DM and notifies no group in a channel), a policy by name.

import type { EscalationTarget } from '../domain/escalation';
import { mentionUser } from './text';

export function targetLabel(target: EscalationTarget): string {
  switch (target.kind) {
    case 'user':
      return mentionUser(target.id);
    case 'usergroup':
      return target.handle ? `@${target.handle.replace(/^@/, '')}` : `user group ${target.id}`;
    case 'policy':
      return `policy ${target.name}`;
  }
}
