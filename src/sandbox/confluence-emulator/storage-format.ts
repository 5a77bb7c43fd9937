// Confluence parses a storage-format body as XML after wrapping it in a root element that declares
// its namespaces, and refuses anything not well-formed with 400 "Error parsing xhtml: …" (its
// parser is Woodstox; the messages below copy Woodstox's wording where real responses show it).
// This checker is deliberately strict: only XML's five named entities are accepted (real Confluence
// also resolves HTML ones such as &nbsp;), so a page that works here works there.

const ROOT = 'xml';
const OPEN_ROOT = `<${ROOT} xmlns:ac="http://atlassian.com/content" xmlns:ri="http://atlassian.com/resource/identifier">`;
const CLOSE_ROOT = `</${ROOT}>`;
const PREDEFINED_ENTITIES = new Set(['lt', 'gt', 'amp', 'quot', 'apos']);
/** Prefixes bound without a declaration: XML's own two. */
const BUILT_IN_PREFIXES = ['xml', 'xmlns'];

const NAME_START =
  ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
// Combining marks lead the class: after another character a linter reads them as one glyph.
const NAME_CHAR = `\\u0300-\\u036F${NAME_START}\\-.0-9\\u00B7\\u203F-\\u2040`;
const NAME = new RegExp(`[${NAME_START}][${NAME_CHAR}]*`, 'y');

class XhtmlError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

function describe(char: string | undefined): string {
  if (char === undefined) return 'EOF';
  return `'${char}' (code ${char.codePointAt(0)})`;
}

interface OpenElement {
  name: string;
  prefixes: ReadonlySet<string>;
}

class Scanner {
  private pos = 0;
  private readonly stack: OpenElement[] = [];

  constructor(private readonly text: string) {}

  run(): void {
    this.checkCharacters();
    this.startTag(new Set(BUILT_IN_PREFIXES)); // the wrapper root
    while (this.stack.length > 0) {
      if (this.pos >= this.text.length) this.fail(`Unexpected EOF; was expecting a close tag for element <${this.top().name}>`);
      const char = this.text[this.pos];
      if (char === '<') this.markup();
      else if (char === '&') this.reference();
      else if (this.text.startsWith(']]>', this.pos)) this.fail("String ']]>' not allowed in textual content, except as the end marker of CDATA section");
      else this.pos += 1;
    }
    // Only possible when the body closes the wrapper itself and then goes on.
    if (this.pos < this.text.length) this.fail('Illegal to have multiple roots (start tag in epilog?).');
  }

  private fail(message: string, at = this.pos): never {
    throw new XhtmlError(message, at);
  }

  private top(): OpenElement {
    return this.stack[this.stack.length - 1];
  }

  private checkCharacters(): void {
    for (let i = 0; i < this.text.length; i += 1) {
      const code = this.text.codePointAt(i) ?? 0;
      if (!isXmlChar(code)) this.fail(`Illegal character ((CTRL-CHAR, code ${code}))`, i);
      if (code > 0xffff) i += 1;
    }
  }

  private name(): string | undefined {
    NAME.lastIndex = this.pos;
    const match = NAME.exec(this.text);
    if (!match) return undefined;
    this.pos += match[0].length;
    return match[0];
  }

  private skipSpace(): boolean {
    const start = this.pos;
    while (/[ \t\r\n]/.test(this.text[this.pos] ?? '')) this.pos += 1;
    return this.pos > start;
  }

  private skipPast(terminator: string, eofMessage: string): string {
    const end = this.text.indexOf(terminator, this.pos);
    if (end < 0) this.fail(eofMessage);
    const inner = this.text.slice(this.pos, end);
    this.pos = end + terminator.length;
    return inner;
  }

  private markup(): void {
    const start = this.pos;
    if (this.text.startsWith('<!--', start)) {
      this.pos += 4;
      const inner = this.skipPast('-->', 'Unexpected EOF in comment');
      if (inner.includes('--') || inner.endsWith('-')) this.fail("String '--' not allowed in comment (missing '>'?)", start);
    } else if (this.text.startsWith('<![CDATA[', start)) {
      this.pos += 9;
      this.skipPast(']]>', 'Unexpected EOF in CDATA section');
    } else if (this.text.startsWith('<!', start)) {
      this.fail("Unexpected '<!' in content: only comments and CDATA sections may start with it");
    } else if (this.text.startsWith('<?', start)) {
      this.pos += 2;
      const target = this.name();
      if (!target) this.fail(`Unexpected character ${describe(this.text[this.pos])} (expected a name start character)`);
      if (target.toLowerCase() === 'xml') this.fail(`Illegal processing instruction target ("${target}"); 'xml' (case insensitive) is reserved by the specs.`, start);
      this.skipPast('?>', 'Unexpected EOF in processing instruction');
    } else if (this.text.startsWith('</', start)) {
      this.endTag();
    } else {
      this.startTag(this.top().prefixes);
    }
  }

