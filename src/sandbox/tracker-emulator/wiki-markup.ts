// Reads Jira wiki markup (Data Center descriptions) the way Jira's renderer treats it, for the one
// question the tests ask: does user text stay literal? It returns the text a reader would see and
// every unescaped construct that would render as something else.
//
// The rules follow atlassian-renderer's components (read, not copied):
// - BackslashEscapeRendererComponent: `\` escapes only - # * _ + ? ^ ~ | % { } [ ] ( ) ! @, and not
//   when the backslash itself follows a backslash; before any other character it stays visible.
//   `\\` is a forced line break.
// - Character entities (`&#92;`, `&amp;`) render as their character, as in HTML.
// - EmoticonRendererComponent: a backslash before an emoticon (`\:)`) shows it as typed.
// - PhraseRendererComponent: *strong* _em_ -del- +ins+ ^sup^ ~sub~ ??cite?? {{mono}} need no letter,
//   digit or backslash before the opening delimiter, no whitespace just inside either delimiter,
//   no letter or digit after the closing one, and stay on one line.
// Where the exact rule was not at hand, the reader errs towards reporting markup (any `{…}` is a
// macro, any `[…]` a link, any run of - * # before a space at a line's start a list), so a test
// can only pass if Jira would really show the text as typed.

// Escaped characters and line breaks become plane-15 private-use characters while the constructs
// are looked for, so no pattern sees them; they are turned back at the end.
const ESCAPED_BASE = 0xf0000;
const LINE_BREAK = String.fromCodePoint(ESCAPED_BASE + 0x0a);
const PROTECTED_BASE = 0xf1000;
const RESERVED = /[\u{F0000}-\u{F1FFF}]/u;

const ESCAPABLE = new Set('-#*_+?^~|%{}[]()!@');
const EMOTICONS = [
  ':)',
  ':(',
  ':P',
  ':p',
  ':D',
  ':d',
  ';)',
  '(y)',
  '(n)',
  '(i)',
  '(/)',
  '(x)',
  '(!)',
  '(+)',
  '(-)',
  '(?)',
  '(on)',
  '(off)',
  '(*)',
  '(*r)',
  '(*g)',
  '(*b)',
  '(*y)',
  '(flag)',
  '(flagoff)',
];
// Phrase delimiters; `??` before the others so a citation is not read as two of anything.
const PHRASES = ['??', '*', '_', '-', '+', '^', '~'];
const NOT_LETTER_OR_DIGIT_AFTER = '(?![\\p{L}\\p{Nd}])';

// The HTML entities a browser shows for the names most often seen; others are left as typed.
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', bsol: '\\' };

export interface WikiReading {
  /** The text shown, escapes resolved, with constructs replaced by what they show (best effort). */
  literal: string;
  /** Each unescaped construct as written: block-level ones first, then inline ones. */
  markup: string[];
}

// Unicode-mode patterns allow escaping syntax characters only: `-` is escaped inside classes alone.
function regexEscape(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

function classEscape(text: string): string {
  return text.replace(/[\\\][^-]/g, '\\$&');
}

function escapedChar(c: string): string {
  return String.fromCodePoint(ESCAPED_BASE + c.charCodeAt(0));
}

function emoticonAt(text: string, at: number): string | undefined {
  // Longest first: (flagoff) before (flag).
  const found = EMOTICONS.filter((e) => text.startsWith(e, at)).sort((a, b) => b.length - a.length)[0];
  if (!found) return undefined;
  const after = text.slice(at + found.length, at + found.length + 1);
  return /[\p{L}\p{Nd}]/u.test(after) ? undefined : found;
}

class Reader {
  readonly markup: string[] = [];
  private readonly chunks: string[] = [];

  /** Text that must not be read further (a code block's body) becomes one placeholder. */
  protect(text: string): string {
    this.chunks.push(text);
    return String.fromCodePoint(PROTECTED_BASE + this.chunks.length - 1);
  }

  restore(text: string): string {
    return text.replace(/[\u{F0000}-\u{F1FFF}]/gu, (c) => {
      const code = c.codePointAt(0) ?? 0;
      if (code >= PROTECTED_BASE) return this.chunks[code - PROTECTED_BASE] ?? '';
      return code === ESCAPED_BASE + 0x0a ? '\n' : String.fromCharCode(code - ESCAPED_BASE);
    });
  }

  found(construct: string): void {
    this.markup.push(this.restore(construct));
  }

  /** Each match is reported and replaced by what it shows. */
  replace(text: string, pattern: RegExp, shown: (match: string, ...groups: string[]) => string): string {
    return text.replace(pattern, (match: string, ...rest: unknown[]) => {
      this.found(match);
      return shown(match, ...rest.filter((r): r is string => typeof r === 'string'));
    });
  }
}

/** {code} and {noformat} bodies are shown verbatim, escapes included, so they go first. */
function codeBlocks(reader: Reader, text: string): string {
  // Not preceded by an odd number of backslashes (an escaped `{`).
  const block = /(?<!(?:^|[^\\])(?:\\\\)*\\)\{(code|noformat)((?::[^}\n]*)?)\}([\s\S]*?)\{\1\}/g;
  return reader.replace(text, block, (_match, _name, _params, body) => reader.protect(body));
}

