// Shared by the property and fuzz tests: a seeded PRNG (a failing case replays from its seed),
// hostile text a person can type into Slack, and checks that the bot's own output pings nobody the
// input did not really mention.

export { pick, prng } from './seeded-random';

/**
 * Markdown and mrkdwn syntax, Slack's own markup and escapes, mentions real and escaped, emoji,
 * RTL text and marks, zero-width and control characters.
 */
export const HOSTILE_PIECES = [
  '#',
  '## ',
  '\n',
  '\r',
  '\r\n',
  '\n\n',
  '- ',
  '* ',
  '+ ',
  '> ',
  '1. ',
  '2) ',
  '`',
  '```',
  '~~~',
  '|',
  '*',
  '_',
  '[',
  ']',
  '(',
  ')',
  '<',
  '>',
  '&amp;',
  '&lt;',
  '&gt;',
  '&copy;',
  '&#35;',
  '\\',
  '=',
  '---',
  '    ',
  '\t',
  '<@U01AMINA>',
  '<@UNKNOWN|who>',
  '<!channel>',
  '<!here>',
  '&lt;!everyone&gt;',
  '<#C1|general>',
  '<https://x.io|x>',
  '<mailto:a@b.c|a@b.c>',
  '😀',
  '👩‍💻',
  'مرحبا',
  'שלום',
  '\u202E',
  '\u2066',
  '\u202A',
  '\u200B',
  '\u0000',
  '\u0007',
  '\u001B[31m',
  '\u2028',
  '\uFEFF',
  'text',
  ' ',
  'ok.',
  'Ünïcödé',
];

/**
 * A person id that hostile input mostly carries escaped or broken (`&lt;@U0SMUGGLE&gt;`,
 * `<\u200B@U0SMUGGLE>` …): Slack sends a typed "<@…>" escaped, so the bot must never turn such
 * text back into a real mention.
 */
export const SMUGGLED_USER_ID = 'U0SMUGGLE';

export const SMUGGLE_PIECES = [
  `&lt;@${SMUGGLED_USER_ID}&gt;`,
  `&lt;@${SMUGGLED_USER_ID}|ann&gt;`,
  `<\u200B@${SMUGGLED_USER_ID}>`,
  `<@\u0000${SMUGGLED_USER_ID}>`,
  `\uFF1C@${SMUGGLED_USER_ID}\uFF1E`,
  '&lt;!channel&gt;',
  '&lt;!here|here&gt;',
  '<!everyone>',
  '<!here|@here>',
  '<!channel|channel>',
  '&lt;!subteam^S0SMUGGLE|@everyone&gt;',
  '&amp;lt;!channel&amp;gt;',
];

/** Broadcasts that would notify a whole channel or workspace (with or without a label). */
const BROADCAST = /<!(?:channel|here|everyone)(?:\|[^>]*)?>/g;
/** A person (`<@U…>`, `<@W…>`) or a user group (`<!subteam^S…>`) mention: notifies them. */
const MENTION = /<(?:@([UW][A-Z0-9]+)|!subteam\^([A-Z0-9]+))(?:\|[^>]*)?>/g;

/** The ids of the real mention tokens in some text: the people and groups it notifies. */
export function mentionedIds(text: string): string[] {
  return [...text.matchAll(MENTION)].map((m) => m[1] ?? m[2]);
}

// Keys whose strings Slack shows as message text (mrkdwn or fallback); ids, values and metadata are not shown.
const RENDERED_KEYS = new Set(['text', 'topic', 'purpose', 'pretext', 'title', 'fallback', 'footer', 'author_name']);

/**
 * The strings of a message, ack payload or Web API call that Slack renders as mrkdwn, where a
 * mention notifies someone. `plain_text` objects are shown literally and are left out.
 */
export function renderedText(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(renderedText);
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  if (record.type === 'plain_text') return [];
  return Object.entries(record).flatMap(([key, inner]) => {
    if (key === 'metadata') return [];
    if (typeof inner === 'string') return RENDERED_KEYS.has(key) ? [inner] : [];
    return renderedText(inner);
  });
}

/**
 * What in one piece of bot output would notify people: any broadcast, or a person or group the
 * input never really mentioned (`allowedIds`: the people acting, the bot, every real mention in
 * the input).
 */
export function pingsIn(output: string, allowedIds: ReadonlySet<string>): string[] {
  const broadcasts = [...output.matchAll(BROADCAST)].map((m) => m[0]);
  const smuggled = [...output.matchAll(MENTION)].filter((m) => !allowedIds.has(m[1] ?? m[2])).map((m) => m[0]);
  return [...broadcasts, ...smuggled];
}