  private startTag(inScope: ReadonlySet<string>): void {
    const start = this.pos;
    this.pos += 1;
    const name = this.name();
    if (!name) this.fail(`Unexpected character ${describe(this.text[this.pos])} in content after '<' (malformed start element?).`);
    const attributes = new Set<string>();
    const declared = new Set(inScope);
    for (;;) {
      const spaced = this.skipSpace();
      const char = this.text[this.pos];
      if (char === undefined) this.fail('Unexpected EOF in start tag');
      if (char === '>' || this.text.startsWith('/>', this.pos)) {
        this.pos += char === '>' ? 1 : 2;
        this.checkPrefixes([name, ...attributes], declared, start);
        if (char === '>') this.stack.push({ name, prefixes: declared });
        return;
      }
      const attribute = spaced ? this.name() : undefined;
      if (!attribute) this.fail(`Unexpected character ${describe(char)} excepted space, or '>' or "/>"`);
      this.attributeValue();
      if (attributes.has(attribute)) this.fail(`Duplicate attribute '${attribute}'.`);
      attributes.add(attribute);
      if (attribute.startsWith('xmlns:')) declared.add(attribute.slice('xmlns:'.length));
    }
  }

  private attributeValue(): void {
    this.skipSpace();
    if (this.text[this.pos] !== '=') this.fail(`Unexpected character ${describe(this.text[this.pos])} expected '='`);
    this.pos += 1;
    this.skipSpace();
    const quote = this.text[this.pos];
    if (quote !== '"' && quote !== "'") this.fail(`Unexpected character ${describe(quote)} in start tag Expected a quote`);
    this.pos += 1;
    for (;;) {
      const char = this.text[this.pos];
      if (char === undefined) this.fail('Unexpected EOF in attribute value');
      if (char === quote) break;
      if (char === '<') this.fail("Unexpected '<' character in attribute value");
      if (char === '&') this.reference();
      else this.pos += 1;
    }
    this.pos += 1;
  }

  private checkPrefixes(names: string[], declared: ReadonlySet<string>, at: number): void {
    for (const qualified of names) {
      const parts = qualified.split(':');
      if (parts.length > 2 || parts.some((p) => p === '')) this.fail(`Illegal name '${qualified}' (more than one colon, or an empty part)`, at);
      if (parts.length === 2 && !declared.has(parts[0])) this.fail(`Undeclared namespace prefix "${parts[0]}"`, at);
    }
  }

  private endTag(): void {
    const start = this.pos;
    this.pos += 2;
    const name = this.name();
    if (!name) this.fail(`Unexpected character ${describe(this.text[this.pos])} in end tag (expected a name start character)`);
    this.skipSpace();
    if (this.text[this.pos] !== '>') this.fail(`Unexpected character ${describe(this.text[this.pos])} in end tag; expected '>'`);
    this.pos += 1;
    const open = this.stack.pop();
    if (open?.name !== name) this.fail(`Unexpected close tag </${name}>; expected </${open?.name ?? ROOT}>.`, start);
  }

  private reference(): void {
    this.pos += 1;
    if (this.text[this.pos] === '#') {
      this.pos += 1;
      const hex = this.text[this.pos] === 'x';
      if (hex) this.pos += 1;
      const digits = (hex ? /[0-9a-fA-F]*/y : /[0-9]*/y).exec(this.text.slice(this.pos))?.[0] ?? '';
      this.pos += digits.length;
      if (!digits || this.text[this.pos] !== ';') {
        this.fail(`Unexpected character ${describe(this.text[this.pos])} expected a ${hex ? 'hex digit (0-9a-fA-F)' : 'decimal digit'} for character entity`);
      }
      const code = parseInt(digits, hex ? 16 : 10);
      if (!isXmlChar(code)) this.fail(`Illegal character entity: expansion character (code 0x${code.toString(16)}) not a valid XML character`);
    } else {
      const entity = this.name();
      if (!entity) this.fail(`Unexpected character ${describe(this.text[this.pos])} (expected a name start character for an entity reference after '&')`);
      if (this.text[this.pos] !== ';') this.fail(`Unexpected character ${describe(this.text[this.pos])} expected a semi-colon after the reference for entity '${entity}'`);
      if (!PREDEFINED_ENTITIES.has(entity)) this.fail(`Undeclared general entity "${entity}"`);
    }
    this.pos += 1;
  }
}

/** Row and column (1-based) of an offset in the wrapped text, counted within the caller's body. */
function position(body: string, offset: number): [number, number] {
  const within = Math.min(Math.max(offset - OPEN_ROOT.length, 0), body.length);
  const before = body.slice(0, within);
  const row = before.split('\n').length;
  return [row, within - before.lastIndexOf('\n')];
}

/**
 * Undefined when `body` is well-formed storage format; otherwise the message Confluence puts in its
 * 400 reply, e.g. `Error parsing xhtml: Unexpected close tag </xml>; expected </p>.\n at [row,col {unknown-source}]: [1,42]`.
 */
export function storageFormatError(body: string): string | undefined {
  try {
    new Scanner(`${OPEN_ROOT}${body}${CLOSE_ROOT}`).run();
    return undefined;
  } catch (err) {
    if (!(err instanceof XhtmlError)) throw err;
    const [row, column] = position(body, err.offset);
    return `Error parsing xhtml: ${err.message}\n at [row,col {unknown-source}]: [${row},${column}]`;
  }
}
