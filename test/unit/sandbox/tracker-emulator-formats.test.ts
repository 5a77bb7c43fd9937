import { adfProblem, readWikiMarkup } from '../../../src/sandbox/tracker-emulator';

const text = (t: string, marks?: unknown[]) => ({ type: 'text', text: t, ...(marks ? { marks } : {}) });
const paragraph = (...content: unknown[]) => ({ type: 'paragraph', content });
const doc = (...content: unknown[]) => ({ type: 'doc', version: 1, content });
const item = (...content: unknown[]) => ({ type: 'listItem', content });

describe('adfProblem (the emulated Jira Cloud ADF check)', () => {
  it.each([
    ['an empty document', doc()],
    ['a paragraph of text', doc(paragraph(text('Checkout is down')))],
    ['an empty paragraph', doc({ type: 'paragraph' })],
    ['hard breaks', doc(paragraph(text('a'), { type: 'hardBreak' }, text('b'), { type: 'hardBreak', attrs: { text: '\n' } }))],
    [
      'marks',
      doc(
        paragraph(
          text('b', [{ type: 'strong' }, { type: 'em' }, { type: 'strike' }, { type: 'underline' }]),
          text('c', [{ type: 'code' }, { type: 'link', attrs: { href: 'https://x.test' } }]),
        ),
      ),
    ],
    [
      'links to http, https and mailto',
      doc(paragraph(text('a', [{ type: 'link', attrs: { href: 'http://x.test/a?b=1' } }]), text('m', [{ type: 'link', attrs: { href: 'mailto:ops@example.com', title: 'Ops' } }]))),
    ],
    ['headings 1 to 6', doc(...[1, 2, 3, 4, 5, 6].map((level) => ({ type: 'heading', attrs: { level }, content: [text('H')] })))],
    ['nested lists', doc({ type: 'bulletList', content: [item(paragraph(text('a')), { type: 'orderedList', attrs: { order: 3 }, content: [item(paragraph(text('b')))] })] })],
    ['a code block', doc({ type: 'codeBlock', attrs: { language: 'bash' }, content: [text('kubectl get pods\n')] })],
    ['a quote and a rule', doc({ type: 'blockquote', content: [paragraph(text('q'))] }, { type: 'rule' })],
  ])('accepts %s', (_name, value) => {
    expect(adfProblem(value)).toBeUndefined();
  });

  it.each([
    ['a string', 'Checkout is down', 'doc: must be an object'],
    ['the wrong version', { type: 'doc', version: 2, content: [] }, 'doc.version: must be 1, got 2'],
    ['the wrong root type', { type: 'paragraph', version: 1, content: [] }, 'doc.type: must be "doc"'],
    ['no content', { type: 'doc', version: 1 }, 'doc.content: must be an array'],
    ['an extra key on the doc', { ...doc(), title: 'x' }, 'doc: unknown key "title"'],
    ['an unknown node type', doc({ type: 'table', content: [] }), 'doc.content[0]: unknown node type "table"'],
    ['text at the top level', doc(text('loose')), 'doc.content[0]: a text node cannot appear inside doc'],
    ['empty text', doc(paragraph(text(''))), 'doc.content[0].content[0].text: must not be empty'],
    ['text that is not a string', doc(paragraph({ type: 'text', text: 5 })), 'doc.content[0].content[0].text: must be a string'],
    ['an unknown key on a text node', doc(paragraph({ type: 'text', text: 'a', style: 'bold' })), 'doc.content[0].content[0]: unknown key "style"'],
    ['a paragraph inside a paragraph', doc(paragraph(paragraph(text('a')))), 'doc.content[0].content[0]: a paragraph node cannot appear inside paragraph'],
    ['a heading without a level', doc({ type: 'heading', content: [text('h')] }), 'doc.content[0].attrs: a heading needs attrs { level }'],
    ['a heading of level 7', doc({ type: 'heading', attrs: { level: 7 }, content: [text('h')] }), 'doc.content[0].attrs.level: must be an integer from 1 to 6, got 7'],
    ['a list of paragraphs', doc({ type: 'bulletList', content: [paragraph(text('a'))] }), 'doc.content[0].content[0]: a paragraph node cannot appear inside bulletList'],
    ['an empty list', doc({ type: 'orderedList', content: [] }), 'doc.content[0].content: a orderedList node needs at least one child'],
    [
      'a list item starting with a list',
      doc({ type: 'bulletList', content: [item({ type: 'bulletList', content: [item(paragraph(text('a')))] })] }),
      'doc.content[0].content[0].content[0]: a list item must start with a paragraph or codeBlock',
    ],
    ['a list item outside a list', doc(item(paragraph(text('a')))), 'doc.content[0]: a listItem node cannot appear inside doc'],
    ['marks in a code block', doc({ type: 'codeBlock', content: [text('x', [{ type: 'strong' }])] }), 'doc.content[0].content[0]: text in a codeBlock cannot have marks'],
    ['a hard break in a code block', doc({ type: 'codeBlock', content: [{ type: 'hardBreak' }] }), 'a hardBreak node cannot appear inside codeBlock'],
    ['an unknown mark', doc(paragraph(text('a', [{ type: 'textColor', attrs: { color: '#f00' } }]))), 'doc.content[0].content[0].marks[0]: unknown mark type "textColor"'],
    ['a repeated mark', doc(paragraph(text('a', [{ type: 'em' }, { type: 'em' }]))), 'the em mark appears twice'],
    ['code combined with strong', doc(paragraph(text('a', [{ type: 'code' }, { type: 'strong' }]))), 'the code mark can only be combined with link'],
    ['attrs on a plain mark', doc(paragraph(text('a', [{ type: 'strong', attrs: {} }]))), 'marks[0]: unknown key "attrs"'],
    ['a link without href', doc(paragraph(text('a', [{ type: 'link', attrs: {} }]))), 'marks[0].attrs.href: must be a string'],
    ['a relative link', doc(paragraph(text('a', [{ type: 'link', attrs: { href: '/wiki/x' } }]))), 'marks[0].attrs.href: not an absolute URL'],
    ['a javascript: link', doc(paragraph(text('a', [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }]))), 'only http(s) and mailto links are allowed, got javascript:'],
    ['a rule with content', doc({ type: 'rule', content: [] }), 'doc.content[0]: unknown key "content"'],
    [
      'a quote holding a heading',
      doc({ type: 'blockquote', content: [{ type: 'heading', attrs: { level: 1 }, content: [text('h')] }] }),
      'a heading node cannot appear inside blockquote',
    ],
    ['a node that is not an object', doc(paragraph('plain')), 'doc.content[0].content[0]: a node must be an object'],
  ])('refuses %s, naming the path', (_name, value, problem) => {
    expect(adfProblem(value)).toContain(problem);
  });
});

