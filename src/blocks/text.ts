// Small helpers for Slack mrkdwn that the bot writes.

/**
 * User text echoed by the bot must not become a broadcast: `<!channel>`, `<!here>`, `<!everyone>`
 * and user-group pings are turned into inert text. Person mentions stay (the author typed them).
 */
export function defuseBroadcasts(text: string): string {
  return text.replace(/<!(channel|here|everyone)(?:\|[^>]*)?>/g, '@\u2060$1').replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_m, label?: string) => `@\u2060${label ? label.replace(/^@/, '') : 'group'}`);
}

export function mentionUser(userId: string): string {
  return `<@${userId}>`;
}

export function mentionChannel(channelId: string): string {
  return `<#${channelId}>`;
}

/** Cuts text to Slack's limits without splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  let out = '';
  for (const c of chars) {
    if (out.length + c.length > max - 1) break;
    out += c;
  }
  return `${out}…`;
}
