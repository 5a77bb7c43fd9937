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
  const decoded = decodeInOneScan(text, names) ?? decode(text, names);
  // Last, so display names inserted above are cleaned too and nothing can re-form a ping.
  return decoded.includes('<') ? decoded.replace(PING_LIKE, `<${ZERO_WIDTH_SPACE}`) : decoded;
}

/** Line endings normalized, markup and entities decoded, control characters dropped. */
function decode(text: string, names: ReadonlyMap<string, string>): string {
  const decoded = text
    .replace(/\r\n?/g, '\n')
    .replace(TOKEN, (_match, inner: string | undefined, entity: string | undefined) =>
      inner === undefined ? ENTITIES[entity ?? 'amp'] : decodeMarkup(inner, names),
    );
  return stripControlCharacters(decoded);
}

/**
 * `decode` in one scan without regular expressions, for text with no CR and no control character
 * outside markup (nearly all of it; `undefined` for the rest). Tokens and entities are matched left
 * to right exactly as TOKEN matches them, and only what is inserted for them can hold control
 * characters, so only that is cleaned.
 */
function decodeInOneScan(text: string, names: ReadonlyMap<string, string>): string | undefined {
  let out = '';
  let copied = 0; // text before this index is in `out`
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) {
      if (c !== 0x09 && c !== 0x0a) return undefined; // CR or a control character: `decode`
    } else if (c === 0x3c) {
      // "<": markup when the next "<" or ">" is a ">".
      let end = i + 1;
      for (; end < length; end++) {
        const d = text.charCodeAt(end);
        if (d === 0x3c || d === 0x3e) break;
        if (d === 0x0d) return undefined; // `decode` reads a CR inside markup as a newline
      }
      if (end < length && text.charCodeAt(end) === 0x3e) {
        out += text.slice(copied, i) + stripControlCharacters(decodeMarkup(text.slice(i + 1, end), names));
        copied = end + 1;
        i = end;
      }
    } else if (c === 0x26) {
      // "&": one of the three entities Slack escapes with.
      const entity = text.startsWith('amp;', i + 1) ? 'amp' : text.startsWith('lt;', i + 1) ? 'lt' : text.startsWith('gt;', i + 1) ? 'gt' : '';
      if (entity) {
        out += text.slice(copied, i) + ENTITIES[entity];
        copied = i + entity.length + 2;
        i = copied - 1;
      }
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
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