function resolveEscapes(reader: Reader, text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '\\') {
      reader.found('\\\\');
      out += LINE_BREAK;
      i += 1;
    } else if (next !== undefined && ESCAPABLE.has(next)) {
      out += escapedChar(next);
      i += 1;
    } else {
      const emoticon = emoticonAt(text, i + 1);
      if (emoticon) {
        out += [...emoticon].map(escapedChar).join('');
        i += emoticon.length;
      } else {
        out += c;
      }
    }
  }
  return out;
}

function readLine(reader: Reader, line: string): string {
  const rule = /^\s*-{4,}\s*$/.exec(line);
  if (rule) {
    reader.found(rule[0].trim());
    return '';
  }
  if (/^\s*\|/.test(line)) {
    reader.found(/^\s*(\|\|?)/.exec(line)?.[1] ?? '|');
    return line
      .split(/\|\|?/)
      .map((cell) => cell.trim())
      .filter((cell) => cell !== '')
      .join(' ');
  }
  const prefix = /^\s*(h[1-6]\.|bq\.|[*#-]+)\s+/.exec(line);
  if (prefix) {
    reader.found(prefix[1]);
    return line.slice(prefix[0].length);
  }
  return line;
}

function phrasePattern(delimiter: string): RegExp {
  const d = regexEscape(delimiter);
  const edge = `[^\\s${[...new Set(delimiter)].map(classEscape).join('')}]`;
  // Jira's shape: a non-space first and last character, a second character that is not the
  // delimiter, and a closing delimiter with no letter or digit after it.
  const content = `${edge}(?:(?!${d})[^\\n]*?${edge})??`;
  return new RegExp(`(?<![\\p{L}\\p{Nd}\\\\])${d}(${content})(?<!\\\\)${d}${NOT_LETTER_OR_DIGIT_AFTER}`, 'gu');
}

function inline(reader: Reader, text: string): string {
  let s = reader.replace(text, monospacePattern(), (_m, body) => body);
  // Any brace pair is a macro: Jira shows "Unknown macro" for ones it does not know.
  s = reader.replace(s, /\{[^\s{}][^{}\n]*\}/gu, () => '');
  s = reader.replace(s, /\[([^[\]\n]+)\]/gu, (_m, body) => {
    if (/^[~^#]/.test(body)) return body.slice(1);
    return body.split('|')[0];
  });
  s = reader.replace(s, /!([^\s!](?:[^!\n]*[^\s!])?)!/gu, () => '');
  for (let changed = true; changed;) {
    const before = s;
    for (const delimiter of PHRASES) s = reader.replace(s, phrasePattern(delimiter), (_m, body) => body);
    changed = s !== before;
  }
  for (const emoticon of [...EMOTICONS].sort((a, b) => b.length - a.length)) {
    s = reader.replace(s, new RegExp(`${regexEscape(emoticon)}${NOT_LETTER_OR_DIGIT_AFTER}`, 'gu'), () => '');
  }
  s = reader.replace(s, /(?<!\S)---(?!\S)/gu, () => '\u2014');
  s = reader.replace(s, /(?<!\S)--(?!\S)/gu, () => '\u2013');
  // Bare addresses become links (the text stays the same).
  s = reader.replace(s, /\b(?:(?:https?|ftps?|file|irc|news|nntp|telnet):\/\/|mailto:)[^\s<>[\]"'|\u{F0000}-\u{F1FFF}]+/gu, (m) => m);
  // A character entity shows one character: it is how text shows `\` or `&lt;` as typed, so it is
  // decoded rather than reported (a wrong decoding still shows up in `literal`).
  return s.replace(/&(?:([A-Za-z][A-Za-z0-9]*)|#(\d+)|#x([0-9A-Fa-f]+));/gu, (m, name?: string, dec?: string, hex?: string) => {
    if (name !== undefined) return NAMED_ENTITIES[name] ?? m;
    const code = dec !== undefined ? Number(dec) : parseInt(hex ?? '', 16);
    return code > 0 && code <= 0x10ffff && !RESERVED.test(String.fromCodePoint(code)) ? String.fromCodePoint(code) : m;
  });
}

/** {{mono}}: the phrase rule with two-character delimiters. */
function monospacePattern(): RegExp {
  const edge = '[^\\s{}]';
  return new RegExp(`(?<![\\p{L}\\p{Nd}\\\\])\\{\\{(${edge}(?:(?!\\}\\})[^\\n]*?${edge})??)(?<!\\\\)\\}\\}${NOT_LETTER_OR_DIGIT_AFTER}`, 'gu');
}

/** What Jira shows for this wiki markup, and every construct in it that is not plain text. */
export function readWikiMarkup(text: string): WikiReading {
  if (RESERVED.test(text)) throw new Error('readWikiMarkup: text containing U+F0000–U+F1FFF (private use) is not supported');
  const reader = new Reader();
  let s = codeBlocks(reader, text.replace(/\r\n?/g, '\n'));
  s = resolveEscapes(reader, s);
  s = s
    .split('\n')
    .map((line) => readLine(reader, line))
    .join('\n');
  s = inline(reader, s);
  return { literal: reader.restore(s), markup: reader.markup };
}
