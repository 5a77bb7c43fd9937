import { readWikiMarkup } from '../../../../src/sandbox/tracker-emulator';
import { escapeMarkdown, escapeWikiMarkup, singleLine, toAdf, toGitHubMarkdown, toWikiMarkup } from '../../../../src/integrations/tracker/formats';

const HOSTILE = 'Fix *all* the [links|http://evil.example] {code}rm -rf{code} !http://x/y.png! h1. big @channel #12 <b>x</b> \u202Eevil';

describe('ticket text formats', () => {
  it('when a summary has newlines, controls and is long, then it is one clean line within the limit', () => {
    expect(singleLine(' roll back\n build\t142 \u0007\u202E ', 255)).toBe('roll back build 142');
    const long = singleLine('x'.repeat(300), 255);
    expect(long).toHaveLength(255);
    expect(long.endsWith('…')).toBe(true);
  });

  describe('ADF (Jira Cloud)', () => {
    it('when text has markup-like characters, then it stays in text nodes verbatim (no marks but links we make)', () => {
      const doc = toAdf([{ text: 'line one\nline *two*' }, { label: 'Incident channel', url: 'https://acme.slack.com/archives/C1' }]);
      expect(doc).toEqual({
        type: 'doc',
        version: 1,
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: 'line one' }, { type: 'hardBreak' }, { type: 'text', text: 'line *two*' }] },
          { type: 'paragraph', content: [{ type: 'text', text: 'Incident channel', marks: [{ type: 'link', attrs: { href: 'https://acme.slack.com/archives/C1' } }] }] },
        ],
      });
    });

    it('when a block is empty or a link is not http(s), then no empty text node and no javascript: link is made', () => {
      const doc = toAdf([{ text: '' }, { text: '\n\n' }, { label: 'click', url: 'javascript:alert(1)' }]);
      expect(doc.content).toEqual([{ type: 'paragraph', content: [{ type: 'text', text: 'click javascript:alert(1)' }] }]);
      expect(JSON.stringify(doc)).not.toContain('"link"');
    });
  });

  describe('wiki markup (Jira Data Center)', () => {
    it('when text has wiki markup, then every markup character is escaped and Jira would show it as typed', () => {
      const escaped = escapeWikiMarkup(HOSTILE);
      expect(escaped).toContain('\\*all\\*');
      expect(escaped).toContain('\\{code\\}');
      expect(escaped).not.toContain('\u202E');
      // Bare addresses become links, as in Slack; their text is unchanged and nothing else is markup.
      expect(readWikiMarkup(escaped)).toEqual({ literal: HOSTILE.replace('\u202E', ''), markup: ['http://evil.example', 'http://x/y.png'] });
    });

    it.each([
      ['times and lists', '10:02; then 10:05 (50%)', '10:02; then 10:05 \\(50\\%\\)'],
      ['a path with backslashes', 'C:\\temp\\*.log and \\\\server', 'C:&#92;temp&#92;\\*.log and &#92;&#92;server'],
      ['entities typed as text', 'R&D sent &lt;b&gt; and &#42;', 'R&D sent &amp;lt;b&amp;gt; and &amp;\\#42;'],
      ['emoticons', 'ok :) :D :Done (y) ;)', 'ok :\\) \\:D :Done \\(y\\) ;\\)'],
      ['line starts', 'h1. Title\nbq. quote\n* item\n----', 'h1&#46; Title\nbq&#46; quote\n\\* item\n\\-\\-\\-\\-'],
    ])('when text has %s, then Jira shows it as typed', (_name, text, escaped) => {
      expect(escapeWikiMarkup(text)).toBe(escaped);
      expect(readWikiMarkup(escaped)).toEqual({ literal: text, markup: [] });
    });

    it('when a link is rendered, then its label is escaped and its URL cannot close the link', () => {
      expect(toWikiMarkup([{ label: 'INC-4 [x]', url: 'https://acme.example/a|b]c' }])).toBe('[INC\\-4 \\[x\\]|https://acme.example/a%7Cb%5Dc]');
    });
  });

  describe('GitHub Markdown', () => {
    it('when text has Markdown, HTML, mentions and issue refs, then they are escaped', () => {
      const md = escapeMarkdown('**bold** <img src=x> @org/team #12 [a](http://x)');
      expect(md).toBe('\\*\\*bold\\*\\* &lt;img src=x\\> \\@org/team \\#12 \\[a\\]\\(http\\://x\\)');
    });

    it('when a link is rendered, then it is an angle-bracket link with the label escaped', () => {
      expect(toGitHubMarkdown([{ text: 'Do it' }, { label: 'Postmortem (v2)', url: 'https://wiki.example/p?a=1&b=<2>' }])).toBe(
        'Do it\n\n[Postmortem \\(v2\\)](<https://wiki.example/p?a=1&b=%3C2%3E>)',
      );
    });
  });
});
