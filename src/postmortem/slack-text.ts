// Slack message markup → readable plain text for documents that leave Slack.
// https://api.slack.com/reference/surfaces/formatting#retrieving-messages
// Slack escapes a literal <, > and & as entities, so every raw <…> in delivered text is markup.

import { BIDI_CONTROL_RANGES } from '../shared/bidi-controls';

// A markup token, or an entity in plain text: one pass, so "&amp;lt;" becomes "&lt;" and not "<",
// and display names inserted for mentions are never unescaped a second time.
const TOKEN = /<([^<>]*)>|&(amp|lt|gt);/g;
const ENTITY = /&(amp|lt|gt);/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>' };
// C0 controls except tab and newline (so also CR), plus DEL: invisible, yet terminals and renderers act on them.
// Also the bidi embeddings, overrides and isolates: an unclosed U+202E in a note would reverse the
// document's own words after it ("— author (kind)").
const CONTROL = new RegExp(`[\\u0000-\\u0008\\u000B-\\u001F\\u007F${BIDI_CONTROL_RANGES}]`, 'g');
// The same, for `test` (a global regex keeps state between tests): most text has none to drop.
// CR is one of them, so it also finds text whose line endings need normalizing.
const MAYBE_CONTROL_OR_CR = new RegExp(CONTROL.source);
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
    .replace(TOKEN, (_match, inner: string | undefined, entity: string | undefined) => (inner === undefined ? ENTITIES[entity ?? 'amp'] : decodeMarkup(inner, names)));
  return stripControlCharacters(decoded);
}

/**
 * `decode` without regular expressions over the text, for text with no CR and no control character
 * (nearly all of it; `undefined` for the rest). Tokens and entities are found left to right exactly
 * as TOKEN matches them: a "<" opens markup when the next "<" or ">" after it is a ">". What is
 * inserted for markup can hold control characters (a display name), so that is cleaned.
 */
function decodeInOneScan(text: string, names: ReadonlyMap<string, string>): string | undefined {
  if (MAYBE_CONTROL_OR_CR.test(text)) return undefined;
  let out = '';
  let copied = 0; // text before this index is in `out`
  let lt = text.indexOf('<');
  let amp = text.indexOf('&');
  while (lt !== -1 || amp !== -1) {
    if (lt !== -1 && (amp === -1 || lt < amp)) {
      const nextLt = text.indexOf('<', lt + 1);
      const gt = text.indexOf('>', lt + 1);
      if (gt !== -1 && (nextLt === -1 || gt < nextLt)) {
        out += text.slice(copied, lt) + stripControlCharacters(decodeMarkup(text.slice(lt + 1, gt), names));
        copied = gt + 1;
        if (amp !== -1 && amp < copied) amp = text.indexOf('&', copied); // an "&" inside the markup
      }
      lt = nextLt;
    } else {
      const entity = text.startsWith('amp;', amp + 1) ? 'amp' : text.startsWith('lt;', amp + 1) ? 'lt' : text.startsWith('gt;', amp + 1) ? 'gt' : '';
      if (entity) {
        out += text.slice(copied, amp) + ENTITIES[entity];
        copied = amp + entity.length + 2;
      }
      amp = text.indexOf('&', amp + 1);
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Drops control characters (keeping tab and newline) from any text shown to people. */
export function stripControlCharacters(text: string): string {
  return MAYBE_CONTROL_OR_CR.test(text) ? text.replace(CONTROL, '') : text;
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
  return text.includes('&') ? text.replace(ENTITY, (_match, name: string) => ENTITIES[name]) : text;
}
