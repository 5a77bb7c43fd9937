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
    it('when text has wiki markup, then every markup character is escaped', () => {
      const escaped = escapeWikiMarkup(HOSTILE);
      for (const construct of ['*', '[', '{', '!', '|']) expect(escaped).not.toMatch(new RegExp(`(?<!\\\\)\\${construct}`));
      expect(escaped).toContain('\\*all\\*');
      expect(escaped).toContain('\\{code\\}');
      expect(escaped).not.toContain('\u202E');
      // Reading the escapes back gives the text as typed.
      expect(escaped.replace(/\\(.)/g, '$1')).toBe(HOSTILE.replace('\u202E', ''));
    });

    it('when a line starts with a heading or quote marker, then it is not one', () => {
      expect(escapeWikiMarkup('h1. Title\nbq. quote')).toBe('h1\\. Title\nbq\\. quote');
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
