// `Said` (domain/said.ts) in Slack's words: mentions, channel links, `<url|label>` links, and whom a
// page goes to (targetLabel). The one place use-case text becomes Slack markup.

import { isSaid, type Reference, type Text } from '../domain/said';
import { targetLabel } from './escalation-target';
import { mentionChannel, mentionUser } from './text';

export function slackText(text: Text): string {
  if (!isSaid(text)) return text;
  return text.map((part) => (typeof part === 'string' ? part : slackReference(part))).join('');
}

function slackReference(ref: Reference): string {
  if ('user' in ref) return mentionUser(ref.user);
  if ('channel' in ref) return mentionChannel(ref.channel);
  if ('paged' in ref) return targetLabel(ref.paged);
  return `<${ref.link}|${ref.label}>`;
}
