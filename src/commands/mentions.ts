// Slack sends mentions in slash-command text escaped as `<@U123|name>` when the command has
// "Escape channels, users, and links" on (our manifest sets should_escape).

const USER_MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;

export function parseUserMention(token: string): string | undefined {
  return USER_MENTION.exec(token.trim())?.[1];
}

/** Splits off a trailing user mention: "fix failover <@U1|ann>" → { rest: "fix failover", userId: "U1" }. */
export function splitTrailingMention(text: string): { rest: string; userId?: string } {
  const match = /\s*(<@[UW][A-Z0-9]+(?:\|[^>]*)?>)\s*$/.exec(text);
  if (!match) return { rest: text.trim() };
  return { rest: text.slice(0, match.index).trim(), userId: parseUserMention(match[1]) };
}
