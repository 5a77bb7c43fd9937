// A tiny XML builder for Confluence storage format. Markup is a branded string that only this module
// mints, always by escaping plain text on the way in, so the type checker rejects any path by which
// user text could reach the page unescaped and open a tag, a macro, a comment or a CDATA section.

declare const XML: unique symbol;
/** Well-formed storage-format markup (a fragment). */
export type Xml = string & { readonly [XML]: true };

// Not a Char in XML 1.0 (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates), plus DEL and
// C1 controls: allowed but "discouraged" by XML 1.0 and invisible. The `u` flag makes the surrogate
// range match only unpaired halves, so emoji (valid pairs) survive.
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF\uD800-\uDFFF]/gu;
// For `test` (a global regex keeps state between tests), and without `u`, which is faster: any
// surrogate, paired or not, so it says "maybe" for emoji and `NOT_XML_CHAR` has the last word.
const MAYBE_NOT_XML_CHAR = new RegExp(NOT_XML_CHAR.source);

// Only XML's five predefined entities: storage format rejects HTML ones such as &nbsp; undeclared.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const MARKUP = /[&<>"']/g;

// Whether `escape` may change anything: a markup character or one NOT_XML_CHAR may drop (most text
// has neither, and then one test replaces two replaces and their copies). No `u`, like MAYBE_NOT_XML_CHAR.
// eslint-disable-next-line no-control-regex
const MAYBE_ESCAPE = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF\uD800-\uDFFF]/;

/** Drops what XML cannot carry, then escapes markup characters. */
function escape(plain: string): string {
  if (!MAYBE_ESCAPE.test(plain)) return plain;
  return plain.replace(NOT_XML_CHAR, '').replace(MARKUP, (c) => ESCAPES[c]);
}

// A line break with the blanks around it (several breaks in a row count as one).
const BREAK = /[^\S\r\n\u2028\u2029]*[\r\n\u2028\u2029]\s*/g;
const HAS_BREAK = /[\r\n\u2028\u2029]/;
// Whether `text` or `lines` may have anything to do but trim: a line break, or what MAYBE_ESCAPE
// matches. Most text has neither, and one test then spares the others.
// eslint-disable-next-line no-control-regex
const MAYBE_WORK = /[&<>"'\u0000-\u0008\u000A-\u001F\u007F-\u009F\u2028\u2029\uFFFE\uFFFF\uD800-\uDFFF]/;

/** A run of text on one line, spaces kept (to compose with other runs); a line break becomes a space. */
export function text(plain: string): Xml {
  if (!MAYBE_WORK.test(plain)) return plain as Xml;
  const escaped = escape(plain);
  return (HAS_BREAK.test(escaped) ? escaped.replace(BREAK, ' ') : escaped) as Xml;
}

/** Like `text`, trimmed: a fact on its own, e.g. in a cell. */
export function trimmed(plain: string): Xml {
  return text(plain).trim() as Xml;
}

/** Text that keeps its line breaks as `<br />`; lines are trimmed and blank ones dropped. */
export function lines(plain: string): Xml {
  if (!MAYBE_WORK.test(plain)) return plain.trim() as Xml;
  if (!HAS_BREAK.test(plain) && !MAYBE_NOT_XML_CHAR.test(plain)) return escape(plain.trim()) as Xml;
  return lineList(plain).map(escape).join('<br />') as Xml;
}

/** Prose: blank lines separate paragraphs (as in the Markdown output); single newlines break lines. */
export function paragraphs(plain: string): Xml {
  const paras = plain
    .replace(/\r\n?/g, '\n')
    .split(/\n[^\S\n]*\n/)
    .map(lines);
  return join(paras.filter((para) => para !== '').map((para) => el('p', para)));
}

/** Trimmed, non-blank lines; characters XML cannot carry are dropped first so they cannot leave a blank line. */
function lineList(plain: string): string[] {
  return plain
    .replace(NOT_XML_CHAR, '')
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** Element names the renderer emits; a closed set, so no name can come from data. */
export type Tag =
  | 'p'
  | 'br'
  | 'h2'
  | 'em'
  | 'strong'
  | 'small'
  | 'hr'
  | 'ul'
  | 'li'
  | 'a'
  | 'table'
  | 'tbody'
  | 'tr'
  | 'th'
  | 'td'
  | 'ac:structured-macro'
  | 'ac:parameter'
  | 'ac:rich-text-body'
  | 'ac:task-list'
  | 'ac:task'
  | 'ac:task-id'
  | 'ac:task-status'
  | 'ac:task-body';

const VOID: ReadonlySet<Tag> = new Set<Tag>(['br', 'hr']);

/** An element with children that are already markup. */
export function el(tag: Tag, ...children: Xml[]): Xml {
  if (VOID.has(tag)) return `<${tag} />` as Xml;
  return `<${tag}>${children.length === 1 ? children[0] : children.join('')}</${tag}>` as Xml;
}

/** An element with attributes; their values are escaped like text. */
export function withAttributes(tag: Tag, attributes: Readonly<Record<string, string>>, ...children: Xml[]): Xml {
  let open = `<${tag}`;
  for (const name of Object.keys(attributes)) open += ` ${name}="${escape(attributes[name])}"`;
  return (VOID.has(tag) ? `${open} />` : `${open}>${children.join('')}</${tag}>`) as Xml;
}

/** A table row with one `cellTag` cell per markup, built in one piece: a timeline has many rows. */
export function tableRow(cells: readonly Xml[], cellTag: 'td' | 'th' = 'td'): Xml {
  return `<tr><${cellTag}>${cells.join(`</${cellTag}><${cellTag}>`)}</${cellTag}></tr>` as Xml;
}

/** Between blocks: insignificant in storage format, but it keeps the stored page readable and diffable. */
export const NEWLINE = '\n' as Xml;

/**
 * Parts one after the other. Concatenated rather than `Array.join`ed: V8 concatenates long strings
 * by reference (a rope), so a 10,000-row table is not copied again at every level that wraps it,
 * only once, when the page is joined (or first read).
 */
export function join(parts: readonly Xml[], separator: Xml = '' as Xml): Xml {
  let joined = parts.length ? parts[0] : '';
  for (let i = 1; i < parts.length; i++) joined += separator + parts[i];
  return joined as Xml;
}
