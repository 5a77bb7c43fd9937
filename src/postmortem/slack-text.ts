// Slack message markup → readable plain text for documents that leave Slack.
// https://api.slack.com/reference/surfaces/formatting#retrieving-messages
// Slack escapes a literal <, > and & as entities, so every raw <…> in delivered text is markup.

// A markup token, or an entity in plain text: one pass, so "&amp;lt;" becomes "&lt;" and not "<",
// and display names inserted for mentions are never unescaped a second time.
const TOKEN = /<([^<>]*)>|&(amp|lt|gt);/g;
const ENTITY = /&(amp|lt|gt);/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>' };
// C0 controls except tab and newline (so also CR), plus DEL: invisible, yet terminals and renderers act on them.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;
// "<!channel>", "<@U1>", "<#C1>" rebuilt from escaped text would ping (or link) if this text were
// ever posted back to Slack unescaped; a zero-width space keeps it readable and inert.
const PING_LIKE = /<(?=[!@#])/g;
const ZERO_WIDTH_SPACE = '\u200B';

export function slackToPlainText(text: string, names: ReadonlyMap<string, string>): string {
  const decoded = text
    .replace(/\r\n?/g, '\n')
    .replace(TOKEN, (_match, inner: string | undefined, entity: string | undefined) =>
      inner === undefined ? ENTITIES[entity ?? 'amp'] : decodeMarkup(inner, names),
    );
  // Last, so display names inserted above are cleaned too and nothing can re-form a ping.
  return stripControlCharacters(decoded).replace(PING_LIKE, `<${ZERO_WIDTH_SPACE}`);
}

/** Drops control characters (keeping tab and newline) from any text shown to people. */
export function stripControlCharacters(text: string): string {
  return text.replace(CONTROL, '');
}

function decodeMarkup(inner: string, names: ReadonlyMap<string, string>): string {
  const bar = inner.indexOf('|');
  const target = unescapeEntities(bar === -1 ? inner : inner.slice(0, bar));
  const label = bar === -1 ? undefined : unescapeEntities(inner.slice(bar + 1)) || undefined;
  switch (target[0]) {
    case '@':
      return `@${names.get(target.slice(1)) || label || target.slice(1)}`;
    case '#':
      return `#${label ?? (names.get(target.slice(1)) || target.slice(1))}`;
    case '!':
      return specialMention(target.slice(1), label);
    default:
      return link(target, label);
  }
}

/** `<!here>`, `<!subteam^S1|@oncall>`, `<!date^1677837600^{date}|March 3>` … */
function specialMention(command: string, label: string | undefined): string {
  if (label !== undefined) return command.startsWith('date^') || label.startsWith('@') ? label : `@${label}`;
  const [name, id] = command.split('^');
  return `@${name === 'subteam' && id ? id : name}`;
}

/** `<https://x|label>` → "label (https://x)"; a label that just repeats the address is dropped. */
function link(target: string, label: string | undefined): string {
  const address = target.startsWith('mailto:') ? target.slice('mailto:'.length) : target;
  if (label === undefined || label === target || label === address) return address;
  return `${label} (${address})`;
}

function unescapeEntities(text: string): string {
  return text.replace(ENTITY, (_match, name: string) => ENTITIES[name]);
}
