import type { EscalationTarget } from '../domain/escalation';

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

const GROUP_MENTION = /^<!subteam\^(S[A-Z0-9]+)(?:\|@?([^>]*))?>$/;
const POLICY_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** `<@U1>` → a person, `<!subteam^S1|@oncall>` → a user group, `platform-oncall` → a policy name. */
export function parseEscalationTarget(token: string): EscalationTarget | undefined {
  const userId = parseUserMention(token);
  if (userId) return { kind: 'user', id: userId };
  const group = GROUP_MENTION.exec(token.trim());
  if (group) return { kind: 'usergroup', id: group[1], ...(group[2] ? { handle: group[2] } : {}) };
  const name = token.trim().toLowerCase();
  return POLICY_NAME.test(name) ? { kind: 'policy', name } : undefined;
}
