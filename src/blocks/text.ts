// Small helpers for Slack mrkdwn that the bot writes.

import { stripBidiControls } from '../shared/bidi-controls';

// Slack's special commands: `<!here>`, `<!channel>`, `<!everyone>`, the old `<!group>`, user groups
// `<!subteam^S1|@oncall>`. All of them notify many people; only `<!date^…>` (a formatted date) is inert.
const SPECIAL = /<!(?!date\^)([^>|]*)(?:\|([^>]*))?>/gi;
const WORD_JOINER = '\u2060';

/**
 * Text on its way to Slack, as the last step: no broadcast (`@here`, `@channel`, `@everyone`, a
 * user group) can be formed by anything a user typed, and no bidi control can run on into the
 * bot's own words. The bot itself never broadcasts, so this holds for every message it posts.
 * Person mentions stay (the author typed them). A defused mention reads the same: `@here`.
 */
export function inertText(text: string): string {
  const defused = text.includes('<!') ? text.replace(SPECIAL, (_m, command: string, label?: string) => `@${WORD_JOINER}${specialName(command, label)}`) : text;
  return stripBidiControls(defused);
}

function specialName(command: string, label: string | undefined): string {
  if (label) return label.replace(/^@/, '');
  return command.toLowerCase().startsWith('subteam^') ? 'group' : command;
}

/**
 * `inertText` over everything Slack shows of a message or payload: every `text` string, at any
 * depth of its blocks (mrkdwn and plain_text alike). Ids, values and metadata are left alone.
 */
export function inertPayload<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => inertPayload(item)) as T;
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    out[key] = key === 'metadata' ? inner : typeof inner === 'string' ? (SHOWN_KEYS.has(key) ? inertText(inner) : inner) : inertPayload(inner);
  }
  return out as T;
}

// Keys whose strings Slack shows: message and block text, attachment parts, topics and purposes.
const SHOWN_KEYS = new Set(['text', 'topic', 'purpose', 'pretext', 'title', 'fallback', 'footer', 'author_name', 'initial_comment']);

/**
 * Plain text (a modal's input, which Slack delivers as typed) in the form message and slash-command
 * text arrive in: `&`, `<` and `>` as entities. The bot stores all user text in that one form, so
 * `latency <100ms & 5xx` from a form is never read as markup (a link, a mention) anywhere later.
 */
export function escapePlainText(text: string): string {
  return /[&<>]/.test(text) ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : text;
}

/** The inverse of escapePlainText: stored text as the person typed it (a form's initial value). */
export function unescapePlainText(text: string): string {
  return text.includes('&') ? text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&') : text;
}

export function mentionUser(userId: string): string {
  return `<@${userId}>`;
}

export function mentionChannel(channelId: string): string {
  return `<#${channelId}>`;
}