describe('readWikiMarkup (how Jira Data Center would render a description)', () => {
  it.each([
    ['plain words', 'Checkout is down since 10:02', 'Checkout is down since 10:02'],
    [
      'escaped phrase delimiters',
      '\\*not bold\\* \\_not em\\_ \\-not struck\\- \\+no\\+ \\^no\\^ \\~no\\~ \\?\\?no\\?\\?',
      '*not bold* _not em_ -not struck- +no+ ^no^ ~no~ ??no??',
    ],
    ['escaped brackets and braces', '\\[not a link\\|x\\] \\{code\\} \\{\\{mono\\}\\} \\!img.png\\!', '[not a link|x] {code} {{mono}} !img.png!'],
    [
      'escaped line starts',
      '\\* not a list\n\\# not numbered\n\\- not a dash list\n\\|not|a table|\n\\-\\-\\-\\-',
      '* not a list\n# not numbered\n- not a dash list\n|not|a table|\n----',
    ],
    ['an escaped mention and emoticons', '\\[\\~bob\\] \\(y\\) \\:)', '[~bob] (y) :)'],
    ['delimiters inside words', 'snake_case_name and a*b*c and well-known-thing', 'snake_case_name and a*b*c and well-known-thing'],
    ['delimiters opening after a letter', 'file_name_ and 2*3* and x-y- z', 'file_name_ and 2*3* and x-y- z'],
    ['lone delimiters', 'price: 5 * 3 = 15 - 0', 'price: 5 * 3 = 15 - 0'],
    ['a backslash before an ordinary character', 'C:\\temp\\logs', 'C:\\temp\\logs'],
  ])('keeps %s literal', (_name, markup, literal) => {
    expect(readWikiMarkup(markup)).toEqual({ literal, markup: [] });
  });

  it.each([
    ['bold', 'a *b* c', '*b*', 'a b c'],
    ['emphasis', '_x_', '_x_', 'x'],
    ['strike-through', 'was -wrong- right', '-wrong-', 'was wrong right'],
    ['underline', '+u+', '+u+', 'u'],
    ['superscript', 'E = mc ^2^', '^2^', 'E = mc 2'],
    ['subscript', 'H ~2~ O', '~2~', 'H 2 O'],
    ['a citation', '??Ops?? said', '??Ops??', 'Ops said'],
    ['monospace', 'run {{kubectl}}', '{{kubectl}}', 'run kubectl'],
    ['a link', 'see [docs]', '[docs]', 'see docs'],
    ['a labelled link', '[the runbook|https://wiki.example.com/rb]', '[the runbook|https://wiki.example.com/rb]', 'the runbook'],
    ['a mention', 'ping [~bob]', '[~bob]', 'ping bob'],
    ['an image', 'look !graph.png! here', '!graph.png!', 'look  here'],
    ['a macro', '{anchor:top}', '{anchor:top}', ''],
    ['JSON that Jira would take for a macro', 'payload {"a":1}', '{"a":1}', 'payload '],
    ['a heading', 'h2. Impact', 'h2.', 'Impact'],
    ['a quote', 'bq. quoted', 'bq.', 'quoted'],
    ['a bullet', '* one', '*', 'one'],
    ['a numbered item', '# one', '#', 'one'],
    ['a dash item', '- one', '-', 'one'],
    ['a table header', '||When||What||', '||', 'When What'],
    ['a table row', '|10:02|paged|', '|', '10:02 paged'],
    ['a rule', '----', '----', ''],
    ['a forced line break', 'a\\\\b', '\\\\', 'a\nb'],
    ['an emoticon', 'fixed (y)', '(y)', 'fixed '],
    ['an en dash', 'a -- b', '--', 'a \u2013 b'],
    ['a bare URL', 'see https://status.example.com/x', 'https://status.example.com/x', 'see https://status.example.com/x'],
  ])('reports %s', (_name, markup, construct, literal) => {
    expect(readWikiMarkup(markup)).toEqual({ literal, markup: [construct] });
  });

  it('when a macro has a body, then both tags are reported and the body is read on', () => {
    expect(readWikiMarkup('{color:red}*red*{color}')).toEqual({ literal: 'red', markup: ['{color:red}', '{color}', '*red*'] });
  });

  it('when an escaped character follows a bare URL, then it is not part of the link', () => {
    expect(readWikiMarkup('see http://x.test\\] now')).toEqual({ literal: 'see http://x.test] now', markup: ['http://x.test'] });
  });

  it('when a code block holds markup, then the block is reported and its body shown verbatim', () => {
    expect(readWikiMarkup('{code:bash}echo *hi* \\* [x]{code} done')).toEqual({ literal: 'echo *hi* \\* [x] done', markup: ['{code:bash}echo *hi* \\* [x]{code}'] });
    expect(readWikiMarkup('\\{code}x{code}').markup).toEqual(['{code}']);
  });

  it('when text has character entities, then they show as their characters and unknown names as typed', () => {
    expect(readWikiMarkup('a&#92;*b* &amp;lt; &#x41; &bogus;')).toEqual({ literal: 'a\\b &lt; A &bogus;', markup: ['*b*'] });
  });

  it('when a backslash follows a backslash, then it is a line break and the next character is not escaped', () => {
    expect(readWikiMarkup('\\\\*b*')).toEqual({ literal: '\nb', markup: ['\\\\', '*b*'] });
  });

  it('when constructs nest or repeat, then each is reported', () => {
    const { literal, markup } = readWikiMarkup('*_both_* and *one* and *two*');
    expect(literal).toBe('both and one and two');
    expect(markup.sort()).toEqual(['*_both_*', '*one*', '*two*', '_both_'].sort());
  });

  it('when text has private-use characters the reader relies on, then it refuses rather than misread', () => {
    expect(() => readWikiMarkup('x\u{F0041}')).toThrow('not supported');
  });
});
